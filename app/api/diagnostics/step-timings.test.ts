import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GET as getDiagnostics } from "@/app/api/diagnostics/route";
import { GET as getMetrics } from "@/app/api/metrics/route";
import { getRequest } from "@/lib/testing/api";
import { createTestDb, type TestDb } from "@/lib/testing/temp-db";
import { stepTimings } from "@/lib/reads/step-timings";

let t: TestDb;
beforeEach(() => {
  t = createTestDb();
  delete process.env.ADMIN_TOKEN;
});
afterEach(async () => {
  await t.cleanup();
});

const STEPS = ["ingest", "train", "score", "deploy"];

/** `n` StepTiming rows in one statement: step i % 4, ms = i % 1000 (+1), one second apart (Prisma's DateTime text). */
async function seedStepTimings(n: number): Promise<void> {
  await t.db.$executeRawUnsafe(`
    WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i + 1 < ${n})
    INSERT INTO "StepTiming" ("step", "ms", "source", "createdAt")
    SELECT CASE i % 4 ${STEPS.map((s, k) => `WHEN ${k} THEN '${s}'`).join(" ")} END,
           (i % 1000) + 1,
           CASE WHEN i % 100 = 0 THEN 'timing-check' ELSE 'pipeline' END,
           strftime('%Y-%m-%dT%H:%M:%f', 1700000000 + i, 'unixepoch') || '+00:00'
    FROM seq`);
}

/** `n` one-minute prediction intervals of 10 requests each. */
async function seedIntervals(n: number): Promise<void> {
  await t.db.$executeRawUnsafe(`
    WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i + 1 < ${n})
    INSERT INTO "TimingAggregate" ("step", "source", "periodStart", "periodMs", "count", "sumMs", "minMs", "maxMs", "p50Ms", "p95Ms", "lastMs", "lastAt", "createdAt")
    SELECT 'predict', 'api', strftime('%Y-%m-%dT%H:%M:%f', 1700000000 + 60 * i, 'unixepoch') || '+00:00', 60000, 10, 20, 1, 4, 2, 3.5, 2.5,
           strftime('%Y-%m-%dT%H:%M:%f', 1700000000 + 60 * i + 59, 'unixepoch') || '+00:00',
           strftime('%Y-%m-%dT%H:%M:%f', 1700000000 + 60 * i + 60, 'unixepoch') || '+00:00'
    FROM seq`);
}

/** Fastest and median of `runs` calls after a warm-up (the fastest is the work itself; the median also carries the load of parallel test files). */
async function timeCalls(fn: () => Promise<Response>, runs = 5): Promise<{ min: number; median: number }> {
  await fn(); // warm-up
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const res = await fn();
    await res.text();
    ms.push(performance.now() - start);
    expect(res.status).toBe(200);
  }
  ms.sort((a, b) => a - b);
  return { min: ms[0], median: ms[Math.floor(runs / 2)] };
}

describe("step timings over a long history", () => {
  it("totals over every row in SQL, the newest durations for the quantiles", async () => {
    await seedStepTimings(8);
    await seedIntervals(3);
    const s = await stepTimings(t.db, { take: 1, excludeSource: "timing-check" });
    // rows 1..7 (row 0 is a timing check): ingest 4 (i=4: ms 5), train 1, 5 (ms 2, 6), score 2, 6, deploy 3, 7
    expect(s.ingest).toMatchObject({ count: 1, sumMs: 5, lastMs: 5 });
    expect(s.train).toMatchObject({ count: 2, sumMs: 8, lastMs: 6, p50Ms: 6, p95Ms: 6 });
    expect(s.predict).toMatchObject({ count: 30, sumMs: 60, meanMs: 2, lastMs: 2.5, p50Ms: 2, p95Ms: 3.5 });
    expect(s.predict.lastAt).toBe(new Date((1700000000 + 120 + 59) * 1000).toISOString());
  });

  it("GET /api/diagnostics and /api/metrics answer within 100 ms with 100,000 timing rows and 20,000 stored intervals", async () => {
    await seedStepTimings(100_000);
    await seedIntervals(20_000);
    const diagnostics = await getDiagnostics(getRequest("/api/diagnostics"), { params: Promise.resolve({}) });
    const body = await diagnostics.json();
    expect(body.timings.train.count).toBe(25_000);
    expect(body.timings.ingest.count).toBe(24_000); // every 100th row is a timing check (all of them ingest rows), not counted here
    expect(body.timings.predict.count).toBe(200_000);

    const d = await timeCalls(() => getDiagnostics(getRequest("/api/diagnostics"), { params: Promise.resolve({}) }));
    const m = await timeCalls(() => getMetrics(getRequest("/api/metrics"), undefined));
    const show = (t: { min: number; median: number }) => `${t.min.toFixed(1)} ms fastest, ${t.median.toFixed(1)} ms median`;
    console.log(`with 100,000 StepTiming rows and 20,000 intervals, 5 calls: /api/diagnostics ${show(d)}; /api/metrics ${show(m)}`);
    expect(d.min).toBeLessThan(100);
    expect(m.min).toBeLessThan(100);
  });
});
