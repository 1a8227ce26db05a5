import { describe, expect, it } from "vitest";
import { GET as datasets } from "@/app/api/datasets/route";
import { GET as health } from "@/app/api/health/route";
import { GET as models } from "@/app/api/models/route";
import { GET as scores } from "@/app/api/scores/route";
import { GET as scoring } from "@/app/api/scoring/route";
import { getRequest, inProcessFetch, seedDeployedModel, tableCounts, TINY_TEST_DATA, useRouteTestDb } from "@/lib/testing/api";
import { DatasetsResponse, HealthResponse, ModelsResponse, ScoresResponse, ScoringResponse } from "@/lib/validations/core";

const t = useRouteTestDb();

const json = async (handler: (r: Request, c: unknown) => Promise<Response>, path: string) => {
  const res = await handler(getRequest(path), undefined);
  return { status: res.status, body: await res.json() };
};

describe("read routes on an empty database", () => {
  it("health says ok with no deployed model; lists are empty; scoring is 409", async () => {
    const h = await json(health, "/api/health");
    expect(h.status).toBe(200);
    expect(HealthResponse.parse(h.body)).toMatchObject({ status: "ok", database: "ok", deployedModel: null });
    expect(h.body.message).toContain("No model is deployed");
    expect(ModelsResponse.parse((await json(models, "/api/models")).body)).toEqual({ models: [], nextCursor: null });
    expect(DatasetsResponse.parse((await json(datasets, "/api/datasets")).body)).toEqual({ datasets: [], nextCursor: null });
    expect(ScoresResponse.parse((await json(scores, "/api/scores")).body)).toEqual({ scores: [], nextCursor: null });
    const before = await tableCounts(t.db);
    const s = await json(scoring, "/api/scoring");
    expect(s.status).toBe(409);
    expect(s.body.error.code).toBe("conflict:no_deployed_model");
    expect(await tableCounts(t.db)).toEqual(before);
  });
});

describe("read routes with a deployed model", () => {
  it("health, scoring (recorded once), scores (oldest first), models and datasets in API.md's shapes", async () => {
    const { model, deployment } = await seedDeployedModel(t.db);
    const h = HealthResponse.parse((await json(health, "/api/health")).body);
    expect(h.deployedModel).toEqual({ id: model.id, version: model.version });

    const recorded = await t.db.score.findFirstOrThrow({ where: { modelVersionId: model.id } });
    const s = ScoringResponse.parse((await json(scoring, "/api/scoring")).body);
    expect(s).toMatchObject({
      modelVersion: 1,
      dataset: { name: "testdata.csv" },
      f1: recorded.f1,
      precision: recorded.precision,
      recall: recorded.recall,
      accuracy: recorded.accuracy,
      confusion: { tp: recorded.tp, fp: recorded.fp, tn: recorded.tn, fn: recorded.fn },
      rows: 20,
    });
    expect(s.confusion.tp + s.confusion.fp + s.confusion.tn + s.confusion.fn).toBe(20);
    const again = await json(scoring, "/api/scoring");
    expect(again.body.f1).toBe(s.f1);
    expect(await t.db.score.count()).toBe(1);

    // a second score row for the history
    await t.db.score.create({
      data: { ...recorded, id: undefined, f1: 0.123, kind: "new-data", datasetName: "batch9.csv", createdAt: new Date(Date.now() + 1000) },
    });
    const list = ScoresResponse.parse((await json(scores, "/api/scores")).body).scores;
    expect(list.map((x) => [x.modelVersion, x.f1, x.dataset])).toEqual([
      [1, recorded.f1, "testdata.csv"],
      [1, 0.123, "batch9.csv"],
    ]);
    expect(Date.parse(list[0].createdAt)).toBeLessThanOrEqual(Date.parse(list[1].createdAt));

    const m = ModelsResponse.parse((await json(models, "/api/models")).body).models;
    expect(m).toEqual([
      expect.objectContaining({ id: model.id, version: 1, trainedRows: model.trainedRows, f1: recorded.f1, deployed: true }),
    ]);
    expect(deployment.modelVersionId).toBe(model.id);

    const d = DatasetsResponse.parse((await json(datasets, "/api/datasets")).body).datasets;
    expect(d.map((x) => [x.name, x.role, x.rowsRead, x.duplicates, x.rejected])).toEqual([
      ["batch1.csv", "source", 14, 0, 0],
      ["batch2.csv", "source", 14, 2, 0],
      ["batch3.csv", "source", 16, 2, 0],
      ["testdata.csv", "test", 20, 0, 0],
    ]);
  });

  it("the classic paths /scoring, /summarystats and /diagnostics answer like their /api twins", async () => {
    await seedDeployedModel(t.db);
    const f = inProcessFetch();
    const classic = await (await f("http://localhost/scoring")).json();
    const api = await (await f("http://localhost/api/scoring")).json();
    expect(classic).toEqual(api);
    expect((await f("http://localhost/summarystats")).status).toBe(200);
    const diag = await f("http://localhost/diagnostics");
    expect(diag.status).toBe(200);
    expect(await diag.json()).toEqual(expect.objectContaining({ missing: expect.any(Object), timings: expect.any(Object), dependencies: expect.any(Array) }));
  });
});
