/**
 * A dataset's schema (DESIGN.md "Schema"): which column is the id, which is the label and which
 * of its values counts as 1, the optional time column, and the features with their types. Every
 * layer — storage, training, drift, request shapes, pages — is built from one of these; no
 * feature name is written in code outside the demo data and its tests.
 *
 * The file form (`SCHEMA_FILE`, lib/schema/parse.ts) allows `"numeric"`, `"categorical"` or
 * `{ "type": "numeric", "min": 0 }` per feature; the normalised form below lists the features
 * in the file's order with every field present.
 */

export const FEATURE_TYPES = ["numeric", "categorical"] as const;
export type FeatureType = (typeof FEATURE_TYPES)[number];

export interface NumericFeature {
  name: string;
  type: "numeric";
  /** inclusive bounds; a value outside rejects the row (null: unbounded) */
  min: number | null;
  max: number | null;
}

export interface CategoricalFeature {
  name: string;
  type: "categorical";
}

export type FeatureSpec = NumericFeature | CategoricalFeature;

export interface DataSchema {
  /** the column that names a row's entity (a client id); null: the row key is the whole row */
  id: string | null;
  /** the binary label column */
  label: string;
  /** the label's cell text counted as 1; the other value is 0, a third is a rejected row */
  positive: string;
  /** the label's cell text counted as 0 */
  negative: string;
  /** an ISO-8601 date / date-time or integer-year column; null when the data has no time */
  time: string | null;
  /** in the file's order */
  features: FeatureSpec[];
}

/** The level a missing categorical cell is counted as. */
export const MISSING_LEVEL = "(missing)";
/** The level rare categories are pooled into at training (lib/model/encoding.ts). */
export const OTHER_LEVEL = "(other)";
