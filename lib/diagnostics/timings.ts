import { quantile } from "../stats/quantile";

export interface StepTimingSummary {
  lastMs: number;
  p50Ms: number;
  p95Ms: number;
  meanMs: number;
  count: number;
  lastAt: string;
}

/**
 * Per-step latency summary for GET /api/diagnostics: the newest time, p50 and p95 (type-7
 * quantiles, lib/stats/quantile.ts) and the count, over the timings given (newest first).
 */
export function summarizeTimings(timings: readonly { step: string; ms: number; createdAt: Date }[]): Record<string, StepTimingSummary> {
  const byStep = new Map<string, { ms: number[]; last: { ms: number; at: Date } }>();
  for (const t of timings) {
    const entry = byStep.get(t.step);
    if (!entry) byStep.set(t.step, { ms: [t.ms], last: { ms: t.ms, at: t.createdAt } });
    else {
      entry.ms.push(t.ms);
      if (t.createdAt > entry.last.at) entry.last = { ms: t.ms, at: t.createdAt };
    }
  }
  const out: Record<string, StepTimingSummary> = {};
  for (const [step, { ms, last }] of [...byStep.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    out[step] = {
      lastMs: last.ms,
      p50Ms: quantile(ms, 0.5),
      p95Ms: quantile(ms, 0.95),
      meanMs: ms.reduce((a, b) => a + b, 0) / ms.length,
      count: ms.length,
      lastAt: last.at.toISOString(),
    };
  }
  return out;
}

export interface StepTimingTotals extends StepTimingSummary {
  sumMs: number;
}

/**
 * One source of a step's timings: stored StepTiming rows, stored TimingAggregate intervals, or
 * what this process measured and has not stored yet. `count` and `sumMs` add up across
 * sources; `lastMs`, `p50Ms` and `p95Ms` describe the source's newest durations.
 */
export interface StepTimingPart {
  step: string;
  count: number;
  sumMs: number;
  lastMs: number;
  lastAt: Date;
  p50Ms: number;
  p95Ms: number;
}

/**
 * Per step: count and mean over every part, and the last time with p50/p95 from the part that
 * measured most recently (for a prediction: this process's newest durations, else the newest
 * stored interval). Steps sorted by name.
 */
export function mergeStepTimings(parts: readonly StepTimingPart[]): Record<string, StepTimingTotals> {
  const byStep = new Map<string, { count: number; sumMs: number; newest: StepTimingPart }>();
  for (const p of parts) {
    const m = byStep.get(p.step);
    if (!m) byStep.set(p.step, { count: p.count, sumMs: p.sumMs, newest: p });
    else {
      m.count += p.count;
      m.sumMs += p.sumMs;
      // on a tie the later part wins: callers list this process's own durations last
      if (p.lastAt >= m.newest.lastAt) m.newest = p;
    }
  }
  const out: Record<string, StepTimingTotals> = {};
  for (const [step, { count, sumMs, newest }] of [...byStep.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    out[step] = {
      lastMs: newest.lastMs,
      p50Ms: newest.p50Ms,
      p95Ms: newest.p95Ms,
      meanMs: count > 0 ? sumMs / count : newest.lastMs,
      count,
      sumMs,
      lastAt: newest.lastAt.toISOString(),
    };
  }
  return out;
}
