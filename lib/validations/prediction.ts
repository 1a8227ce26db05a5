import { FEATURES, MAX_FEATURE_VALUE, MAX_ID_LENGTH } from "../domain";
import { ClassificationScore } from "./common";
import { z } from "./zod";

/* POST /api/prediction (and the classic POST /prediction). */

/** The most rows one request may carry; larger batches go in several requests. */
export const MAX_PREDICTION_ROWS = 100_000;

const feature = (name: string) =>
  z
    .number({ error: (i) => (i.input === undefined ? "is missing" : `must be a number, got ${JSON.stringify(i.input)}`) })
    .finite()
    .nonnegative({ error: (i) => `must not be negative, got ${JSON.stringify(i.input)}` })
    .max(MAX_FEATURE_VALUE, { error: (i) => `is too large: ${JSON.stringify(i.input)} (at most ${MAX_FEATURE_VALUE.toExponential()})` })
    .openapi({ description: `${name} (non-negative, at most ${MAX_FEATURE_VALUE.toExponential()})` });

export const PredictionRow = z
  .object({
    corporation: z
      .string({ error: (i) => (i.input === undefined ? "is missing" : "must be a string") })
      .trim()
      .min(1, "must not be empty")
      .max(MAX_ID_LENGTH, { error: (i) => `is too long (at most ${MAX_ID_LENGTH} characters, got ${String((i.input as string)?.length)})` }),
    lastmonth_activity: feature("activity in the last month"),
    lastyear_activity: feature("activity in the last year"),
    number_of_employees: feature("number of employees"),
    exited: z
      .union([z.literal(0), z.literal(1)], { error: (i) => `must be 0 or 1, got ${JSON.stringify(i.input)}` })
      .optional()
      .openapi({ description: "optional true label; when every row has one, the response carries a score" }),
  })
  .openapi("PredictionRow");

export const PredictionJsonBody = z
  .object({
    rows: z
      .array(PredictionRow, { error: "rows must be an array of client rows" })
      .min(1, "rows must hold at least one row")
      .max(MAX_PREDICTION_ROWS, `at most ${MAX_PREDICTION_ROWS} rows per request; split the batch`),
  })
  .openapi("PredictionRequest");

export const PredictionMultipartBody = z
  .object({
    file: z.string().openapi({
      format: "binary",
      description: "CSV with a header: corporation, lastmonth_activity, lastyear_activity, number_of_employees, optional exited",
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

const FeatureContributionEntry = z
  .object({
    feature: z.enum(FEATURES),
    label: z.string().openapi({ description: "how a client manager reads the feature" }),
    value: z.number(),
    average: z.number().openapi({ description: "the training mean of the feature" }),
    sdFromAverage: z.number().openapi({ description: "(value − average) / training SD" }),
    contribution: z.number().openapi({ description: "added to the log-odds of exiting, relative to a client at the training average" }),
    oddsFactor: z.number().openapi({ description: "e^contribution: the odds of exiting are multiplied by this" }),
    sentence: z.string().openapi({ example: "last month's activity 2.1 SD below the average: +1.6 to the log-odds of exiting" }),
  })
  .openapi("FeatureContribution");

const PredictionExplanation = z
  .object({
    baselineLogOdds: z.number().openapi({ description: "log-odds of exiting of a client at the training average of every feature" }),
    logOdds: z.number().openapi({ description: "baselineLogOdds + the sum of the contributions (logit of probability)" }),
    contributions: z.array(FeatureContributionEntry).openapi({ description: "one per feature, largest |contribution| first" }),
  })
  .openapi("PredictionExplanation");

const PredictionEntry = z
  .object({
    corporation: z.string(),
    probability: z.number().openapi({ description: "probability of exit (0–1)" }),
    exited: z.union([z.literal(0), z.literal(1)]).openapi({ description: "predicted label (probability ≥ threshold)" }),
    explanation: PredictionExplanation.optional().openapi({ description: "only with ?explain=1" }),
  })
  .openapi("Prediction");

export const PredictionResponse = z
  .object({
    modelVersion: z.number().int(),
    modelVersionId: z.number().int(),
    threshold: z.number(),
    rows: z.number().int(),
    predictions: z.array(PredictionEntry).openapi({ description: "in input order" }),
    score: ClassificationScore.optional().openapi({ description: "present when the input carried labels (exited) for every row" }),
  })
  .openapi("PredictionResult");
