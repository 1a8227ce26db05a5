/**
 * The data schema of DESIGN.md, in one place. Column names are the CSV header names.
 */
export const FEATURES = ["lastmonth_activity", "lastyear_activity", "number_of_employees"] as const;
export type Feature = (typeof FEATURES)[number];
export const ID_COLUMN = "corporation";
export const LABEL = "exited";
export const COLUMNS = [ID_COLUMN, ...FEATURES, LABEL] as const;

/**
 * The largest feature value accepted (in files and in prediction requests). Larger finite
 * numbers (1e308 is a valid CSV number) would overflow the squares and sums that means, SDs,
 * the Hessian and the drift statistics are made of, and give null/NaN statistics and failed
 * trainings ever after; a row holding one is rejected like a non-number. 10^15 leaves room for
 * squares (10^30) summed over any number of rows, and every integer up to it is exact in a double.
 */
export const MAX_FEATURE_VALUE = 1e15;

/** The longest `corporation` id accepted: ids are short codes; a longer cell is a broken export, not a client. */
export const MAX_ID_LENGTH = 200;

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
