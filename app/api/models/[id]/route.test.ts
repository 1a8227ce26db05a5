import { describe, expect, it } from "vitest";
import { GET as modelDetail } from "@/app/api/models/[id]/route";
import { GET as models } from "@/app/api/models/route";
import { GET as scores } from "@/app/api/scores/route";
import { GET as scoring } from "@/app/api/scoring/route";
import fs from "node:fs";
import { columnsFromRows } from "@/lib/csv/rows-to-columns";
import { predictProbabilityColumns } from "@/lib/model/logistic";
import { coefficientTable } from "@/lib/model/coefficients";
import { readTrainingColumns } from "@/lib/db/columns";
import { databaseUrlOf } from "@/lib/db/client";
import { currentSchema } from "@/lib/db/stored-schema";
import { ingestFile } from "@/lib/ingestion/ingest";
import { aucOf, averagePrecisionOf, brierScore, calibrationTable, logLoss, prCurveOf, rankCounts, rocCurveOf, thresholdCurveOf } from "@/lib/metrics/ranking";
import { rankingMetrics } from "@/lib/metrics/score-ranking";
import { evaluate } from "@/lib/model/evaluate";
import { numericColumn } from "@/lib/schema/columns";
import { loadTestData } from "@/lib/ingestion/test-data";
import { modelParameters } from "@/lib/model/stored";
import { getRequest, seedDeployedModel, TINY_TEST_DATA, useRouteTestDb } from "@/lib/testing/api";
import { DEMO_SCHEMA } from "@/lib/testing/demo-schema";
import { ModelDetailResponse, ModelsResponse, ScoresResponse, ScoringResponse } from "@/lib/validations/core";

const t = useRouteTestDb();

const detail = (id: string) => modelDetail(getRequest(`/api/models/${id}`), { params: Promise.resolve({ id }) });

describe("ranking and calibration stored per score", () => {
  it("stores exactly what lib/metrics/ranking.ts computes on the same test probabilities, and every read route returns it", async () => {
    const { model } = await seedDeployedModel(t.db);
    const params = modelParameters(model);
    const test = await loadTestData(t.db, TINY_TEST_DATA);
    const y = test.data.label;
    const p = predictProbabilityColumns(params, test.data);
    expect(new Set(y).size).toBe(2);

    const stored = await t.db.score.findFirstOrThrow({ where: { modelVersionId: model.id, kind: "test" } });
    const r = rankCounts(y, p);
    // a REAL column read back through Prisma can lose the 17th significant digit: equal to 1e-15 relative
    const same = (a: number | null, b: number) => expect(Math.abs(a! - b)).toBeLessThanOrEqual(1e-15 * Math.abs(b));
    same(stored.rocAuc, aucOf(r));
    same(stored.averagePrecision, averagePrecisionOf(r));
    same(stored.brierScore, brierScore(y, p));
    same(stored.logLoss, logLoss(y, p));
    expect(JSON.parse(stored.calibration!)).toEqual(calibrationTable(y, p, 10).bins);
    const curves = JSON.parse(stored.curves!);
    const roc = rocCurveOf(r);
    expect(curves.roc.x).toEqual(roc.x);
    expect(curves.roc.y).toEqual(roc.y);
    expect(curves.roc.threshold[0]).toBeNull(); // +∞ at the curve's start
    expect(curves.roc.threshold.slice(1)).toEqual(roc.threshold.slice(1));
    expect(curves.pr.y).toEqual(prCurveOf(r).y);
    expect(curves.threshold.f1).toEqual(Array.from(thresholdCurveOf(r, 200).f1));
    for (const c of [curves.roc.x, curves.pr.x, curves.threshold.threshold]) expect(c.length).toBeLessThanOrEqual(200);

    // GET /api/models: the version's test-score ranking metrics, threshold and coefficients
    const list = ModelsResponse.parse(await (await models(getRequest("/api/models"), undefined)).json()).models;
    expect(list[0]).toMatchObject({
      threshold: 0.5,
      thresholdRule: "fixed",
      ranking: { rocAuc: stored.rocAuc, averagePrecision: stored.averagePrecision, brierScore: stored.brierScore, logLoss: stored.logLoss },
    });
    // coefficients computed at training time from the training columns
    const expectedTable = JSON.parse(JSON.stringify(coefficientTable(params, await readTrainingColumns(databaseUrlOf(t.db), await currentSchema(t.db)))));
    expect(list[0].coefficients).toEqual(expectedTable);
    expect(list[0].coefficients!.original.map((row) => row.term)).toEqual(["intercept", "lastmonth_activity", "lastyear_activity", "number_of_employees"]);

    // GET /api/scores and GET /api/scoring
    const s = ScoresResponse.parse(await (await scores(getRequest("/api/scores"), undefined)).json()).scores;
    expect(s[0].ranking).toEqual({ ...list[0].ranking, calibration: calibrationTable(y, p, 10).bins });
    const sc = ScoringResponse.parse(await (await scoring(getRequest("/api/scoring"), undefined)).json());
    expect(sc.ranking?.rocAuc).toBe(stored.rocAuc);
    expect(sc.threshold).toBe(0.5);

    // GET /api/models/{id}: the curves for the charts
    const res = await detail(String(model.id));
    expect(res.status).toBe(200);
    const d = ModelDetailResponse.parse(await res.json());
    expect(d.model).toEqual(list[0]);
    expect(d.testScore?.curves?.roc.y).toEqual(roc.y);
    expect(d.testScore?.confusion).toEqual({ tp: stored.tp, fp: stored.fp, tn: stored.tn, fn: stored.fn });
  });

  it("new-data scores (the run's rows read back from storage) carry the same metrics as the test file's parsed rows; one class leaves AUC, AP and curves null", async () => {
    // There is no row-object path any more: what is compared are the two ways rows reach evaluate(),
    // a parsed CSV (the test data) and an ingested file read back from its blobs (a run's new rows).
    const { model } = await seedDeployedModel(t.db);
    const params = modelParameters(model);
    const test = await loadTestData(t.db, TINY_TEST_DATA);
    const fromFile = evaluate(params, test.data);
    // the same rows ingested under other ids (so none is a duplicate of a training row)
    const [header, ...lines] = fs.readFileSync(TINY_TEST_DATA, "utf8").trimEnd().split(/\r?\n/);
    const renamed = [header, ...lines.map((l) => `new-${l}`)].join("\n") + "\n";
    expect(header.split(",")[0]).toBe("corporation");
    const ingested = await ingestFile(t.db, { name: "new-data.csv", content: Buffer.from(renamed), role: "upload" });
    expect(ingested.dataset.rowsAccepted).toBe(test.data.n);
    const cols = await readTrainingColumns(databaseUrlOf(t.db), await currentSchema(t.db), { datasetIds: [ingested.dataset.id] });
    const fromStorage = evaluate(params, cols);
    expect(fromStorage).toEqual(fromFile);
    expect(fromStorage.ranking).toEqual(rankingMetrics(cols.label, predictProbabilityColumns(params, cols)));

    const negativeRows = Array.from({ length: test.data.n }, (_, i) => i).filter((i) => test.data.label[i] === 0);
    expect(negativeRows.length).toBeGreaterThan(0);
    const negatives = columnsFromRows(
      DEMO_SCHEMA,
      negativeRows.map((i) => ({ values: DEMO_SCHEMA.features.map((f) => numericColumn(test.data, f.name).values[i]), label: 0 as const })),
    );
    const one = evaluate(params, negatives);
    expect(one.ranking.rocAuc).toBeNull();
    expect(one.ranking.averagePrecision).toBeNull();
    expect(one.ranking.curves).toBeNull();
    expect(one.ranking.brierScore).toBe(brierScore(new Uint8Array(negatives.n), predictProbabilityColumns(params, negatives)));
  });

  it("GET /api/models/{id}: 404 as JSON for an unknown or malformed id", async () => {
    await seedDeployedModel(t.db);
    for (const id of ["999", "abc", "0", "-1"]) {
      const res = await detail(id);
      expect(res.status).toBe(404);
      expect((await res.json()).error.code).toBe("not_found:model");
    }
  });
});
