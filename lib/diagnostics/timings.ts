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
