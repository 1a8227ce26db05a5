import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { databaseUrlOf, type Db } from "../db/client";
import { countTrainingRecords, readTrainingColumns } from "../db/columns";
import { listDriftChecks } from "../db/drift";
import { createModelVersion } from "../db/models";
import { currentSchema } from "../db/stored-schema";
import { ingestFile } from "../ingestion/ingest";
import { createTestDb, type TestDb } from "../testing/temp-db";
import { scoreHistory } from "../drift/score-history";
import { assessDrift } from "./steps/drift";

/*
 * Pipeline-level score-drift checks on a crafted score history stored in a real database:
 * the history is read through the same query and selection rule as the full process.
 *
 * Crafted history (oldest first): v1's test score at deployment 0.80, then new-data scores
 * 0.70, 0.75, 0.78, 0.72. Thresholds (numpy/R type-7 quartiles, sample SD):
 *   latest        = 0.80 (the deployed model's recorded score)
 *   raw           = min = 0.70
 *   parametric    = mean − 2·SD = 0.75 − 2·sqrt(0.0068/4) = 0.6675378...
 *   nonparametric = Q1 − 1.5·IQR = 0.72 − 1.5·(0.78 − 0.72) = 0.63
 * python: import numpy as np; h=[.8,.7,.75,.78,.72]; np.mean(h)-2*np.std(h,ddof=1) → 0.66753788749;
 *         q1,q3=np.quantile(h,[.25,.75]); q1-1.5*(q3-q1) → 0.63
 */

const TINY = path.join(__dirname, "../../data/samples/tiny");
const t0 = Date.UTC(2026, 0, 1);
const at = (minutes: number) => new Date(t0 + minutes * 60_000);

let t: TestDb;
let model: Awaited<ReturnType<typeof createModelVersion>>;

async function score(db: Db, m: { id: number }, f1: number, kind: string, minutes: number, runId: number | null = null) {
  return db.score.create({
    data: { modelVersionId: m.id, datasetName: kind === "test" ? "testdata.csv" : "batch.csv", kind, runId, rows: 100, f1, precision: f1, recall: f1, accuracy: f1, tp: 1, fp: 1, tn: 1, fn: 1, createdAt: at(minutes) },
  });
}

async function newModel(db: Db) {
  const records = await countTrainingRecords(databaseUrlOf(db));
  return createModelVersion(db, {
    algorithm: "logistic-regression",
    hyperParameters: { learningRate: 1.9, numSteps: 10, threshold: 0.5 },
    weights: { intercept: 0, coefficients: { lastmonth_activity: 0, lastyear_activity: 0, number_of_employees: 0 } },
    scaler: {},
    trainedRows: records.n,
    maxRecordId: records.maxId,
    trainingMs: 1,
  });
}

beforeEach(async () => {
  t = createTestDb();
  await ingestFile(t.db, { name: "batch1.csv", content: fs.readFileSync(path.join(TINY, "batch1.csv")), role: "source" });
  model = await newModel(t.db);
});
afterEach(async () => {
  await t.cleanup();
});

async function craftHistory(newData: number[]) {
  await score(t.db, model, 0.8, "test", 0);
  await t.db.deployment.create({ data: { modelVersionId: model.id, reason: "first", trigger: "first-start", deployedAt: at(1) } });
  for (const [i, f1] of newData.entries()) await score(t.db, model, f1, "new-data", 10 + i, 100 + i);
}

async function check(newScore: number, retrainOn: ("latest" | "raw" | "parametric" | "nonparametric")[] = ["latest"]) {
  const history = await scoreHistory(t.db);
  return assessDrift(t.db, { runId: null, model, newScore, newRows: await readTrainingColumns(t.url, await currentSchema(t.db)), history, retrainOn });
}

describe("score-drift checks on a stored score history", () => {
  it("reads the history oldest first and computes each threshold", async () => {
    await craftHistory([0.7, 0.75, 0.78, 0.72]);
    const d = await check(0.9);
    expect(d.history.entries.map((e) => e.f1)).toEqual([0.8, 0.7, 0.75, 0.78, 0.72]);
    expect(d.history.deployedScore?.f1).toBe(0.8);
    expect(d.checks.latest.threshold).toBe(0.8);
    expect(d.checks.raw.threshold).toBe(0.7);
    expect(d.checks.parametric.threshold).toBeCloseTo(0.66753788749, 10);
    expect(d.checks.nonparametric.threshold).toBeCloseTo(0.63, 12);
    for (const id of ["latest", "raw", "parametric", "nonparametric"] as const) expect(d.checks[id].status).toBe("ok");
  });

  it.each(["latest", "raw", "parametric", "nonparametric"] as const)("%s: at the threshold → ok; just below → drift; just above → ok", async (id) => {
    await craftHistory([0.7, 0.75, 0.78, 0.72]);
    const threshold = (await check(0.9)).checks[id].threshold as number;
    const atThreshold = await check(threshold, [id]);
    expect(atThreshold.checks[id]).toMatchObject({ status: "ok", drifted: false });
    expect(atThreshold.triggered).toBe(false);
    const below = await check(threshold - 1e-9, [id]);
    expect(below.checks[id]).toMatchObject({ status: "drift", drifted: true });
    expect(below.triggered).toBe(true);
    expect(below.fired).toEqual([id]);
    const above = await check(threshold + 1e-9, [id]);
    expect(above.checks[id]).toMatchObject({ status: "ok", drifted: false });
  });

  it("only the DRIFT_TRIGGER checks decide: other checks' drift is recorded but does not trigger", async () => {
    await craftHistory([0.7, 0.75, 0.78, 0.72]);
    const d = await check(0.65, ["nonparametric"]);
    expect(d.checks.latest.status).toBe("drift");
    expect(d.checks.raw.status).toBe("drift");
    expect(d.checks.parametric.status).toBe("drift");
    expect(d.checks.nonparametric.status).toBe("ok");
    expect(d.triggered).toBe(false);
    const both = await check(0.65, ["nonparametric", "parametric"]);
    expect(both.triggered).toBe(true);
    expect(both.fired).toEqual(["parametric"]);
    const stored = (await listDriftChecks(t.db))[0];
    expect(stored.triggered).toBe(true);
    expect(JSON.parse(stored.score).parametric).toMatchObject({ status: "drift", threshold: expect.any(Number), inputs: { previous: 5 }, inTrigger: true });
    expect(JSON.parse(stored.detail)).toMatchObject({ trigger: ["nonparametric", "parametric"], fired: ["parametric"], history: expect.any(Array) });
  });

  it("too little history → insufficient-history (never a silent pass); raw needs 1, parametric 2, nonparametric 4", async () => {
    await craftHistory([]);
    let d = await check(0.1, ["latest", "raw", "parametric", "nonparametric"]);
    expect(d.checks.latest.status).toBe("drift");
    expect(d.checks.raw.status).toBe("drift");
    expect(d.checks.parametric).toMatchObject({ status: "insufficient-history", drifted: null, threshold: null });
    expect(d.checks.nonparametric).toMatchObject({ status: "insufficient-history", drifted: null, threshold: null });
    await score(t.db, model, 0.7, "new-data", 10, 100);
    await score(t.db, model, 0.75, "new-data", 11, 101);
    d = await check(0.1, ["nonparametric"]);
    expect(d.checks.parametric.status).toBe("drift");
    expect(d.checks.nonparametric.status).toBe("insufficient-history");
    expect(d.triggered).toBe(false);
  });

  it("no recorded score for the deployed model → latest is insufficient-history", async () => {
    await t.db.deployment.create({ data: { modelVersionId: model.id, reason: "first", trigger: "first-start", deployedAt: at(1) } });
    const d = await check(0.5);
    expect(d.checks.latest.status).toBe("insufficient-history");
    expect(d.triggered).toBe(false);
  });
});

describe("which Score rows form the history", () => {
  it("deployment-time test scores and new-data scores of runs; not challengers, re-scorings or uploads", async () => {
    await score(t.db, model, 0.8, "test", 0); // v1 at deployment
    await t.db.deployment.create({ data: { modelVersionId: model.id, reason: "first", trigger: "first-start", deployedAt: at(1) } });
    await score(t.db, model, 0.8, "test", 2); // v1 re-scored on the test data (GET /api/scoring, gate): excluded
    await score(t.db, model, 0.7, "new-data", 3, 11); // run 11
    await score(t.db, model, 0.9, "upload", 4); // an uploaded labelled CSV: excluded
    await score(t.db, model, 0.6, "new-data", 5, null); // new-data without a run: excluded
    const loser = await newModel(t.db);
    await score(t.db, loser, 0.5, "test", 6); // challenger rejected at the gate: excluded
    const winner = await newModel(t.db);
    await score(t.db, winner, 0.85, "test", 7);
    await t.db.deployment.create({ data: { modelVersionId: winner.id, previousModelVersionId: model.id, reason: "gate passed", trigger: "pipeline", deployedAt: at(8) } });
    await score(t.db, winner, 0.83, "new-data", 9, 12);
    await t.db.deployment.create({ data: { modelVersionId: model.id, previousModelVersionId: winner.id, reason: "rollback", trigger: "rollback", deployedAt: at(10) } });
    const h = await scoreHistory(t.db);
    expect(h.entries.map((e) => [e.source, e.modelVersion, e.f1])).toEqual([
      ["deployment", 1, 0.8],
      ["new-data", 1, 0.7],
      ["deployment", 3, 0.85],
      ["new-data", 3, 0.83],
      ["deployment", 1, 0.8],
    ]);
    expect(h.deployedScore).toMatchObject({ modelVersion: 1, f1: 0.8 });
  });
});
