import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { POST as deploy } from "@/app/api/deploy/route";
import { GET as models } from "@/app/api/models/route";
import { POST as predictRoute } from "@/app/api/prediction/route";
import { POST as train } from "@/app/api/train/route";
import { ingestFolder } from "@/lib/ingestion/ingest";
import { maxF1ThresholdOf, rankCounts } from "@/lib/metrics/ranking";
import { predictProbabilityColumns } from "@/lib/model/logistic";
import { loadTestData } from "@/lib/ingestion/test-data";
import { modelParameters, thresholdChoiceOf } from "@/lib/model/stored";
import { HEADER, TINY_DIR, TINY_TEST_DATA, getRequest, jsonRequest, tableCounts } from "@/lib/testing/api";
import { createTestDb, type TestDb } from "@/lib/testing/temp-db";
import { ModelsResponse } from "@/lib/validations/core";
import { PredictionResponse } from "@/lib/validations/prediction";
import { TrainResponse } from "@/lib/validations/models";

let t: TestDb;
beforeEach(async () => {
  t = createTestDb();
  process.env.TEST_DATA = TINY_TEST_DATA;
  delete process.env.ADMIN_TOKEN;
  await ingestFolder(t.db, TINY_DIR, { exclude: [TINY_TEST_DATA] });
});
afterEach(async () => {
  await t.cleanup();
});

const trainWith = (body: unknown) => train(jsonRequest("/api/train", body), undefined);

describe("POST /api/train threshold", () => {
  it('"max-f1" picks the threshold that maximises F1 on the test data, records it, and the test score uses it', async () => {
    const res = await trainWith({ threshold: "max-f1" });
    expect(res.status).toBe(201);
    const m = TrainResponse.parse(await res.json()).model;
    const version = await t.db.modelVersion.findUniqueOrThrow({ where: { id: m.id } });
    const params = modelParameters(version);
    const test = await loadTestData(t.db, TINY_TEST_DATA);
    const best = maxF1ThresholdOf(rankCounts(test.data.label, predictProbabilityColumns(params, test.data)));
    expect(m).toMatchObject({ threshold: best.threshold, thresholdRule: "max-f1", f1: best.f1, precision: best.precision, recall: best.recall });
    expect(params.hyperParameters).toMatchObject({ threshold: best.threshold, thresholdRule: "max-f1" });
    const listed = ModelsResponse.parse(await (await models(getRequest("/api/models"), undefined)).json()).models[0];
    expect(listed).toMatchObject({ threshold: best.threshold, thresholdRule: "max-f1", f1: best.f1 });
    expect(listed.hyperParameters.threshold).toBe(best.threshold);
  });

  it("a number is recorded and used by the version's scores and predictions; no body keeps 0.5", async () => {
    const plain = TrainResponse.parse(await (await train(new Request("http://localhost/api/train", { method: "POST" }), undefined)).json()).model;
    expect(plain).toMatchObject({ threshold: 0.5, thresholdRule: "fixed" });
    const m = TrainResponse.parse(await (await trainWith({ threshold: 0.001 })).json()).model;
    expect(m).toMatchObject({ threshold: 0.001, thresholdRule: "fixed" });
    expect(m.recall).toBeGreaterThanOrEqual(plain.recall); // a lower threshold flags more clients
    await deploy(jsonRequest("/api/deploy", { modelVersionId: m.id }), undefined);
    const rows = [
      { corporation: "a", lastmonth_activity: 300, lastyear_activity: 3000, number_of_employees: 20 },
      { corporation: "b", lastmonth_activity: 2000, lastyear_activity: 20000, number_of_employees: 50 },
    ];
    const body = PredictionResponse.parse(await (await predictRoute(jsonRequest("/api/prediction", { rows }), undefined)).json());
    expect(body.threshold).toBe(0.001);
    expect(body.predictions).toHaveLength(2);
    for (const p of body.predictions) {
      expect(p.exited).toBe(p.probability >= 0.001 ? 1 : 0);
      expect(p.predicted).toBe(p.exited);
    }
  });

  it("refuses a bad threshold as JSON 4xx and writes nothing", async () => {
    const before = await tableCounts(t.db);
    const cases: [Request, number, string][] = [
      [jsonRequest("/api/train", { threshold: 0 }), 422, "unprocessable:body"],
      [jsonRequest("/api/train", { threshold: 1 }), 422, "unprocessable:body"],
      [jsonRequest("/api/train", { threshold: -0.2 }), 422, "unprocessable:body"],
      [jsonRequest("/api/train", { threshold: "max-auc" }), 422, "unprocessable:body"],
      [jsonRequest("/api/train", { threshold: "0.4" }), 422, "unprocessable:body"],
      [jsonRequest("/api/train", { threshold: null }), 422, "unprocessable:body"],
      [jsonRequest("/api/train", { threshold: 0.5, solver: "sgd" }), 422, "unprocessable:body"],
      [jsonRequest("/api/train", "{ threshold: "), 400, "bad_request:json"],
      [new Request("http://localhost/api/train", { method: "POST", headers: { "content-type": "text/plain" }, body: "threshold=0.3" }), 415, "unsupported_media_type:json"],
    ];
    for (const [req, status, code] of cases) {
      const res = await train(req, undefined);
      expect(res.status, code).toBe(status);
      const err = (await res.json()).error;
      expect(err.code).toBe(code);
      expect(err.message).toBeTruthy();
    }
    const res = await trainWith({ threshold: 1.5 });
    const err = (await res.json()).error;
    expect(err.details).toEqual([expect.objectContaining({ column: "threshold" })]);
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it('"max-f1" on test data without an exited client → 422 before anything is trained', async () => {
    const dir = fs.mkdtempSync(path.join(t.dir, "neg-"));
    const file = path.join(dir, "negatives.csv");
    fs.writeFileSync(file, `${HEADER}\nn1,100,1000,5,0\nn2,200,2000,10,0\nn3,300,3000,15,0\n`);
    process.env.TEST_DATA = file;
    await loadTestData(t.db, file); // the test file's ledger row is not what this test is about
    const before = await tableCounts(t.db);
    const res = await trainWith({ threshold: "max-f1" });
    expect(res.status).toBe(422);
    expect((await res.json()).error).toMatchObject({ code: "unprocessable:threshold" });
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it("a retrained version (the full process's challenger) inherits the threshold rule", async () => {
    const byId = async (id: number) => t.db.modelVersion.findUniqueOrThrow({ where: { id } });
    const fixed = TrainResponse.parse(await (await train(new Request("http://localhost/api/train", { method: "POST" }), undefined)).json()).model;
    const low = TrainResponse.parse(await (await trainWith({ threshold: 0.25 })).json()).model;
    const best = TrainResponse.parse(await (await trainWith({ threshold: "max-f1" })).json()).model;
    expect(thresholdChoiceOf(await byId(fixed.id))).toBeUndefined();
    expect(thresholdChoiceOf(await byId(low.id))).toBe(0.25);
    expect(thresholdChoiceOf(await byId(best.id))).toBe("max-f1");
  });
});
