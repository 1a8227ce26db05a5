import { STEP_NAMES, type StepName } from "@/lib/vocabulary";

/* Small helpers shared by the charts: readable ticks, one colour per pipeline step, legend text. */

/** "Nice" step (1, 2, 2.5, 5 × 10^k) for about `count` ticks over `span`. */
function niceStep(span: number, count: number): number {
  const raw = span / Math.max(count, 1);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  const nice = norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 2.5 ? 2.5 : norm <= 5 ? 5 : 10;
  return nice * mag;
}

/** Evenly spaced ticks covering [lo, hi] at a nice step; the domain to use is [first, last]. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
  if (hi <= lo) hi = lo + (Math.abs(lo) || 1) * 0.1;
  const step = niceStep(hi - lo, count);
  const start = Math.floor(lo / step) * step;
  const ticks: number[] = [];
  for (let v = start; v < hi + step * 0.999; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

/** Enough decimals to tell neighbouring ticks apart, none for large numbers. */
export function tickFormatter(ticks: readonly number[]): (v: number) => string {
  const step = ticks.length > 1 ? Math.abs(ticks[1] - ticks[0]) : 1;
  // as many decimals as the step itself has (0.25 → 2), so every label is exact
  const decimals = Math.min(6, (String(Number(step.toPrecision(6))).split(".")[1] ?? "").length);
  return (v: number) => (Math.abs(v) >= 10_000 ? `${(v / 1000).toFixed(0)}k` : v.toFixed(decimals));
}

const STEP_COLORS: Record<StepName, string> = {
  ingest: "#2457c5",
  "score-new-data": "#0e7490",
  drift: "#c2410c",
  train: "#7a3bb4",
  score: "#a15c00",
  gate: "#be185d",
  deploy: "#1f7a3a",
  diagnostics: "#5b6673",
  report: "#0f172a",
  predict: "#b42318",
};
const FALLBACK = ["#4d7c0f", "#9333ea", "#0369a1", "#b45309", "#64748b"];

const isStepName = (s: string): s is StepName => (STEP_NAMES as readonly string[]).includes(s);

/** A pipeline step's own colour; anything else (an API timing's name) a fallback by position. */
export function stepColor(step: string, i = 0): string {
  return isStepName(step) ? STEP_COLORS[step] : FALLBACK[i % FALLBACK.length];
}

/** Legend labels in the text colour (light series colours are hard to read as text). */
export const legendText = (value: string) => <span style={{ color: "#1b1f24" }}>{value}</span>;
