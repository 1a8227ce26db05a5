import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { monitorBatch } from "../batches/monitor";
import { loadConfig } from "../config";
import { listDriftChecks } from "../db/drift";
import { getCurrentDeployment } from "../db/models";
import { columnsFromRows } from "../csv/rows-to-columns";
import { predictProbabilityColumns } from "../model/logistic";
import type { PredictionInputRow } from "../prediction/predict";
import { DEMO_SCHEMA } from "../testing/demo-schema";
import { createRng } from "../stats/random";
import { renamedBatch3, useTinySourceDb } from "../testing/tiny-source";
import { modelParameters } from "../model/stored";

/*
 * The `estimated` score check in the full process (DRIFT_TRIGGER=estimated): no monitored batch
 * since the deployment → insufficient-history and no retrain; a batch whose estimated F1 band lies
 * below the deployed model's test F1 → drift, and the run retrains.
 */

const t = useTinySourceDb("estimated");
const { full } = t;

/** Clients the deployed model is surest will stay: no predicted exit, so an estimated F1 of 0 in every simulation. */
async function safestClients(n: number) {
  const model = modelParameters((await getCurrentDeployment(t.db))!.modelVersion);
  const next = createRng(3);
  // unlabelled rows of the demo schema: lastmonth_activity, lastyear_activity, number_of_employees
  const pool = Array.from({ length: 20 * n }, (_, i): PredictionInputRow => ({
    id: `calm-${i}`,
    values: [Math.round(next() * 2000), Math.round(next() * 20000), Math.round(next() * 200)],
    label: null,
  }));
  const p = predictProbabilityColumns(model, columnsFromRows(DEMO_SCHEMA, pool));
  return pool
    .map((r, i) => ({ r, p: p[i] }))
    .sort((a, b) => a.p - b.p)
    .slice(0, n)
    .map((x) => x.r);
}

describe("the estimated check in the full process", () => {
  it("insufficient-history without a batch; drift (and a retrain) when the newest unlabelled batch's F1 band is below the test F1", async () => {
    expect((await full()).outcome).toBe("redeployed");

    fs.writeFileSync(path.join(t.sourceDir, "new-1.csv"), renamedBatch3("a-"));
    const quiet = await full();
    expect(quiet.outcome).toBe("no-drift");
    expect(quiet.reason).toContain("estimated could not run yet: insufficient history");
    let [check] = await listDriftChecks(t.db);
    expect(JSON.parse(check.score).estimated).toMatchObject({ status: "insufficient-history", drifted: null, inTrigger: true });

    const { batch } = await monitorBatch(t.db, loadConfig(), { name: "calm.csv", sha256: "calm", rows: await safestClients(30) });
    expect(batch.estimate.predictedPositive).toBe(0);
    expect(batch.estimate.f1).toEqual({ estimate: 0, lower: 0, upper: 0 });

    fs.writeFileSync(path.join(t.sourceDir, "new-2.csv"), renamedBatch3("b-"));
    const drifted = await full();
    expect(["redeployed", "gate-rejected"]).toContain(drifted.outcome);
    expect(drifted.reason).toContain("[estimated]");
    [check] = await listDriftChecks(t.db);
    expect(check.triggered).toBe(true);
    const estimated = JSON.parse(check.score).estimated;
    expect(estimated).toMatchObject({ status: "drift", drifted: true, inTrigger: true, inputs: { batchId: batch.id, batchName: "calm.csv", estimatedF1Upper: 0 } });
    expect(estimated.threshold).toBeGreaterThan(0);
    expect(JSON.parse(check.detail).fired).toEqual(["estimated"]);
  }, 60_000);
});
