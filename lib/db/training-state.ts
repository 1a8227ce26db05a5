import { levelCounts, observedValues, type DataColumns } from "../schema/columns";
import type { DataSchema } from "../schema/types";
import { EMPTY_MOMENTS, mergeMoments, momentsOf, sampleSd, type Moments } from "../stats/running-moments";
import type { ColumnSummary } from "../stats/summary";

/*
 * The running state of the training set, stored as JSON on each DataSnapshot (`state`): what the
 * next ingestion needs for its imputation means and the snapshot's statistics without re-reading
 * every record. Built from the schema: per numeric feature sums and moments, per categorical
 * feature the level counts.
 */

export interface TrainingSetState {
  /** stored records */
  rows: number;
  /** numeric: sum over every stored value, imputed ones included (the stored part of the imputation mean) */
  sumAll: Record<string, number>;
  /** numeric: moments of the observed (not imputed) values */
  observed: Record<string, Moments>;
  /** per feature: stored cells that were empty in their file */
  imputed: Record<string, number>;
  /** categorical: level → stored rows ("(missing)" included) */
  levels: Record<string, Record<string, number>>;
  /** records whose label is the positive value */
  labelOnes: number;
}

export function emptyState(schema: DataSchema): TrainingSetState {
  const s: TrainingSetState = { rows: 0, sumAll: {}, observed: {}, imputed: {}, levels: {}, labelOnes: 0 };
  for (const f of schema.features) {
    s.imputed[f.name] = 0;
    if (f.type === "numeric") {
      s.sumAll[f.name] = 0;
      s.observed[f.name] = { ...EMPTY_MOMENTS };
    } else s.levels[f.name] = {};
  }
  return s;
}

/** The newest snapshot's state when it describes the `rows` stored records, else null (states written before any-schema storage are read too: `exitedOnes`, no `levels`). */
export function stateFromSnapshot(schema: DataSchema, rows: number, last: { rows: number; state: string | null } | undefined): TrainingSetState | null {
  if (!last?.state || last.rows !== rows) return null;
  const parsed = JSON.parse(last.state) as Partial<TrainingSetState> & { exitedOnes?: number };
  const s = emptyState(schema);
  s.rows = parsed.rows ?? 0;
  s.labelOnes = parsed.labelOnes ?? parsed.exitedOnes ?? 0;
  for (const f of schema.features) {
    s.imputed[f.name] = parsed.imputed?.[f.name] ?? 0;
    if (f.type === "categorical") {
      const levels = parsed.levels?.[f.name];
      if (!levels) return null;
      s.levels[f.name] = levels;
      continue;
    }
    const m = parsed.observed?.[f.name];
    if (!m || parsed.sumAll?.[f.name] === undefined) return null;
    s.sumAll[f.name] = parsed.sumAll[f.name];
    // JSON has no Infinity: an empty column's min/max come back null.
    s.observed[f.name] = m.n === 0 ? { ...EMPTY_MOMENTS } : m;
  }
  return s;
}

/** The state of the records in `cols` (a database whose newest snapshot carries no state). */
export function stateFromColumns(schema: DataSchema, cols: DataColumns): TrainingSetState {
  const s = emptyState(schema);
  s.rows = cols.n;
  for (let i = 0; i < cols.n; i++) s.labelOnes += cols.label[i];
  for (const f of schema.features) {
    const col = cols.features[f.name];
    if (col.type === "numeric") {
      let sum = 0;
      let missing = 0;
      for (let i = 0; i < cols.n; i++) {
        sum += col.values[i];
        missing += col.missing[i];
      }
      s.sumAll[f.name] = sum;
      s.imputed[f.name] = missing;
      s.observed[f.name] = missing === cols.n ? { ...EMPTY_MOMENTS } : momentsOf(observedValues(cols, f.name));
    } else {
      const counts = levelCounts(cols, f.name);
      s.levels[f.name] = Object.fromEntries(counts);
      s.imputed[f.name] = counts.get(MISSING) ?? 0;
    }
  }
  return s;
}

const MISSING = "(missing)";

/** What one file's kept rows add to the state (KeptColumns.delta). */
export interface StateDelta {
  rows: number;
  labelOnes: number;
  /** numeric: moments of the kept observed values, and the count of kept imputed cells */
  observed: Record<string, Moments>;
  /** numeric: the exact sum of the kept observed values */
  sums: Record<string, number>;
  imputed: Record<string, number>;
  /** categorical: level → kept rows */
  levels: Record<string, Map<string, number>>;
}

/** The training set's state after a file: `state` plus its kept rows, imputed cells at `means`. */
export function nextState(schema: DataSchema, state: TrainingSetState, delta: StateDelta, means: Record<string, number>): TrainingSetState {
  const next: TrainingSetState = structuredClone(state);
  next.rows += delta.rows;
  next.labelOnes += delta.labelOnes;
  for (const f of schema.features) {
    next.imputed[f.name] += delta.imputed[f.name] ?? 0;
    if (f.type === "numeric") {
      const kept = delta.observed[f.name] ?? EMPTY_MOMENTS;
      next.sumAll[f.name] += (delta.sums[f.name] ?? 0) + (delta.imputed[f.name] ?? 0) * means[f.name];
      next.observed[f.name] = mergeMoments(state.observed[f.name], kept);
    } else {
      const levels = next.levels[f.name];
      for (const [level, count] of delta.levels[f.name] ?? []) levels[level] = (levels[level] ?? 0) + count;
    }
  }
  return next;
}

/** Summary of a categorical column: distinct levels, the share of empty cells, the most frequent levels. */
export interface CategoricalSummary {
  type: "categorical";
  rows: number;
  distinct: number;
  missing: number;
  top: { level: string; count: number; share: number }[];
}

/** Most frequent levels listed per categorical column. */
const TOP_LEVELS = 10;

export function categoricalSummary(levels: Record<string, number>, rows: number): CategoricalSummary {
  const entries = Object.entries(levels).filter(([, c]) => c > 0);
  entries.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return {
    type: "categorical",
    rows,
    distinct: entries.filter(([l]) => l !== MISSING).length,
    missing: rows > 0 ? (levels[MISSING] ?? 0) / rows : 0,
    top: entries.slice(0, TOP_LEVELS).map(([level, count]) => ({ level, count, share: rows > 0 ? count / rows : 0 })),
  };
}

/**
 * Per-column statistics of a DataSnapshot (the shape /api/summarystats uses), from the running
 * state: numeric features as pandas' describe, categorical features as level counts, the label
 * as a 0/1 column.
 */
export function snapshotStats(schema: DataSchema, medians: Record<string, number | null>, s: TrainingSetState): Record<string, ColumnSummary | CategoricalSummary> {
  const out: Record<string, ColumnSummary | CategoricalSummary> = {};
  for (const f of schema.features) {
    if (f.type === "categorical") {
      out[f.name] = categoricalSummary(s.levels[f.name], s.rows);
      continue;
    }
    const m = s.observed[f.name];
    out[f.name] = {
      mean: m.n > 0 ? m.mean : null,
      median: medians[f.name] ?? null,
      std: sampleSd(m),
      min: m.n > 0 ? m.min : null,
      max: m.n > 0 ? m.max : null,
      missing: s.rows > 0 ? s.imputed[f.name] / s.rows : 0,
    };
  }
  out[schema.label] = labelSummary(s.rows, s.labelOnes);
  return out;
}

/** A 0/1 column's summary from its count of ones. */
function labelSummary(n: number, ones: number): ColumnSummary {
  const p = n > 0 ? ones / n : 0;
  return {
    mean: n > 0 ? p : null,
    median: n === 0 ? null : 2 * ones > n ? 1 : 2 * ones === n ? 0.5 : 0,
    // sample SD of a 0/1 column: sqrt(n·p·(1−p) / (n − 1))
    std: n > 1 ? Math.sqrt((n * p * (1 - p)) / (n - 1)) : null,
    min: n > 0 ? (ones === n ? 1 : 0) : null,
    max: n > 0 ? (ones > 0 ? 1 : 0) : null,
    missing: 0,
  };
}
