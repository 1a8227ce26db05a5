import { Confusion, IsoDateTime, PeriodFields, byColumn, idParams } from "./common";
import { NextCursor, PeriodQuery, pageQuery } from "./pagination";
import { TABLE_FAMILIES } from "../db/health";
import { ModelEntryAdditions, ScoreCurves, ScoreRanking, ThresholdRuleEnum } from "./ranking";
import { SOLVERS } from "../model/logistic";
import { DATASET_ROLES, SCORE_KINDS } from "../vocabulary";
import { z } from "./zod";

/* Read routes of API.md ("Read"): health, scoring, summary statistics, scores, models, datasets. */

export const HealthResponse = z
  .object({
    status: z.enum(["ok", "degraded"]),
    database: z.enum(["ok", "error"]),
    checks: z
      .record(z.enum(TABLE_FAMILIES), z.string())
      .describe("a cheap real read per table family: \"ok\" or what failed (503 when any fails)"),
    deployedModel: z.object({ id: z.number().int(), version: z.number().int() }).nullable(),
    storage: z
      .object({
        status: z.enum(["ok", "degraded", "down"]).describe("degraded: free space under MIN_FREE_MB, the last write failed for space, or the PostgreSQL server is in recovery (the answer stays 200); down: the database file was seen damaged (503 until a restart)"),
        freeMb: z.number().nullable().describe("free MB on the SQLite file's volume; null on PostgreSQL"),
        minFreeMb: z.number(),
        lastFull: z.object({ at: IsoDateTime, message: z.string() }).nullable(),
        damaged: z.object({ firstSeenAt: IsoDateTime, message: z.string() }).nullable(),
        inRecovery: z
          .boolean()
          .nullable()
          .describe("PostgreSQL's pg_is_in_recovery() (asked at most every 5 s): true on a standby or a server being restored, which serves reads and refuses writes (503 unavailable:database_read_only); null on SQLite"),
        message: z.string().optional(),
      })
      .optional(),
    message: z.string().optional(),
  })
  .openapi("Health");

export const ScoringResponse = z
  .object({
    modelVersion: z.number().int().openapi({ description: "version number of the deployed model" }),
    modelVersionId: z.number().int(),
    dataset: z.object({ id: z.number().int(), name: z.string() }),
    rows: z.number().int(),
    f1: z.number(),
    precision: z.number(),
    recall: z.number(),
    accuracy: z.number(),
    confusion: Confusion,
    scoredAt: IsoDateTime,
    threshold: z.number().openapi({ description: "the deployed version's threshold the labels were predicted at" }),
    ranking: ScoreRanking.nullable().openapi({ description: "ROC AUC, average precision, Brier score, log loss and calibration table; null for a score recorded before they were stored" }),
  })
  .openapi("Scoring");

const SUMMARY_DATASETS = ["training", "test"] as const;

export const SummaryStatsQuery = z.object({
  dataset: z
    .enum(SUMMARY_DATASETS, { error: () => `must be one of ${SUMMARY_DATASETS.join(", ")}` })
    .default("training")
    .openapi({ description: "training = all ingested training records; test = the TEST_DATA file" }),
});

const ColumnSummary = z
  .object({
    mean: z.number().nullable(),
    median: z.number().nullable(),
    std: z.number().nullable().openapi({ description: "sample standard deviation (n − 1), as pandas" }),
    min: z.number().nullable(),
    max: z.number().nullable(),
    missing: z.number().openapi({ description: "fraction (0–1) of empty cells; for training data the cells that were imputed" }),
  })
  .openapi("ColumnSummary");

const CategoricalSummary = z
  .object({
    type: z.literal("categorical"),
    rows: z.number().int(),
    distinct: z.number().int().openapi({ description: "levels seen, (missing) not counted" }),
    missing: z.number().openapi({ description: "fraction of empty cells" }),
    top: z.array(z.object({ level: z.string(), count: z.number().int(), share: z.number() })).openapi({ description: "the most frequent levels (at most 10), most frequent first" }),
  })
  .openapi("CategoricalSummary");

export const SummaryStatsResponse = z
  .object({
    dataset: z.enum(SUMMARY_DATASETS),
    name: z.string().optional().openapi({ description: "file name (test data)" }),
    rows: z.number().int(),
    columns: byColumn(z.union([ColumnSummary, CategoricalSummary])).openapi({
      description: "per numeric feature and the label: ColumnSummary; per categorical feature: CategoricalSummary (type \"categorical\")",
    }),
  })
  .openapi("SummaryStats");

export const ScoreEntry = z
  .object({
    id: z.number().int(),
    modelVersion: z.number().int(),
    modelVersionId: z.number().int(),
    f1: z.number(),
    precision: z.number(),
    recall: z.number(),
    accuracy: z.number(),
    dataset: z.string().openapi({ description: "name of the evaluated data" }),
    kind: z.enum(SCORE_KINDS),
    runId: z.number().int().nullable(),
    rows: z.number().int(),
    createdAt: IsoDateTime,
    ...PeriodFields,
    ranking: ScoreRanking.nullable().openapi({ description: "ranking and calibration of the probabilities; null for a score recorded before they were stored" }),
  })
  .openapi("Score");

/** GET /api/scores: the newest `limit` scores below `before`, listed oldest first. */
export const ScoresQuery = pageQuery().extend(PeriodQuery.shape);

export const ScoresResponse = z
  .object({
    scores: z.array(ScoreEntry).openapi({ description: "oldest first within the page; the page is the newest `limit` scores with an id below `before`" }),
    nextCursor: NextCursor,
  })
  .openapi("Scores");

export const HyperParametersEntry = z
  .object({
    solver: z.enum(SOLVERS).optional(),
    maxIterations: z.number().int().optional().openapi({ description: "newton: at most this many steps" }),
    tolerance: z.number().optional().openapi({ description: "newton: converged when every component of the mean gradient is below this" }),
    learningRate: z.number().optional().openapi({ description: "gradient-descent: learning rate" }),
    numSteps: z.number().int().optional().openapi({ description: "gradient-descent: number of steps" }),
    threshold: z.number().optional().openapi({ description: "absent on versions trained before thresholds were stored (0.5)" }),
    thresholdRule: ThresholdRuleEnum.optional(),
    minLevelCount: z.number().int().optional().openapi({ description: "categorical levels seen fewer times in training are pooled into (other) (MIN_LEVEL_COUNT; absent on versions trained before categorical features)" }),
  })
  .openapi("HyperParameters", { description: "as stored at training (every field is set on versions this release trains; older rows may lack some)" });

export const ModelEntry = z
  .object({
    id: z.number().int(),
    version: z.number().int(),
    createdAt: IsoDateTime,
    trainedRows: z.number().int(),
    trainingMs: z.number(),
    algorithm: z.string(),
    hyperParameters: HyperParametersEntry,
    f1: z.number().nullable().openapi({ description: "latest F1 on the test data; null before it was scored" }),
    deployed: z.boolean(),
    ...ModelEntryAdditions,
  })
  .openapi("Model");

/** GET /api/models: the newest `limit` model versions below `before`, listed oldest first. */
export const ModelsQuery = pageQuery();

export const ModelsResponse = z
  .object({
    models: z.array(ModelEntry).openapi({ description: "oldest version first within the page; the page is the newest `limit` versions with an id below `before`" }),
    nextCursor: NextCursor,
  })
  .openapi("Models");

export const ModelIdParams = idParams("the model version's id (not its version number)");

/** GET /api/models/{id}: one version with its newest test score in full (curves for the charts). */
export const ModelDetailResponse = z
  .object({
    model: ModelEntry,
    testScore: ScoreEntry.extend({
      confusion: Confusion,
      curves: ScoreCurves.nullable().openapi({ description: "ROC, PR and threshold curve points; null when the test data holds one class or the score predates them" }),
    })
      .nullable()
      .openapi({ description: "the newest score on the test data; null before the version was scored" }),
  })
  .openapi("ModelDetail");

export const DatasetEntry = z
  .object({
    id: z.number().int(),
    name: z.string(),
    sha256: z.string(),
    role: z.enum(DATASET_ROLES),
    rowsRead: z.number().int(),
    rowsAccepted: z.number().int(),
    duplicates: z.number().int(),
    rejected: z.number().int(),
    imputed: z.number().int(),
    imputedByColumn: byColumn(z.number()),
    missingByColumn: byColumn(z.number()),
    ignoredColumns: z.array(z.string()).describe("the file's named columns that are not in the schema (ignored)"),
    ingestedAt: IsoDateTime,
    ...PeriodFields,
    checkedByRunId: z.number().int().nullable().describe("the pipeline run that scored and drift-checked this file's rows; null: not yet (uploads wait for the next run)"),
    ingestedByRunId: z
      .number()
      .int()
      .nullable()
      .describe("the pipeline run that ingested this file (null: an upload, the CLI's ingest or the first start); a file of a run that did not finish is checked by the next run"),
  })
  .openapi("Dataset");

/** GET /api/datasets: the newest `limit` ledger entries below `before`, listed oldest first. */
export const DatasetsQuery = pageQuery().extend(PeriodQuery.shape);

export const DatasetsResponse = z
  .object({
    datasets: z.array(DatasetEntry).openapi({ description: "oldest first within the page; the page is the newest `limit` entries with an id below `before`" }),
    nextCursor: NextCursor,
  })
  .openapi("Datasets");

