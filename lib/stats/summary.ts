import { max, mean, median, min, sampleStandardDeviation } from "simple-statistics";
import { momentsOf, sampleSd } from "./running-moments";

export interface ColumnSummary {
  mean: number | null;
  median: number | null;
  /** sample standard deviation (n − 1), as pandas' DataFrame.std() */
  std: number | null;
  min: number | null;
  max: number | null;
  /** fraction of empty cells */
  missing: number;
}

/**
 * Per-column summary statistics, skipping missing values the way pandas does
 * (`df.mean()`, `df.median()`, `df.std()`, `df.min()`, `df.max()`, `df.isna().mean()`).
 * A column with no values gives nulls; std of a single value is null (pandas gives NaN).
 * Cost: O(n log n) per column (median sorts).
 */
function summarizeColumn(values: readonly (number | null)[]): ColumnSummary {
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const missing = values.length === 0 ? 0 : (values.length - present.length) / values.length;
  if (present.length === 0) return { mean: null, median: null, std: null, min: null, max: null, missing };
  return {
    mean: mean(present),
    median: median(present),
    std: present.length > 1 ? sampleStandardDeviation(present) : null,
    min: min(present),
    max: max(present),
    missing,
  };
}

export function summarizeColumns<K extends string>(columns: Record<K, readonly (number | null)[]>): Record<K, ColumnSummary> {
  const out = {} as Record<K, ColumnSummary>;
  for (const k of Object.keys(columns) as K[]) out[k] = summarizeColumn(columns[k]);
  return out;
}

/**
 * summarizeColumn for a large column held as a typed array of its present values, out of
 * `total` cells (the others were empty). Two passes for mean and SD (lib/stats/running-moments),
 * one sort of a copy for the median. Cost: O(n log n), 8 bytes per value.
 */
export function summarizePresent(present: Float64Array, total: number): ColumnSummary {
  const missing = total === 0 ? 0 : (total - present.length) / total;
  if (present.length === 0) return { mean: null, median: null, std: null, min: null, max: null, missing };
  const m = momentsOf(present);
  const sorted = Float64Array.from(present).sort();
  const h = sorted.length >> 1;
  return {
    mean: m.mean,
    median: sorted.length % 2 ? sorted[h] : (sorted[h - 1] + sorted[h]) / 2,
    std: sampleSd(m),
    min: m.min,
    max: m.max,
    missing,
  };
}
