import { afterEach, describe, expect, it, vi } from "vitest";
import { useRouteTestDb } from "../testing/api";
import { TIMING_INTERVAL_MS, flushTimingAggregates, liveStepTimings, recordStepDuration } from "./timing-aggregator";

/* The in-memory aggregation of step durations; what GET /api/diagnostics makes of it: app/api/diagnostics/predict-timings.test.ts. */

const t = useRouteTestDb();
afterEach(async () => {
  vi.restoreAllMocks();
});

describe("timing aggregator", () => {
  it("one row per step, source and interval with count, sum, min, max, p50, p95 and the last duration; only finished intervals unless all", async () => {
    const t0 = Date.UTC(2026, 10, 29, 12, 0, 0);
    // numpy.quantile([10, 20, 30, 40], [0.5, 0.95]) = [25., 38.5]
    for (const [i, ms] of [10, 40, 20, 30].entries()) recordStepDuration(t.db, { step: "predict", ms, at: t0 + i * 1000 });
    recordStepDuration(t.db, { step: "predict", ms: 7, at: t0 + TIMING_INTERVAL_MS + 5 });

    expect(await flushTimingAggregates({ now: t0 + TIMING_INTERVAL_MS + 10 })).toBe(1); // the second interval is not over
    const [first] = await t.db.timingAggregate.findMany();
    expect(first).toMatchObject({ step: "predict", source: "api", periodMs: TIMING_INTERVAL_MS, count: 4, sumMs: 100, minMs: 10, maxMs: 40, p50Ms: 25, lastMs: 30 });
    expect(first.p95Ms).toBeCloseTo(38.5, 10);
    expect(first.periodStart.getTime()).toBe(t0);
    expect(first.lastAt.getTime()).toBe(t0 + 3000);
    expect(liveStepTimings(t.db)).toEqual([expect.objectContaining({ step: "predict", count: 1, sumMs: 7, lastMs: 7 })]);

    expect(await flushTimingAggregates({ all: true })).toBe(1);
    expect(await t.db.timingAggregate.count()).toBe(2);
    expect(liveStepTimings(t.db)[0]).toMatchObject({ count: 0, sumMs: 0, lastMs: 7 }); // the newest durations stay for p50/p95
    expect(await flushTimingAggregates({ all: true })).toBe(0);
  });

  it("a failed write neither throws nor loses the counts: they stay live and are written by a later flush", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    recordStepDuration(t.db, { step: "predict", ms: 5 });
    await t.db.$executeRawUnsafe(`ALTER TABLE "TimingAggregate" RENAME TO "TimingAggregateAway"`);
    await expect(flushTimingAggregates({ all: true })).resolves.toBe(0);
    expect(console.warn).toHaveBeenCalledWith(expect.stringContaining("will retry"));
    expect(liveStepTimings(t.db)[0]).toMatchObject({ count: 1 });
    await t.db.$executeRawUnsafe(`ALTER TABLE "TimingAggregateAway" RENAME TO "TimingAggregate"`);
    expect(await flushTimingAggregates({ all: true })).toBe(1);
    expect(await t.db.timingAggregate.findFirst()).toMatchObject({ count: 1, sumMs: 5 });
  });
});
