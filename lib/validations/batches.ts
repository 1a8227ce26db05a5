import { IsoDateTime, MAX_ID, PeriodFields, idParams } from "./common";
import { NextCursor, PeriodQuery, pageQuery } from "./pagination";
import type { DataSchema } from "../schema/types";
import { MAX_PREDICTION_ROWS, PredictionRow, predictionRowsSchema } from "./prediction";
import { z } from "./zod";

/* Monitored batches: POST /api/batches, GET /api/batches, GET /api/batches/{id} (lib/batches/monitor.ts). */

const batchName = () => z.string().trim().min(1, "must not be empty").max(200, "at most 200 characters").optional().openapi({ description: "shown on the Scores page; default batch-<time>" });

/** The route table's view of the body: its rows' real fields come from the stored schema (batchJsonBody). */
export const BatchJsonBody = z
  .object({
    rows: z.array(PredictionRow).min(1).max(MAX_PREDICTION_ROWS),
    name: batchName(),
  })
  .openapi("BatchRequest");

/** POST /api/batches' JSON body for `schema`: rows as POST /api/prediction takes them, without labels. */
export function batchJsonBody(schema: DataSchema) {
  return z.object({ rows: predictionRowsSchema(schema), name: batchName() });
}

export const BatchMultipartBody = z
  .object({
    file: z.string().openapi({
      format: "binary",
      description: "CSV with a header: the schema's id column and features (GET /api/schema) — no label column (the labels have not arrived)",
    }),
  })
  .openapi("BatchUpload");

export const BatchesQuery = pageQuery().extend(PeriodQuery.shape);

const idRule = `must be a batch id (a whole number from 1 to ${MAX_ID})`;
export const BatchIdParams = idParams(idRule);

const Band = z
  .object({ estimate: z.number(), lower: z.number(), upper: z.number() })
  .openapi("EstimateBand", { description: "point estimate and the 95 % band (2.5 % and 97.5 % quantiles of simulated labels)" });

const RealConfusion = z
  .object({ tp: z.number(), fp: z.number(), tn: z.number(), fn: z.number() })
  .openapi("ExpectedConfusion", { description: "expected confusion counts (real numbers): E[TP] = Σ_{p≥t} p, E[FP] = Σ_{p≥t} (1 − p), …" });

const BatchEstimate = z
  .object({
    expectedConfusion: RealConfusion,
    predictedPositive: z.number().int().openapi({ description: "clients predicted to exit (calibrated p ≥ threshold)" }),
    precision: Band,
    recall: Band,
    f1: Band,
    accuracy: Band,
    level: z.number().openapi({ description: "confidence level of the bands (0.95)" }),
    band: z.object({ method: z.enum(["exact-simulation", "normal-simulation"]), draws: z.number().int(), seed: z.number().int() }),
  })
  .openapi("BatchEstimate");

const BatchCalibration = z
  .object({
    check: z
      .object({ statistic: z.number(), df: z.number().int(), pValue: z.number(), needsCalibration: z.boolean() })
      .openapi({ description: "Hosmer–Lemeshow on the deployed model's calibration table over the test data (10 quantile bins)" }),
    testRows: z.number().int(),
    method: z.enum(["isotonic", "none"]).openapi({ description: "isotonic: probabilities mapped through an isotonic fit on the test data before estimating" }),
    knots: z.number().int(),
  })
  .openapi("BatchCalibration");

const Outcome = <T extends z.ZodRawShape>(shape: T) => z.object({ ...shape, threshold: z.number(), drifted: z.boolean() }).nullable();

const CategoricalBatchFeatureDrift = z
  .object({
    type: z.literal("categorical"),
    chi2: Outcome({ statistic: z.number(), df: z.number().int(), pValue: z.number() }),
    js: Outcome({ distance: z.number() }),
    psi: Outcome({ score: z.number() }),
    unseen: Outcome({ share: z.number(), count: z.number().int(), levels: z.array(z.string()) }),
    referenceSize: z.number().int(),
    currentSize: z.number().int(),
    note: z.string().optional(),
  })
  .openapi("CategoricalBatchFeatureDrift");

const NumericBatchFeatureDrift = z
  .object({
    type: z.literal("numeric").optional(),
    ks: z.object({ statistic: z.number(), pValue: z.number(), threshold: z.number(), drifted: z.boolean() }).nullable(),
    psi: z.object({ score: z.number(), threshold: z.number(), drifted: z.boolean() }).nullable(),
    referenceSize: z.number().int(),
    currentSize: z.number().int(),
    note: z.string().optional(),
  })
  .openapi("BatchFeatureDrift");

const BatchFeatureDrift = z.union([NumericBatchFeatureDrift, CategoricalBatchFeatureDrift]);

const BatchRealized = z
  .object({
    f1: z.number(),
    precision: z.number(),
    recall: z.number(),
    accuracy: z.number(),
    confusion: z.object({ tp: z.number().int(), fp: z.number().int(), tn: z.number().int(), fn: z.number().int() }),
    rows: z.number().int().openapi({ description: "labelled rows these scores are on" }),
  })
  .openapi("BatchRealized");

export const BatchEntry = z
  .object({
    id: z.number().int(),
    name: z.string(),
    sha256: z.string(),
    rows: z.number().int(),
    modelVersion: z.number().int(),
    modelVersionId: z.number().int(),
    threshold: z.number(),
    calibrated: z.boolean(),
    calibration: BatchCalibration,
    estimate: BatchEstimate,
    features: z.record(z.string(), BatchFeatureDrift).openapi({ description: "KS and PSI per feature against the model's training data (as the full process)" }),
    driftedFeatures: z.array(z.string()),
    labelledRows: z.number().int().openapi({ description: "rows whose label has arrived" }),
    realized: BatchRealized.nullable().openapi({ description: "scores on the labelled rows; null until labels arrive" }),
    realizedAt: IsoDateTime.nullable(),
    createdAt: IsoDateTime,
    ...PeriodFields,
  })
  .openapi("Batch");

export const BatchDetail = BatchEntry.extend({
  riskiest: z
    .array(
      z.object({
        row: z.number().int().openapi({ description: "0-based position in the batch" }),
        id: z.string().openapi({ description: "the row's id (the schema's id column)" }),
        corporation: z.string().openapi({ description: "the same id, under the name the default schema's clients read (kept for them)" }),
        probability: z.number(),
        exited: z.union([z.literal(0), z.literal(1)]).openapi({ description: "predicted label (the default schema's name for it, kept for its clients)" }),
        predicted: z.union([z.literal(0), z.literal(1)]).openapi({ description: "predicted label: 1 = the schema's positive value" }),
        label: z.union([z.literal(0), z.literal(1)]).nullable().openapi({ description: "the true label once it arrived" }),
      }),
    )
    .openapi({ description: "the 20 highest probabilities, riskiest first" }),
}).openapi("BatchDetail");

export const BatchCreatedResponse = z
  .object({ batch: BatchDetail, alreadyMonitored: z.boolean().openapi({ description: "true: the same content was monitored with this model before; nothing added" }) })
  .openapi("BatchCreated");

export const BatchesResponse = z.object({ batches: z.array(BatchEntry).openapi({ description: "newest first" }), nextCursor: NextCursor }).openapi("Batches");
