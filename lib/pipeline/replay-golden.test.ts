import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../config";
import { listModelVersions } from "../db/models";
import { scoresView } from "../reads/core";
import { parseSchema } from "../schema/parse";
import { createTestDb, type TestDb } from "../testing/temp-db";
import { replayFile } from "./replay-file";
import golden from "../../data/golden/period_f1_golden.json";

/*
 * Each period's F1 equals scikit-learn's (issue 18, "Done when"): data/golden/period_history.csv —
 * three years of accounts, ids in no order, a free-text column, a numeric-looking code, empty
 * cells — replayed by quarter with a retrain trigger that cannot fire (`estimated` without
 * monitored batches), so the first quarter's model scores every later quarter. The expected
 * values are data/golden/period_f1_golden.json, from statsmodels' Logit and sklearn.metrics.f1_score
 * on the same rows (data/golden/period_f1_golden.py says how, and how to run it).
 */

const ROOT = path.join(__dirname, "../..");
const SCHEMA = parseSchema(
  { id: "account", label: "churn", positive: "Y", negative: "N", time: "opened", features: { usage: { type: "numeric", min: 0 }, tenure: { type: "numeric", min: 0 }, segment: "categorical", tier: "categorical" } },
  "the golden history's schema",
);
let t: TestDb;

beforeEach(() => {
  t = createTestDb();
  Object.assign(process.env, { SOURCE_DIR: path.join(t.dir, "source"), REPORT_DIR: path.join(t.dir, "reports"), DRIFT_TRIGGER: "estimated" });
  delete process.env.ALERT_WEBHOOK_URL;
});
afterEach(async () => {
  await t.cleanup();
  delete process.env.DRIFT_TRIGGER;
});

describe("replay by quarter against scikit-learn", () => {
  it("the first quarter's model: its F1 on the hold-out and on each later quarter's rows equal sklearn's", async () => {
    const r = await replayFile({ db: t.db, trigger: "cli" }, loadConfig(), path.join(ROOT, "data/golden/period_history.csv"), { by: "quarter", minPeriodRows: 200, schema: SCHEMA, fullOptions: { dependencies: "skip" } });
    expect(r.runs.map((x) => x.run.status)).toEqual(r.periods.map(() => "succeeded"));
    expect(r.testData).toMatchObject({ heldOut: true, rows: golden.heldOut });
    expect(r.periods[0].rows).toBe(golden.trainRows);
    expect(await listModelVersions(t.db)).toHaveLength(1);

    const scores = (await scoresView(t.db, { limit: 1000 })).scores;
    const byQuarter = Object.fromEntries(
      scores.filter((s) => s.kind === "new-data").map((s) => [r.periods.find((p) => p.start <= s.periodStart! && s.periodStart! <= p.end)!.key, { rows: s.rows, f1: s.f1 }]),
    );
    expect(Object.keys(byQuarter)).toEqual(Object.keys(golden.periods));
    for (const [key, want] of Object.entries(golden.periods)) {
      expect(byQuarter[key].rows, key).toBe(want.rows);
      expect(byQuarter[key].f1, key).toBeCloseTo(want.f1, 12);
    }
    const test = scores.find((s) => s.kind === "test")!;
    expect(test.rows).toBe(golden.test.rows);
    expect(test.f1).toBeCloseTo(golden.test.f1, 12);
  }, 120_000);
});
