import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../config";
import { listDatasets } from "../db/datasets";
import { listDriftChecks } from "../db/drift";
import { getCurrentDeployment, listModelVersions } from "../db/models";
import { listRuns } from "../db/runs";
import { createTestDb, type TestDb } from "../testing/temp-db";
import { prepareFirstStart } from "./first-start";
import { scoresView } from "../reads/core";
import { runsView } from "../reads/monitoring";

/*
 * First start on an empty database replays the demo months through the real full process, one
 * run per month in name order; a second start replays nothing.
 */

const ROOT = path.join(__dirname, "../..");
let t: TestDb;

beforeEach(() => {
  t = createTestDb();
  const source = path.join(t.dir, "source");
  fs.mkdirSync(source);
  for (const f of fs.readdirSync(path.join(ROOT, "data/sourcedata"))) fs.copyFileSync(path.join(ROOT, "data/sourcedata", f), path.join(source, f));
  Object.assign(process.env, { SOURCE_DIR: source, TEST_DATA: path.join(ROOT, "data/testdata/testdata.csv"), REPORT_DIR: path.join(t.dir, "reports"), DRIFT_TRIGGER: "latest" });
  delete process.env.ALERT_WEBHOOK_URL;
});
afterEach(async () => {
  await t.cleanup();
});

describe("first start: replay of the demo months", () => {
  it("one run per month in name order: the first deploys, the later ones score, check drift, retrain and gate; the shifted month drifts", async () => {
    const config = loadConfig();
    const months = fs.readdirSync(config.SOURCE_DIR).filter((f) => f.endsWith(".csv")).sort();
    expect(months.length).toBeGreaterThanOrEqual(10);
    const seen: string[] = [];
    const r = await prepareFirstStart(t.db, config, (file) => seen.push(file));
    expect(r.seeded).toBeNull();
    expect(seen).toEqual(months);
    expect(r.replayed.map((x) => x.run.status)).toEqual(months.map(() => "succeeded"));
    expect(r.replayed[0].run.outcome).toBe("redeployed");
    expect(r.replayed[0].run.reason).toMatch(/^first model/);

    // each run ingested exactly its own month
    const datasets = await listDatasets(t.db);
    for (const [i, { run }] of r.replayed.entries()) {
      const own = datasets.filter((d) => d.ingestedByRunId === run.id).map((d) => d.name);
      expect(own, months[i]).toEqual([months[i]]);
    }
    // the demo rows carry their month (data/schema.json's time column): each run is about its month, and so is its new-data score
    const runs = (await runsView(t.db, { limit: 100 })).runs.reverse();
    expect(runs.map((x) => [x.periodStart?.slice(0, 10), x.periodEnd?.slice(0, 10)])).toEqual(
      months.map((_, i) => [`2024-${String(i + 1).padStart(2, "0")}-01`, `2024-${String(i + 1).padStart(2, "0")}-01`]),
    );
    const newData = (await scoresView(t.db, { limit: 100 })).scores.filter((s) => s.kind === "new-data");
    expect(newData.map((s) => s.periodStart?.slice(0, 7))).toEqual(months.slice(1).map((_, i) => `2024-${String(i + 2).padStart(2, "0")}`));
    // every later month was scored and drift-checked; the shifted month fired the trigger, so it was retrained and gated
    const checks = await listDriftChecks(t.db);
    expect(checks.length).toBe(months.length - 1);
    const shifted = r.replayed.at(-1)!;
    expect(shifted.file).toMatch(/shifted/);
    expect(["redeployed", "gate-rejected"]).toContain(shifted.run.outcome);
    expect(shifted.run.steps.map((s) => s.name)).toEqual(expect.arrayContaining(["score-new-data", "drift", "train", "score"]));
    // a history worth looking at: several versions, more than one deployment, gate decisions both ways
    expect((await listModelVersions(t.db)).length).toBeGreaterThanOrEqual(3);
    const outcomes = new Set(r.replayed.map((x) => x.run.outcome));
    expect(outcomes.has("gate-rejected")).toBe(true);
    expect(r.replayed.slice(1).some((x) => x.run.outcome === "redeployed")).toBe(true);
    expect(await getCurrentDeployment(t.db)).not.toBeNull();

    // a second start: nothing to replay, no new run
    const again = await prepareFirstStart(t.db, config);
    expect(again.replayed).toEqual([]);
    expect(again.seeded?.ingest.ingested).toEqual([]);
    expect((await listRuns(t.db)).length).toBe(months.length);
  }, 120_000);
});
