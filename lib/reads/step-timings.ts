import type { Db } from "../db/client";
import { listStepDurations } from "../db/metrics";
import { summarizeTimingAggregates } from "../db/timing-aggregates";
import { liveStepTimings } from "../diagnostics/timing-aggregator";
import { mergeStepTimings, type StepTimingPart, type StepTimingTotals } from "../diagnostics/timings";
import { quantiles } from "../stats/quantile";

/**
 * Latency per step for GET /api/diagnostics and /api/metrics, from three parts: StepTiming
 * rows (pipeline, CLI and API steps; SQL totals plus the newest `take` per step), TimingAggregate
 * intervals (predictions; SQL totals plus the newest interval) and this process's unflushed
 * prediction timings. Nothing here loads a whole table.
 */
export async function stepTimings(db: Db, { take = 1000, excludeSource }: { take?: number; excludeSource?: string } = {}): Promise<Record<string, StepTimingTotals>> {
  const [rows, intervals] = await Promise.all([listStepDurations(db, { take, excludeSource }), summarizeTimingAggregates(db)]);
  const live = liveStepTimings(db);
  const parts: StepTimingPart[] = [];
  for (const d of rows) {
    if (d.recentMs.length === 0 || !d.lastAt) continue;
    const [p50, p95] = quantiles(d.recentMs, [0.5, 0.95]);
    parts.push({ step: d.step, count: d.count, sumMs: d.sumMs, lastMs: d.recentMs[0], lastAt: d.lastAt, p50Ms: p50, p95Ms: p95 });
  }
  for (const a of intervals) {
    parts.push({ step: a.step, count: a.count, sumMs: a.sumMs, lastMs: a.newest.lastMs, lastAt: a.newest.lastAt, p50Ms: a.newest.p50Ms, p95Ms: a.newest.p95Ms });
  }
  parts.push(...live);
  return mergeStepTimings(parts);
}
