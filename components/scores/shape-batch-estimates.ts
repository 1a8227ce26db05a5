import { periodAxis, type PeriodAxis, type PeriodSpan } from "@/components/ui/period-axis";
import type { BatchEntry } from "@/lib/queries/batches";

/** One monitored batch on the chart: x = the end of its rows' period, or its position (oldest first) when a batch has none. */
export interface BatchPoint {
  /** 1-based position, oldest first (the table's #) */
  n: number;
  x: number;
  period: PeriodSpan | null;
  id: number;
  name: string;
  modelVersion: number;
  rows: number;
  createdAt: string;
  estimated: number;
  /** [lower, upper] of the 95 % band (a range for recharts' Area) */
  band: [number, number];
  lower: number;
  upper: number;
  calibrated: boolean;
  /** null until labels arrived */
  realized: number | null;
  labelledRows: number;
  /** the realized F1 lies outside the band */
  outside: boolean;
}

/** Batches (as the API lists them, newest first) into chart points, oldest first, and the x axis they sit on. */
export function shapeBatchEstimates(batches: readonly BatchEntry[]): { points: BatchPoint[]; axis: PeriodAxis } {
  const sorted = [...batches].sort((a, b) => a.id - b.id);
  const axis = periodAxis(sorted, { indexTitle: "monitored batch # (oldest → newest)" });
  const points = sorted.map((b, i): BatchPoint => {
    const realized = b.realized ? b.realized.f1 : null;
    return {
      n: i + 1,
      x: axis.xs[i],
      period: axis.periods[i],
      id: b.id,
      name: b.name,
      modelVersion: b.modelVersion,
      rows: b.rows,
      createdAt: b.createdAt,
      estimated: b.estimate.f1.estimate,
      band: [b.estimate.f1.lower, b.estimate.f1.upper],
      lower: b.estimate.f1.lower,
      upper: b.estimate.f1.upper,
      calibrated: b.calibrated,
      realized,
      labelledRows: b.labelledRows,
      outside: realized !== null && (realized < b.estimate.f1.lower || realized > b.estimate.f1.upper),
    };
  });
  return { points, axis };
}
