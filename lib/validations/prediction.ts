import { MAX_FEATURE_VALUE, MAX_ID_LENGTH } from "../domain";
import { labelParser } from "../schema/parse";
import type { DataSchema, NumericFeature } from "../schema/types";
import { ClassificationScore } from "./common";
import { z } from "./zod";

/* POST /api/prediction (and the classic POST /prediction). */

/** The most rows one request may carry; larger batches go in several requests. */
export const MAX_PREDICTION_ROWS = 100_000;

const numericField = (f: NumericFeature) => {
  let field = z
    .number({ error: (i) => (i.input === undefined ? "is missing" : `must be a number, got ${JSON.stringify(i.input)}`) })
    .finite()
    .min(-MAX_FEATURE_VALUE, { error: (i) => `is too large: ${JSON.stringify(i.input)} (at most ${MAX_FEATURE_VALUE.toExponential()} in size)` })
    .max(MAX_FEATURE_VALUE, { error: (i) => `is too large: ${JSON.stringify(i.input)} (at most ${MAX_FEATURE_VALUE.toExponential()})` });
  if (f.min !== null) {
    const min = f.min;
    field = field.min(min, { error: (i) => (min === 0 ? `must not be negative, got ${JSON.stringify(i.input)}` : `must be at least ${min}, got ${JSON.stringify(i.input)}`) });
  }
  if (f.max !== null) {
    const max = f.max;
    field = field.max(max, { error: (i) => `must be at most ${max}, got ${JSON.stringify(i.input)}` });
  }
  return field;
};

/** A category is its text: numbers are accepted and turned into their text; null or "" is the level "(missing)". */
const categoricalField = () =>
  z
    .union([z.string(), z.number().finite(), z.null()], { error: (i) => (i.input === undefined ? "is missing (send null for an empty cell)" : `must be a string, got ${JSON.stringify(i.input)}`) })
    .transform((v) => (v === null ? null : String(v).trim() === "" ? null : String(v).trim()))
    .refine((v) => v === null || v.length <= MAX_ID_LENGTH, { error: `is too long for a category (at most ${MAX_ID_LENGTH} characters)` });

const idField = () =>
  z
    .union([z.string(), z.number().finite()], { error: (i) => (i.input === undefined ? "is missing" : "must be a string") })
    .transform((v) => String(v).trim())
    .pipe(
      z
        .string()
        .min(1, "must not be empty")
        .max(MAX_ID_LENGTH, { error: (i) => `is too long (at most ${MAX_ID_LENGTH} characters, got ${String((i.input as string)?.length)})` }),
    );

const labelField = (schema: DataSchema) => {
  const parse = labelParser(schema);
  const allowed = `${schema.negative} or ${schema.positive}`;
  return z
    .union([z.string(), z.number(), z.boolean()], { error: (i) => `must be ${allowed}, got ${JSON.stringify(i.input)}` })
    .transform((v, ctx) => {
      const label = parse(String(v));
      if (label === null) {
        ctx.addIssue({ code: "custom", message: `must be ${allowed}, got ${JSON.stringify(v)}` });
        return z.NEVER;
      }
      return label;
    })
    .optional();
};

/** The JSON row of a prediction or batch request for `schema`: fields named as the CSV headers (id, features, the label optional). */
function predictionRowSchema(schema: DataSchema) {
  const shape: Record<string, z.ZodType> = {};
  if (schema.id) shape[schema.id] = idField();
  for (const f of schema.features) shape[f.name] = f.type === "numeric" ? numericField(f) : categoricalField();
  shape[schema.label] = labelField(schema);
  return z.object(shape);
}

/** The rows of a JSON request body for `schema` (prediction or batch). */
export function predictionRowsSchema(schema: DataSchema) {
  return z
    .array(predictionRowSchema(schema), { error: "rows must be an array of client rows" })
    .min(1, "rows must hold at least one row")
    .max(MAX_PREDICTION_ROWS, `at most ${MAX_PREDICTION_ROWS} rows per request; split the batch`);
}

const bodyOf = (schema: DataSchema) => z.object({ rows: predictionRowsSchema(schema) });
// Keyed by the schema object: the stored schema is one cached object (lib/db/stored-schema.ts), so a request costs a lookup.
const cachedBodies = new WeakMap<DataSchema, ReturnType<typeof bodyOf>>();

/** POST /api/prediction's JSON body for `schema` (built once per schema). */
export function predictionJsonBody(schema: DataSchema) {
  let body = cachedBodies.get(schema);
  if (!body) cachedBodies.set(schema, (body = bodyOf(schema)));
  return body;
}

/**
 * The request row as the route table lists it: its real fields come from the stored schema at
 * run time (predictionRowSchema), and the OpenAPI document replaces this with them
 * (lib/validations/openapi.ts).
 */
export const PredictionRow = z
  .record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))
  .openapi("PredictionRow", { description: "a client row: the schema's id column, every feature, optionally the label (GET /api/schema)" });

export const PredictionJsonBody = z
  .object({
    rows: z.array(PredictionRow).min(1).max(MAX_PREDICTION_ROWS),
  })
  .openapi("PredictionRequest");

export const PredictionMultipartBody = z
  .object({
    file: z.string().openapi({
      format: "binary",
      description: "CSV with a header: the schema's id column and features (GET /api/schema), the label optional",
    }),
  })
  .openapi("PredictionUpload");

/** POST /api/prediction?explain=1: add each client's feature contributions to every prediction. */
export const PredictionQuery = z.object({
  explain: z
    .enum(["0", "1", "true", "false"], { error: (i) => `must be 1 or 0 (true or false), got ${JSON.stringify(i.input)}` })
    .optional()
    .transform((v) => v === "1" || v === "true")
    .openapi({ description: "1: each prediction also carries `explanation` (feature contributions to the log-odds, largest first, in words)" }),
});

const contributionBase = {
  feature: z.string(),
  label: z.string().openapi({ description: "how the feature is shown" }),
  contribution: z.number().openapi({ description: "added to the log-odds of the positive label, relative to the baseline row (numeric features at their training average, categorical ones at their reference level)" }),
  oddsFactor: z.number().openapi({ description: "e^contribution: the odds are multiplied by this" }),
  sentence: z.string().openapi({ example: "monthly_spend 2.1 SD below the average: +1.6 to the log-odds of churned" }),
};

const NumericContributionEntry = z
  .object({
    type: z.literal("numeric"),
    ...contributionBase,
    value: z.number(),
    average: z.number().openapi({ description: "the training mean of the feature" }),
    sdFromAverage: z.number().openapi({ description: "(value − average) / training SD" }),
  })
  .openapi("NumericContribution");

const CategoricalContributionEntry = z
  .object({
    type: z.literal("categorical"),
    ...contributionBase,
    level: z.string().openapi({ description: "the row's level" }),
    reference: z.string().openapi({ description: "the reference level (the most frequent at training): contribution 0" }),
    term: z.string().nullable().openapi({ description: "the model term of the level (feature=level); null for the reference level or an unseen one" }),
    unseen: z.boolean().openapi({ description: "the level never occurred in the training data: it adds nothing" }),
  })
  .openapi("CategoricalContribution");

const FeatureContributionEntry = z.union([NumericContributionEntry, CategoricalContributionEntry]).openapi("FeatureContribution");

const PredictionExplanation = z
  .object({
    baselineLogOdds: z.number().openapi({ description: "log-odds of exiting of a client at the training average of every feature" }),
    logOdds: z.number().openapi({ description: "baselineLogOdds + the sum of the contributions (logit of probability)" }),
    contributions: z.array(FeatureContributionEntry).openapi({ description: "one per feature, largest |contribution| first" }),
  })
  .openapi("PredictionExplanation");

const PredictionEntry = z
  .object({
    id: z.string().nullable().openapi({ description: "the row's id (the schema's id column); null when the schema has none" }),
    probability: z.number().openapi({ description: "probability of the positive label (0–1)" }),
    predicted: z.union([z.literal(0), z.literal(1)]).openapi({ description: "predicted label: 1 = the positive value (probability ≥ threshold)" }),
    explanation: PredictionExplanation.optional().openapi({ description: "only with ?explain=1" }),
  })
  .loose()
  .openapi("Prediction", {
    description: "also keyed by the schema's own column names: <id column>: the id, <label column>: the predicted label (the default schema: corporation, exited)",
  });

export const PredictionResponse = z
  .object({
    modelVersion: z.number().int(),
    modelVersionId: z.number().int(),
    threshold: z.number(),
    rows: z.number().int(),
    predictions: z.array(PredictionEntry).openapi({ description: "in input order" }),
    unseen: z
      .record(z.string(), z.number().int())
      .optional()
      .openapi({ description: "per categorical feature: rows whose level the model never saw at training (they add nothing to the log-odds); absent when none" }),
    score: ClassificationScore.optional().openapi({ description: "present when the input carried labels (exited) for every row" }),
  })
  .openapi("PredictionResult");
