import { granularityOf, isoTimeMs, periodLabel, type PeriodGranularity } from "@/lib/time/periods";

/*
 * The x axis of a chart of recorded facts (issue 18): time when every point says which period of
 * data it is about, else the old position axis (1, 2, 3 … oldest first), which is kept only for
 * facts recorded before periods were (or about no rows). Pure functions: the charts draw what
 * these return.
 */

/** What a point needs to sit on the time axis: the API's `periodStart` / `periodEnd` (ISO or null). */
export interface PeriodLike {
  periodStart?: string | null;
  periodEnd?: string | null;
}

export interface PeriodSpan {
  start: number;
  end: number;
}

export interface PeriodAxis {
  kind: "time" | "index";
  /** the granularity the ticks are labelled with; null on the index axis */
  by: PeriodGranularity | null;
  /** per input point, in input order: its x (period end in ms, maybe offset; or its 1-based position) */
  xs: number[];
  /** per input point: its period in ms (null on the index axis) */
  periods: (PeriodSpan | null)[];
  ticks: number[];
  domain: [number, number];
  /** the axis title */
  title: string;
}

const MS_PER_DAY = 86_400_000;
/** A period's nominal length: the room around a chart's only period. */
const NOMINAL_DAYS: Record<PeriodGranularity, number> = { day: 1, week: 7, month: 30, quarter: 91, year: 365 };
/** Points of one period are spread over this share of the period's nominal length. */
const SAME_PERIOD_SPREAD = 0.3;

/** A point's period in ms, or null when it has none (or an unreadable one). */
export function periodSpanOf(p: PeriodLike): PeriodSpan | null {
  if (!p.periodStart || !p.periodEnd) return null;
  const start = isoTimeMs(p.periodStart) ?? Date.parse(p.periodStart);
  const end = isoTimeMs(p.periodEnd) ?? Date.parse(p.periodEnd);
  return Number.isFinite(start) && Number.isFinite(end) ? { start, end } : null;
}

/**
 * The axis for `points` (in the order they will be drawn, oldest first). Time when every point has
 * a period (and there is at least one): x = the period's end. Several points of one period of the
 * granularity (a test score and a new-data score of the same month, two batches that arrived the
 * same day seconds apart) would sit on top of each other and the tooltip could show only one, so
 * they are spread symmetrically around the mean of their ends, in input order, over 30 % of the
 * granularity's nominal length (9 days of a month): each stays hoverable and still reads as "that
 * period" (its tick sits in the middle of the group), and periods a granularity apart do not run
 * into each other. One tick per period, thinned to `maxTicks`; `indexTitle` names the index axis.
 */
export function periodAxis(points: readonly PeriodLike[], { maxTicks = 12, indexTitle }: { maxTicks?: number; indexTitle: string }): PeriodAxis {
  const periods = points.map(periodSpanOf);
  if (points.length === 0 || periods.some((p) => p === null)) return indexAxis(points.length, maxTicks, indexTitle);
  const spans = periods as PeriodSpan[];
  const ends = [...new Set(spans.map((p) => p.end))].sort((a, b) => a - b);
  const distinct = ends.map((end) => spans.find((p) => p.end === end) as PeriodSpan);
  const by = granularityOf(distinct);
  const unit = NOMINAL_DAYS[by] * MS_PER_DAY;
  const { xs, centres } = spreadSamePeriod(spans.map((p) => p.end), by, unit * SAME_PERIOD_SPREAD);
  const pad = Math.max(unit / 2, (ends[ends.length - 1] - ends[0]) * 0.03);
  return { kind: "time", by, xs, periods: spans, ticks: thinTicks(centres, maxTicks), domain: [ends[0] - pad, ends[ends.length - 1] + pad], title: `period (end of the data, by ${by})` };
}

function indexAxis(n: number, maxTicks: number, title: string): PeriodAxis {
  const xs = Array.from({ length: n }, (_, i) => i + 1);
  return { kind: "index", by: null, xs, periods: xs.map(() => null), ticks: thinTicks(xs, maxTicks), domain: [0.5, Math.max(n, 1) + 0.5], title };
}

/**
 * The points grouped by the period of `by` their end falls in: a lone point stays at its end, a
 * group is spread evenly over `width` around the mean of its ends, in input order. `centres`: one
 * per period, ascending (where its tick goes).
 */
function spreadSamePeriod(ends: readonly number[], by: PeriodGranularity, width: number): { xs: number[]; centres: number[] } {
  const groups = new Map<string, number[]>();
  ends.forEach((e, i) => {
    const label = periodLabel(e, by);
    groups.set(label, [...(groups.get(label) ?? []), i]);
  });
  const xs = [...ends];
  const centres: number[] = [];
  for (const members of groups.values()) {
    const centre = members.reduce((sum, i) => sum + ends[i], 0) / members.length;
    centres.push(centre);
    if (members.length > 1) members.forEach((i, k) => (xs[i] = centre - width / 2 + (width * k) / (members.length - 1)));
  }
  return { xs, centres: centres.sort((a, b) => a - b) };
}

/** Every tick up to `max`, else every k-th from the first (the newest may then go unlabelled). */
function thinTicks(ticks: number[], max: number): number[] {
  const k = Math.ceil(ticks.length / Math.max(max, 1));
  return ticks.filter((_, i) => i % k === 0);
}

/** The tick text: the period's label on a time axis, the whole position on the index axis. */
export function periodTickFormatter(axis: Pick<PeriodAxis, "kind" | "by">): (v: number) => string {
  if (axis.kind === "time" && axis.by) {
    const by = axis.by;
    return (v: number) => periodLabel(v, by);
  }
  return (v: number) => (Number.isInteger(v) ? String(v) : "");
}

/**
 * x of a fractional position between the points (1-based, in `xs` order): 2.5 is halfway between
 * the 2nd and 3rd point's x. Before the first or after the last, half a step beyond it (the step
 * of the nearest pair, or `edge`). Deployment markers use it to sit between the scores around them.
 */
export function xAtPosition(xs: readonly number[], pos: number, edge = 1): number {
  if (xs.length === 0) return pos;
  const i = Math.floor(pos) - 1;
  const f = pos - Math.floor(pos);
  if (i >= 0 && i + 1 < xs.length) return xs[i] + f * (xs[i + 1] - xs[i]);
  const step = xs.length > 1 ? Math.abs(xs[1] - xs[0]) : edge;
  if (i < 0) return xs[0] - (1 - f) * (xs.length > 1 ? step : edge);
  const lastStep = xs.length > 1 ? Math.abs(xs[xs.length - 1] - xs[xs.length - 2]) : edge;
  return xs[xs.length - 1] + f * lastStep + (i - (xs.length - 1)) * lastStep;
}

/** "Mar 2024 (1 Mar 2024 – 31 Mar 2024)": a period for a tooltip; its label alone when it is one day. */
export function periodText(period: PeriodSpan | null, by: PeriodGranularity | null): string | null {
  if (!period) return null;
  const label = periodLabel(period.end, by ?? "day");
  const start = periodLabel(period.start, "day");
  const end = periodLabel(period.end, "day");
  const range = start === end ? start : `${start} – ${end}`;
  return range === label ? label : `${label} (${range})`;
}
