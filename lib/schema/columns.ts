/*
 * Rows of a dataset as columns of typed arrays: what storage reads (lib/db/columns.ts), training,
 * drift, scoring and the summaries work on — no object per row. Built from a schema: one column
 * per feature, keyed by the feature's name.
 */

export interface NumericColumn {
  type: "numeric";
  /** the values; an empty cell holds the imputation mean (stored data) or NaN (rows not imputed) */
  values: Float64Array;
  /** 1 where the cell was empty */
  missing: Uint8Array;
}

export interface CategoricalColumn {
  type: "categorical";
  /** per row, an index into `levels` */
  codes: Uint32Array;
  /** the dictionary: code → level text ("(missing)" for an empty cell) */
  levels: readonly string[];
}

export type FeatureColumn = NumericColumn | CategoricalColumn;

export interface DataColumns {
  n: number;
  /** by feature name, one per schema feature */
  features: Readonly<Record<string, FeatureColumn>>;
  /** 1 = the schema's positive label value (all 0 when the rows carry no label) */
  label: Uint8Array;
  /** the time column as epoch ms; null when the schema has no time */
  time: Float64Array | null;
  /** highest Record.id read (0 when none, or rows not from storage) */
  maxId: number;
}

/** The numeric column of a feature (throws when the feature is not numeric in `cols`). */
export function numericColumn(cols: DataColumns, feature: string): NumericColumn {
  const c = cols.features[feature];
  if (c?.type !== "numeric") throw new Error(`feature ${JSON.stringify(feature)} is not a numeric column here`);
  return c;
}

/** The observed (not imputed) values of a numeric feature. */
export function observedValues(cols: DataColumns, feature: string): Float64Array {
  const { values, missing } = numericColumn(cols, feature);
  let m = 0;
  for (let i = 0; i < cols.n; i++) if (!missing[i]) m++;
  if (m === cols.n) return values.subarray(0, cols.n);
  const out = new Float64Array(m);
  let j = 0;
  for (let i = 0; i < cols.n; i++) if (!missing[i]) out[j++] = values[i];
  return out;
}

/** Level → count of a categorical feature's rows. */
export function levelCounts(cols: DataColumns, feature: string): Map<string, number> {
  const c = cols.features[feature];
  if (c?.type !== "categorical") throw new Error(`feature ${JSON.stringify(feature)} is not a categorical column here`);
  const counts = new Float64Array(c.levels.length);
  for (let i = 0; i < cols.n; i++) counts[c.codes[i]]++;
  const out = new Map<string, number>();
  c.levels.forEach((level, code) => counts[code] > 0 && out.set(level, counts[code]));
  return out;
}
