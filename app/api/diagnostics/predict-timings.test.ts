import { afterEach, describe, expect, it, vi } from "vitest";
import { POST as predict } from "@/app/api/prediction/route";
import { createTimingAggregates } from "@/lib/db/timing-aggregates";
import { TIMING_INTERVAL_MS, flushTimingAggregates } from "@/lib/diagnostics/timing-aggregator";
import { getRequest, jsonRequest, seedDeployedModel, useRouteTestDb } from "@/lib/testing/api";
import { DiagnosticsResponse } from "@/lib/validations/monitoring";
import { GET as getDiagnostics } from "./route";

/* Prediction timings (aggregated in memory, lib/diagnostics/timing-aggregator.ts) as POST /api/prediction and GET /api/diagnostics see them. */

const t = useRouteTestDb();
afterEach(async () => {
  vi.restoreAllMocks();
});

const row = { corporation: "a", lastmonth_activity: 10, lastyear_activity: 100, number_of_employees: 5 };
const noParams = { params: Promise.resolve({}) };

type Timing = { lastMs: number; p50Ms: number; p95Ms: number; meanMs: number; count: number; lastAt: string };

/** GET /api/diagnostics, checked against its schema; returned whole (the schema strips meanMs and lastAt). */
async function diagnostics(): Promise<{ timings: Record<string, Timing> }> {
  const res = await getDiagnostics(getRequest("/api/diagnostics"), noParams);
  expect(res.status).toBe(200);
  const body = await res.json();
  DiagnosticsResponse.parse(body);
  return body;
}

describe("timing aggregator", () => {
  it("a prediction answers while the aggregate table cannot be written", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    await seedDeployedModel(t.db);
    await t.db.$executeRawUnsafe(`DROP TABLE "TimingAggregate"`);
    expect((await predict(jsonRequest("/api/prediction", { rows: [row] }), undefined)).status).toBe(200);
    await expect(flushTimingAggregates({ all: true })).resolves.toBe(0);
    expect((await predict(jsonRequest("/api/prediction", { rows: [row] }), undefined)).status).toBe(200);
  });
});

describe("GET /api/diagnostics timings.predict", () => {
  it("counts predictions before and after the flush, once, from memory plus the stored intervals", async () => {
    await seedDeployedModel(t.db);
    for (let i = 0; i < 3; i++) expect((await predict(jsonRequest("/api/prediction", { rows: [row] }), undefined)).status).toBe(200);
    expect(await t.db.timingAggregate.count()).toBe(0);

    const before = (await diagnostics()).timings.predict;
    expect(before.count).toBe(3);
    expect(before.lastMs).toBeGreaterThan(0);
    expect(before.p50Ms).toBeGreaterThan(0);
    expect(before.p95Ms).toBeGreaterThanOrEqual(before.p50Ms);

    expect(await flushTimingAggregates({ all: true })).toBe(1);
    const stored = await t.db.timingAggregate.findMany();
    expect(stored).toEqual([expect.objectContaining({ step: "predict", source: "api", count: 3 })]);
    const after = (await diagnostics()).timings.predict;
    // same figures: moved from memory to the table, not counted twice (the mean up to summation order)
    expect({ ...after, meanMs: 0 }).toEqual({ ...before, meanMs: 0 });
    expect(after.meanMs).toBeCloseTo(before.meanMs, 10);

    expect((await predict(jsonRequest("/api/prediction", { rows: [row] }), undefined)).status).toBe(200);
    expect((await diagnostics()).timings.predict.count).toBe(4);
  });

  it("another process's stored intervals: totals over all of them, last time and quantiles from the newest", async () => {
    const at = (min: number) => new Date(Date.UTC(2026, 10, 29, 12, min));
    const interval = (min: number, count: number, sumMs: number, p50Ms: number, p95Ms: number, lastMs: number) => ({
      step: "predict",
      source: "api",
      periodStart: at(min),
      periodMs: TIMING_INTERVAL_MS,
      count,
      sumMs,
      minMs: 1,
      maxMs: 50,
      p50Ms,
      p95Ms,
      lastMs,
      lastAt: new Date(at(min).getTime() + 59_000),
    });
    await createTimingAggregates(t.db, [interval(0, 10, 50, 4, 9, 3), interval(1, 30, 90, 2, 6, 2.5)]);
    const d = await diagnostics();
    expect(d.timings.predict).toMatchObject({ count: 40, lastMs: 2.5, p50Ms: 2, p95Ms: 6, meanMs: 3.5, lastAt: "2026-11-29T12:01:59.000Z" });
  });
});
