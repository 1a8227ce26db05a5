import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../config";
import { getDb } from "../db/client";
import { listRuns } from "../db/runs";
import { waitForBackgroundRuns } from "./background";
import { createTestDb, type TestDb } from "../testing/temp-db";
import { stopSchedule, tickTime, validateCron } from "../scheduler/schedule";
import { scheduledTick, startSchedule } from "./schedule";

const TINY = path.join(__dirname, "../../data/samples/tiny");

let t: TestDb;
beforeEach(() => {
  t = createTestDb();
  Object.assign(process.env, { SOURCE_DIR: TINY, TEST_DATA: path.join(TINY, "testdata.csv"), REPORT_DIR: path.join(t.dir, "reports"), npm_config_registry: "http://127.0.0.1:9/" });
});
afterEach(async () => {
  stopSchedule();
  await t.cleanup();
});

describe("schedule", () => {
  it("rejects a bad PIPELINE_CRON with a message naming it", () => {
    expect(() => validateCron("every ten minutes")).toThrow(/PIPELINE_CRON/);
    expect(() => validateCron("*/10 * * * *")).not.toThrow();
  });

  it("a tick starts a run with trigger schedule; a tick while a run holds the lock is a recorded skip", async () => {
    await t.db.pipelineLock.create({ data: { id: 1, owner: "other:1", expiresAt: new Date(Date.now() + 60_000) } });
    const skipped = await scheduledTick(t.db, loadConfig());
    expect(skipped).toMatchObject({ skipped: expect.stringMatching(/already in progress/) });
    expect(await listRuns(t.db)).toHaveLength(0);
    await t.db.pipelineLock.deleteMany({});
    const started = await scheduledTick(t.db, loadConfig());
    expect(started).toMatchObject({ started: expect.any(Number) });
    await waitForBackgroundRuns();
    const [run] = await listRuns(t.db);
    expect(run).toMatchObject({ trigger: "schedule", status: "succeeded", outcome: "redeployed" });
  }, 30_000);

  it("croner fires ticks on the pattern (every second here)", async () => {
    const state = startSchedule(() => getDb(t.url), "* * * * * *", loadConfig());
    await new Promise((r) => setTimeout(r, 2500));
    stopSchedule();
    await waitForBackgroundRuns();
    expect(state.ticks).toBeGreaterThanOrEqual(1);
    const runs = await listRuns(t.db);
    expect(runs.length).toBeGreaterThanOrEqual(1);
    expect(runs.every((r) => r.trigger === "schedule")).toBe(true);
    expect(state.started + state.skipped).toBe(state.ticks);
  }, 30_000);

  it("every instance may carry the schedule: one tick, claimed by two instances, starts one run even after it finished", async () => {
    const at = tickTime("*/5 * * * *", new Date("2026-11-29T12:05:17Z"));
    expect(at.toISOString()).toBe("2026-11-29T12:05:00.000Z");
    const first = await scheduledTick(t.db, loadConfig(), undefined, at);
    expect(first).toMatchObject({ started: expect.any(Number) });
    await waitForBackgroundRuns(); // the run is over and the lock free: only the claim stops the second instance
    const second = await scheduledTick(t.db, loadConfig(), undefined, at);
    expect(second).toMatchObject({ skipped: expect.stringMatching(/taken by another instance/) });
    const next = await scheduledTick(t.db, loadConfig(), undefined, new Date(at.getTime() + 300_000));
    expect(next).toMatchObject({ started: expect.any(Number) });
    await waitForBackgroundRuns();
    expect((await listRuns(t.db)).map((r) => r.trigger)).toEqual(["schedule", "schedule"]);
    expect(await t.db.scheduleTick.findMany({ orderBy: { at: "asc" }, select: { at: true, runId: true } })).toEqual([
      { at, runId: (first as { started: number }).started },
      { at: new Date(at.getTime() + 300_000), runId: (next as { started: number }).started },
    ]);
  }, 30_000);
});
