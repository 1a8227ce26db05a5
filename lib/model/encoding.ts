import { AppError } from "../errors";
import { levelCounts, type CategoricalColumn, type DataColumns, type NumericColumn } from "../schema/columns";
import { OTHER_LEVEL, type DataSchema } from "../schema/types";
import { momentsOf, sampleSd } from "../stats/running-moments";
import type { SparseRows } from "./newton";

/*
 * The design matrix of a schema: which columns ("terms") the logistic model sees, fitted once on
 * the training rows and stored with the model version, so a prediction encodes its rows exactly
 * as the training did, whatever the dictionaries of the data at hand.
 *
 * - A numeric feature is one term, named as the feature, standardised: z = (x − mean) / sd with
 *   the training mean (the value storage imputes an empty cell with) and sample SD (ddof = 1;
 *   1 for a constant column, which then stays out of the fit with weight 0).
 * - A categorical feature is treatment-coded (R's contr.treatment, patsy's `C(x)`): levels are
 *   counted over the training rows (an empty cell is the level "(missing)"); levels seen fewer
 *   than `minLevelCount` times are pooled into "(other)" (only when at least one is pooled); the
 *   most frequent level (ties: the smaller text) is the reference and gets no term; every other
 *   level is a 0/1 term named `feature=level`, in sorted level order. Dummies are not
 *   standardised, so a row has at most one nonzero per categorical and the design stays sparse:
 *   1 + (numeric features) + (≤ one per categorical) nonzeros per row.
 * Terms follow the schema's feature order, each categorical's dummies in the order above.
 *
 * Golden: data/golden/encoding_golden.py builds the same design with pandas and fits it with
 * statsmodels `Logit` (lib/model/coefficients.test.ts compares the fit term by term).
 *
 * Sorting is JavaScript's default string order (UTF-16 code units), which is Python's `sorted`
 * (code points) except between astral characters and U+E000–U+FFFF.
 */

export interface NumericEncoding {
  feature: string;
  type: "numeric";
  /** training mean (= the imputation value of an empty cell in stored data) */
  mean: number;
  /** training sample SD; 1 when the column is constant */
  std: number;
}

export interface CategoricalEncoding {
  feature: string;
  type: "categorical";
  /** the most frequent training level: no term, the baseline the other levels are read against */
  reference: string;
  /** the levels with a term `feature=level`, sorted (may include "(other)") */
  levels: string[];
  /** training levels rarer than the minimum count, read as "(other)"; sorted; empty when none */
  pooled: string[];
}

export type FeatureEncoding = NumericEncoding | CategoricalEncoding;

export interface Encoding {
  /** in the schema's feature order */
  features: FeatureEncoding[];
  /** the design's columns besides the intercept, in design order */
  terms: string[];
}

/** Levels seen fewer times than this in the training rows are pooled into "(other)". */
export const MIN_LEVEL_COUNT = 10;

/** A level's dummy term name. */
export const termName = (feature: string, level: string): string => `${feature}=${level}`;

/** The terms of a list of feature encodings, in design order. */
function termsOf(features: readonly FeatureEncoding[]): string[] {
  return features.flatMap((f) => (f.type === "numeric" ? [f.feature] : f.levels.map((level) => termName(f.feature, level))));
}

function columnOf(cols: DataColumns, feature: string, type: "numeric"): NumericColumn;
function columnOf(cols: DataColumns, feature: string, type: "categorical"): CategoricalColumn;
function columnOf(cols: DataColumns, feature: string, type: "numeric" | "categorical"): NumericColumn | CategoricalColumn {
  const c = cols.features[feature];
  if (c?.type !== type) throw new AppError("unprocessable:model", `The data has no ${type} column ${JSON.stringify(feature)}, which the model needs.`);
  return c;
}

function fitNumeric(feature: string, cols: DataColumns): NumericEncoding {
  const m = momentsOf(columnOf(cols, feature, "numeric").values.subarray(0, cols.n));
  const sd = sampleSd(m) ?? 0;
  // A constant column: mean = the value itself (z = 0 exactly, not a rounding residue), SD 1.
  if (!(m.max > m.min && sd > 0)) return { feature, type: "numeric", mean: m.min, std: 1 };
  return { feature, type: "numeric", mean: m.mean, std: sd };
}

function fitCategorical(feature: string, cols: DataColumns, minLevelCount: number): CategoricalEncoding {
  columnOf(cols, feature, "categorical");
  const counts = levelCounts(cols, feature);
  const pooled = [...counts.keys()].filter((level) => counts.get(level)! < minLevelCount).sort();
  if (pooled.length > 0) {
    let other = 0;
    for (const level of pooled) {
      other += counts.get(level)!;
      counts.delete(level);
    }
    // a literal "(other)" frequent enough to keep merges with the pooled rows
    counts.set(OTHER_LEVEL, (counts.get(OTHER_LEVEL) ?? 0) + other);
  }
  let reference = "";
  let best = -1;
  for (const [level, n] of counts) {
    if (n > best || (n === best && level < reference)) [reference, best] = [level, n];
  }
  const levels = [...counts.keys()].filter((level) => level !== reference).sort();
  return { feature, type: "categorical", reference, levels, pooled };
}

/**
 * The encoding of `schema` fitted on the training rows `cols` (see the module comment).
 * Cost: O(n) per feature.
 *
 * @throws AppError `unprocessable:training` without rows; `unprocessable:model` when `cols`
 *   lacks a schema feature or has it with another type.
 * @example
 * fitEncoding(schema, cols).terms // → ["tenure_months", …, "region=east", "region=south", …]
 */
export function fitEncoding(schema: DataSchema, cols: DataColumns, opts: { minLevelCount?: number } = {}): Encoding {
  if (cols.n < 1) throw new AppError("unprocessable:training", "An encoding is fitted on training rows; there are none.");
  const minLevelCount = opts.minLevelCount ?? MIN_LEVEL_COUNT;
  const features = schema.features.map((f) => (f.type === "numeric" ? fitNumeric(f.name, cols) : fitCategorical(f.name, cols, minLevelCount)));
  return { features, terms: termsOf(features) };
}

/**
 * The encoding of a model version stored before encodings existed: every scaler key is a numeric
 * feature (its term), in the scaler's order.
 */
export function legacyEncoding(scaler: Readonly<Record<string, { mean: number; std: number }>>): Encoding {
  const features: NumericEncoding[] = Object.entries(scaler).map(([feature, s]) => ({ feature, type: "numeric", mean: s.mean, std: s.std }));
  return { features, terms: termsOf(features) };
}

/**
 * Per term, how its design column is scaled: a numeric term by its training mean and SD, a dummy
 * not at all (mean 0, SD 1). What ModelParameters.scaler stores.
 */
export function termScaler(enc: Encoding): Record<string, { mean: number; std: number }> {
  const out: Record<string, { mean: number; std: number }> = {};
  for (const f of enc.features) {
    if (f.type === "numeric") out[f.feature] = { mean: f.mean, std: f.std };
    else for (const level of f.levels) out[termName(f.feature, level)] = { mean: 0, std: 1 };
  }
  return out;
}

/** {@link levelIndex}: the level is the reference (all dummies 0). */
export const REFERENCE = -1;
/** {@link levelIndex}: the level was never seen at training (all dummies 0, counted as unseen). */
export const UNSEEN = -2;

/** Level text → index into `enc.levels` of the dummy it sets, or REFERENCE / UNSEEN (as {@link levelIndex}). */
export function levelIndexMap(enc: CategoricalEncoding): (level: string) => number {
  const map = new Map<string, number>();
  enc.levels.forEach((level, j) => map.set(level, j));
  map.set(enc.reference, REFERENCE);
  const other = map.get(OTHER_LEVEL);
  if (other !== undefined) for (const level of enc.pooled) if (!map.has(level)) map.set(level, other);
  return (level) => map.get(level) ?? UNSEEN;
}

/**
 * Which dummy a level sets: its index into `enc.levels` (a pooled level → the "(other)" term),
 * REFERENCE for the reference (or a pooled level when "(other)" is the reference), UNSEEN for a
 * level the training never saw (including "(missing)" when the training had no empty cell).
 */
export function levelIndex(enc: CategoricalEncoding, level: string): number {
  return levelIndexMap(enc)(level);
}

/** The design of rows under an encoding: sparse rows for Newton and prediction. */
export interface SparseDesign extends SparseRows {
  /** per categorical feature, how many rows hold a level never seen at training (features with none are absent) */
  unseen: Record<string, number>;
}

interface CategoricalPart {
  feature: string;
  codes: Uint32Array;
  /** column code → term index, or REFERENCE / UNSEEN */
  table: Int32Array;
}

/** The code → term table of one categorical column, from the column's own dictionary, and its unseen-row count. */
function categoricalPart(f: CategoricalEncoding, col: CategoricalColumn, offset: number, n: number): CategoricalPart & { unseenRows: number } {
  const index = levelIndexMap(f);
  const table = Int32Array.from(col.levels, (level) => {
    const j = index(level);
    return j >= 0 ? offset + j : j;
  });
  const perCode = new Float64Array(col.levels.length);
  for (let i = 0; i < n; i++) perCode[col.codes[i]]++;
  let unseenRows = 0;
  for (let c = 0; c < table.length; c++) if (table[c] === UNSEEN) unseenRows += perCode[c];
  return { feature: f.feature, codes: col.codes, table, unseenRows };
}

/**
 * The design of `cols` under `enc`: `row(i, idx, val)` writes row i's nonzero terms — every
 * numeric term, standardised, then the dummy of each categorical whose level has one — and
 * returns how many (the intercept is implicit). Categorical columns are read through a
 * code → term table built from the column's own dictionary, so any dictionary works (stored data,
 * a request's rows). Numeric values must be finite (stored data is imputed; callers reject empty
 * cells to predict); a NaN would give a NaN probability.
 *
 * Cost: O(n) per categorical for the unseen counts, then O(nonzeros) per `row` call.
 * @throws AppError `unprocessable:model` when `cols` lacks a feature of `enc` or has it with another type.
 */
export function designOf(enc: Encoding, cols: DataColumns): SparseDesign {
  const numValues: Float64Array[] = [];
  const numMean: number[] = [];
  const numStd: number[] = [];
  const numTerm: number[] = [];
  const cats: CategoricalPart[] = [];
  const unseen: Record<string, number> = {};
  let offset = 0;
  for (const f of enc.features) {
    if (f.type === "numeric") {
      numValues.push(columnOf(cols, f.feature, "numeric").values);
      numMean.push(f.mean);
      numStd.push(f.std);
      numTerm.push(offset++);
      continue;
    }
    const part = categoricalPart(f, columnOf(cols, f.feature, "categorical"), offset, cols.n);
    if (part.unseenRows > 0) unseen[f.feature] = part.unseenRows;
    cats.push(part);
    offset += f.levels.length;
  }
  const p = numValues.length;
  return {
    n: cols.n,
    k: offset,
    unseen,
    row(i, idx, val) {
      for (let j = 0; j < p; j++) {
        idx[j] = numTerm[j];
        val[j] = (numValues[j][i] - numMean[j]) / numStd[j];
      }
      let m = p;
      for (let j = 0; j < cats.length; j++) {
        const t = cats[j].table[cats[j].codes[i]];
        if (t >= 0) {
          idx[m] = t;
          val[m++] = 1;
        }
      }
      return m;
    },
  };
}
