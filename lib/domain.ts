/**
 * The data schema of DESIGN.md, in one place. Column names are the CSV header names.
 */
export const FEATURES = ["lastmonth_activity", "lastyear_activity", "number_of_employees"] as const;
export type Feature = (typeof FEATURES)[number];
export const ID_COLUMN = "corporation";
export const LABEL = "exited";
export const COLUMNS = [ID_COLUMN, ...FEATURES, LABEL] as const;

/** A client row whose features are all present (after imputation, or as given for prediction). */
export interface ClientFeatures {
  corporation: string;
  lastmonth_activity: number;
  lastyear_activity: number;
  number_of_employees: number;
}

export interface LabelledRow extends ClientFeatures {
  exited: 0 | 1;
}

export type FeatureColumns = Record<Feature, number[]>;

/** Column-wise view of rows, for statistics and drift. */
export function toColumns(rows: readonly ClientFeatures[]): FeatureColumns {
  const out = { lastmonth_activity: [], lastyear_activity: [], number_of_employees: [] } as FeatureColumns;
  for (const r of rows) for (const f of FEATURES) out[f].push(r[f]);
  return out;
}
