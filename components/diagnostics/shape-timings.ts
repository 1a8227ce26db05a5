import { quantile } from "@/lib/stats/quantile";
import type { Diagnostics, TimingEntry } from "@/lib/queries/types";

export interface LatencySeries {
  step: string;
  points: { t: number; ms: number; source: string; createdAt: string }[];
}

/** One series per step, x = time (ms since epoch), y = duration (ms, floored at 0.01 for the log axis). */
export function shapeLatency(timings: readonly TimingEntry[]): LatencySeries[] {
  const by = new Map<string, LatencySeries>();
  for (const t of timings) {
    let s = by.get(t.step);
    if (!s) by.set(t.step, (s = { step: t.step, points: [] }));
    s.points.push({ t: new Date(t.createdAt).getTime(), ms: Math.max(t.ms, 0.01), source: t.source, createdAt: t.createdAt });
  }
  return [...by.values()];
}

export interface PercentileRow {
  step: string;
  lastMs: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
  count: number;
}

/** p50/p95 per step: the API's figures when it sends them, else computed from the stored timings (same quantile definition). */
export function shapePercentiles(api: Diagnostics["timings"] | undefined, timings: readonly TimingEntry[]): PercentileRow[] {
  if (api && Object.keys(api).length > 0) return Object.entries(api).map(([step, t]) => ({ step, ...t }));
  return shapeLatency(timings).map((s) => {
    const ms = s.points.map((p) => p.ms);
    return { step: s.step, lastMs: ms.at(-1) ?? null, p50Ms: ms.length ? quantile(ms, 0.5) : null, p95Ms: ms.length ? quantile(ms, 0.95) : null, count: ms.length };
  });
}
