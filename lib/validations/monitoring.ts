import { IsoDateTime, PeriodFields, byColumn, idParams } from "./common";
import { NextCursor, PeriodQuery, pageQuery, pageQueryWithTake } from "./pagination";
import { ALERT_KINDS, DATASET_ROLES, RUN_OUTCOMES, RUN_STATUSES, SCORE_CHECK_IDS, SCORE_CHECK_STATUSES, STEP_NAMES, STEP_STATUSES } from "../vocabulary";
import { TIMING_CHECK_MAX_ITERATIONS } from "../diagnostics/timing-check";
import { z } from "./zod";

/*
 * Monitoring routes (diagnostics, drift, runs). Their handlers live with the monitoring work;
 * the shapes are fixed by API.md and described here so the OpenAPI document covers them.
 */

const StepTimingSummary = z
  .object({
    lastMs: z.number(),
    p50Ms: z.number(),
    p95Ms: z.number(),
    meanMs: z.number().openapi({ description: "mean over every recorded time of the step" }),
    count: z.number().int(),
    lastAt: IsoDateTime,
  })
  .openapi("StepTimingSummary");

const DEPENDENCY_STATUSES = ["current", "outdated", "unknown"] as const;

const DependencyEntry = z
  .object({
    name: z.string(),
    declared: z.string(),
    installed: z.string().nullable(),
    latest: z.string().nullable(),
    status: z.enum(DEPENDENCY_STATUSES),
    reason: z.string().nullable().openapi({ description: "why the status is unknown or outdated (npm unreachable, …); null when current" }),
    checkedAt: IsoDateTime.optional().openapi({ description: "when the cached status was checked (the cached list only)" }),
  })
  .openapi("Dependency");

const StatChange = z
  .object({ previous: z.number().nullable(), current: z.number().nullable(), change: z.number().nullable(), relativeChange: z.number().nullable() })
  .openapi("StatChange");

const SnapshotComparisonEntry = z
  .object({
    snapshotId: z.number().int(),
    previousSnapshotId: z.number().int().nullable(),
    datasetId: z.number().int().nullable(),
    createdAt: IsoDateTime,
    rows: z.object({ previous: z.number().int().nullable(), current: z.number().int(), change: z.number().int().nullable() }),
    columns: byColumn(z.object({ mean: StatChange, median: StatChange, std: StatChange, missing: StatChange })).openapi({
      description: "per column and statistic: previous, current, change (current − previous) and relativeChange (change / |previous|)",
    }),
  })
  .openapi("SnapshotComparison");

export const IntegrityFileEntry = z
  .object({
    datasetId: z.number().int(),
    name: z.string(),
    role: z.enum(DATASET_ROLES),
    ingestedAt: IsoDateTime,
    rowsRead: z.number().int(),
    missing: byColumn(z.number()),
    imputed: byColumn(z.number()),
    rejected: z.number().int(),
  })
  .openapi("IntegrityFile");

const ScheduleStateEntry = z
  .object({
    cron: z.string(),
    ticks: z.number().int(),
    started: z.number().int(),
    skipped: z.number().int(),
    lastTickAt: IsoDateTime.nullable(),
    lastSkip: z.object({ at: IsoDateTime, reason: z.string() }).nullable(),
    nextRunAt: IsoDateTime.nullable(),
  })
  .openapi("ScheduleState");

export const DiagnosticsResponse = z
  .object({
    missing: byColumn(z.number()).openapi({ description: "fraction of empty cells per column" }),
    timings: z.record(z.string(), StepTimingSummary).openapi({ description: "per step: ingest, train, score, deploy, diagnostics, predict, …" }),
    dependencies: z.array(DependencyEntry),
    checkedAt: IsoDateTime.nullable(),
    dependenciesCheckedAt: IsoDateTime.nullable().openapi({ description: "when the dependency cache was filled; null: never" }),
    trainingRows: z.number().int(),
    missingByFile: z.array(IntegrityFileEntry).openapi({ description: "missing and imputed cells per ingested training file" }),
    imputedByColumn: byColumn(z.number()),
    quarantined: z.number().int().openapi({ description: "rows rejected at ingestion in all" }),
    stability: SnapshotComparisonEntry.nullable().openapi({ description: "the newest snapshot against the previous one; null before the first ingestion" }),
    timingCheck: z
      .record(z.string(), z.object({ meanMs: z.number(), checkedAt: IsoDateTime }))
      .nullable()
      .openapi({ description: "per step: the newest timing-check mean; null before the first timing check" }),
    schedule: ScheduleStateEntry.nullable().openapi({ description: "the in-app schedule of this process (PIPELINE_CRON); null when none" }),
  })
  .openapi("Diagnostics");

const ScoreCheckInputs = z
  .object({
    previous: z.number().int().optional().openapi({ description: "number of previous scores in the history" }),
    deployedScore: z.number().nullable().optional(),
    min: z.number().optional(),
    mean: z.number().optional(),
    sd: z.number().optional(),
    q1: z.number().optional(),
    q3: z.number().optional(),
    iqr: z.number().optional(),
    batchId: z.number().int().nullable().optional(),
    batchName: z.string().optional(),
    batchRows: z.number().int().optional(),
    estimatedF1: z.number().optional(),
    estimatedF1Lower: z.number().optional(),
    estimatedF1Upper: z.number().optional(),
  })
  .openapi("ScoreCheckInputs", { description: "what the check computed its threshold from" });

export const ScoreCheckOutcome = z
  .object({
    drifted: z.boolean().nullable(),
    threshold: z.number().nullable(),
    status: z.enum(SCORE_CHECK_STATUSES),
    inputs: ScoreCheckInputs.optional(),
    inTrigger: z.boolean().openapi({ description: "the check is one of DRIFT_TRIGGER's" }),
  })
  .openapi("ScoreCheckOutcome");

const PsiBinEntry = z
  .object({
    lower: z.number().nullable().openapi({ description: "inclusive lower edge; null for the first bin (−∞)" }),
    upper: z.number().nullable().openapi({ description: "exclusive upper edge; null for the last bin (+∞)" }),
    referenceShare: z.number(),
    currentShare: z.number(),
  })
  .openapi("PsiBin");

const NumericFeatureDriftOutcome = z
  .object({
    type: z.literal("numeric").optional().describe("absent on checks stored before categorical features existed"),
    ks: z.object({
      statistic: z.number(),
      pValue: z.number(),
      drifted: z.boolean(),
      threshold: z.number().describe("drifted when pValue < threshold"),
      method: z.enum(["exact", "asymp"]).optional().describe("how the p-value was computed (absent on checks stored before it was recorded)"),
    }),
    psi: z.object({
      score: z.number(),
      drifted: z.boolean(),
      threshold: z.number().describe("drifted when score > threshold"),
      bins: z.array(PsiBinEntry).optional().describe("the reference deciles with both samples' shares"),
    }),
    referenceSize: z.number().int(),
    currentSize: z.number().int(),
  })
  .openapi("NumericFeatureDriftOutcome");

const LevelShareEntry = z
  .object({ level: z.string(), referenceCount: z.number(), currentCount: z.number(), referenceShare: z.number(), currentShare: z.number() })
  .openapi("LevelShare");

const CategoricalFeatureDriftOutcome = z
  .object({
    type: z.literal("categorical"),
    chi2: z
      .object({ statistic: z.number(), df: z.number().int(), pValue: z.number(), drifted: z.boolean(), threshold: z.number() })
      .describe("chi-square test of homogeneity over the levels of either side (scipy.stats.chi2_contingency, no Yates correction); drifted when pValue < threshold"),
    js: z.object({ distance: z.number(), drifted: z.boolean(), threshold: z.number() }).describe("Jensen–Shannon distance, base 2 (scipy.spatial.distance.jensenshannon); drifted when > threshold"),
    psi: z.object({ score: z.number(), drifted: z.boolean(), threshold: z.number() }).describe("PSI over the levels (an empty share counts as 0.0001); drifted when > threshold"),
    unseen: z
      .object({ share: z.number(), count: z.number().int(), levels: z.array(z.string()), drifted: z.boolean(), threshold: z.number() })
      .describe("current rows in levels the reference never had; drifted when share > threshold"),
    levels: z.array(LevelShareEntry).describe("reference against current share per level (at most 50 rows; the rest summed as \"(other levels)\")"),
    referenceSize: z.number().int(),
    currentSize: z.number().int(),
  })
  .openapi("CategoricalFeatureDriftOutcome");

export const FeatureDriftOutcome = z.union([NumericFeatureDriftOutcome, CategoricalFeatureDriftOutcome]).openapi("FeatureDriftOutcome");

const ScoreHistoryEntry = z
  .object({
    scoreId: z.number().int(),
    f1: z.number(),
    modelVersion: z.number().int(),
    source: z.enum(["deployment", "new-data"]),
    refId: z.number().int().nullable().openapi({ description: "deployment id (source deployment) or run id (source new-data)" }),
    at: IsoDateTime,
  })
  .openapi("ScoreHistoryEntry");

const GateTTest = z
  .union([
    z.object({
      t: z.number(),
      df: z.number(),
      pValue: z.number(),
      resamples: z.number().int(),
      seed: z.number().int(),
      championMeanF1: z.number(),
      challengerMeanF1: z.number(),
    }),
    z.object({ error: z.string(), resamples: z.number().int(), seed: z.number().int() }),
  ])
  .openapi("GateTTest", { description: "Welch t-test, challenger − champion, on bootstrap F1 samples of the test data (or why it could not be computed)" });

const GateSide = z.object({ modelVersion: z.number().int(), f1: z.number(), scoreId: z.number().int() });

const GateDecisionEntry = z
  .object({
    rule: z.string(),
    passed: z.boolean(),
    champion: GateSide,
    challenger: GateSide,
    testData: z.object({ datasetId: z.number().int(), name: z.string(), rows: z.number().int() }),
  })
  .openapi("GateDecision");

export const DriftCheckEntry = z
  .object({
    id: z.number().int(),
    runId: z.number().int().nullable(),
    createdAt: IsoDateTime,
    ...PeriodFields,
    modelVersion: z.number().int(),
    modelVersionId: z.number().int(),
    newScore: z.number().nullable(),
    score: z.partialRecord(z.enum(SCORE_CHECK_IDS), ScoreCheckOutcome),
    features: z.record(z.string(), FeatureDriftOutcome),
    featureNotes: byColumn(z.string()).optional().openapi({ description: "columns not compared, and why" }),
    triggered: z.boolean(),
    trigger: z.array(z.enum(SCORE_CHECK_IDS)).openapi({ description: "the DRIFT_TRIGGER checks of the run" }),
    fired: z.array(z.enum(SCORE_CHECK_IDS)).openapi({ description: "the trigger checks that said drift" }),
    history: z.array(ScoreHistoryEntry).openapi({ description: "the score history the checks compared with" }),
    ttest: GateTTest.nullable().openapi({ description: "the gate's t-test; null when the run did not reach the gate" }),
    gate: GateDecisionEntry.nullable().openapi({ description: "the gate's decision; null when the run did not reach the gate" }),
  })
  .openapi("DriftCheck");

export const DriftResponse = z
  .object({
    order: z.literal("newest-first"),
    checks: z.array(DriftCheckEntry).openapi({ description: "newest first" }),
    nextCursor: NextCursor,
  })
  .openapi("Drift");

const RunStepEntry = z
  .object({ name: z.enum(STEP_NAMES), status: z.enum(STEP_STATUSES), ms: z.number(), detail: z.string() })
  .openapi("RunStep");

export const RunEntry = z
  .object({
    id: z.number().int(),
    trigger: z.string(),
    actor: z.string().nullable().openapi({ description: 'who started it: "alice", "alice (key ci)", "ADMIN_TOKEN", "schedule", "cli (root)"; null for runs before people existed' }),
    status: z.enum(RUN_STATUSES),
    outcome: z.enum(RUN_OUTCOMES).nullable(),
    startedAt: IsoDateTime,
    finishedAt: IsoDateTime.nullable(),
    ...PeriodFields,
    steps: z.array(RunStepEntry),
    reason: z.string().nullable(),
    error: z.string().nullable().openapi({ description: "the error of a failed run" }),
  })
  .openapi("Run");

export const RunsResponse = z.object({ runs: z.array(RunEntry).openapi({ description: "newest first" }), nextCursor: NextCursor }).openapi("Runs");

export const RunStartResponse = z
  .object({ run: z.object({ id: z.number().int(), status: z.literal("running"), startedAt: IsoDateTime, trigger: z.string() }) })
  .openapi("RunStarted");

export const RunIdParams = idParams("the run's id");

// ---- Query and body schemas of the monitoring routes (their handlers validate with these)

export const RunsQuery = pageQueryWithTake().extend(PeriodQuery.shape);

export const StartRunBody = z
  .object({ trigger: z.enum(["api", "ui"]).default("api").openapi({ description: "who asked; stored on the run" }) })
  .strict()
  .openapi("StartRunRequest");

/** Drift checks and quarantined rows kept the page size they had before pagination. */
export const DRIFT_DEFAULT_LIMIT = 200;
export const QUARANTINE_DEFAULT_LIMIT = 200;

export const DriftQuery = pageQueryWithTake({ defaultLimit: DRIFT_DEFAULT_LIMIT }).extend(PeriodQuery.shape).extend({
  runId: z.coerce.number().int().positive().optional().openapi({ description: "only the check of this run" }),
});

const RunTimingEntry = z
  .object({ step: z.string(), ms: z.number(), source: z.string(), createdAt: IsoDateTime })
  .openapi("RunTiming", { description: "a stored step time of the run" });

export const RunDetailResponse = RunEntry.extend({
  timings: z.array(RunTimingEntry),
  driftCheck: DriftCheckEntry.nullable().openapi({ description: "the run's drift check; null when the run did not check for drift" }),
}).openapi("RunDetail");

export const DependenciesResponse = z
  .object({ dependencies: z.array(DependencyEntry), checkedAt: IsoDateTime.nullable() })
  .openapi("Dependencies");

export const QuarantineQuery = pageQueryWithTake({ defaultLimit: QUARANTINE_DEFAULT_LIMIT }).extend({
  skip: z.coerce
    .number()
    .int()
    .min(0)
    .default(0)
    .openapi({ description: "rows to skip after `before` (deprecated: an offset costs more the deeper it goes; page with before)", param: { deprecated: true } }),
  dataset: z.coerce.number().int().positive().optional().openapi({ description: "only rows of this dataset id" }),
});

export const QuarantineResponse = z
  .object({
    total: z.number().int().openapi({ description: "rejected rows in all (of `dataset` when given)" }),
    nextCursor: NextCursor,
    rows: z.array(
      z.object({
        id: z.number().int(),
        datasetId: z.number().int(),
        dataset: z.string(),
        row: z.number().int(),
        column: z.string().nullable(),
        problem: z.string(),
        raw: z
          .union([z.record(z.string(), z.string()), z.string()])
          .openapi({ description: "the rejected row as read: its cells by header name (or the stored text when it is not JSON)" }),
        createdAt: IsoDateTime,
      }),
    ).openapi({ description: "newest first" }),
  })
  .openapi("Quarantine");

export const StabilityResponse = z
  .object({ snapshots: z.array(SnapshotComparisonEntry).openapi({ description: "per-column statistics after each ingestion against the previous snapshot, oldest first" }) })
  .openapi("Stability");

export const TimingCheckBody = z
  .object({ iterations: z.number().int().min(1).max(TIMING_CHECK_MAX_ITERATIONS).default(3) })
  .strict()
  .openapi("TimingCheckRequest");

const TimingCheckStep = z.object({ meanMs: z.number(), samplesMs: z.array(z.number()) });

const TimingCheckResult = z
  .object({
    iterations: z.number().int(),
    files: z.array(z.string()).openapi({ description: "the source CSVs timed (copies)" }),
    rows: z.number().int(),
    steps: z.object({ ingest: TimingCheckStep, train: TimingCheckStep }).openapi({ description: "per timed step: the mean and every sample" }),
    totalMs: z.number(),
    checkedAt: IsoDateTime,
  })
  .openapi("TimingCheckResult");

export const TimingCheckResponse = z.object({ timingCheck: TimingCheckResult }).openapi("TimingCheck");

export const AlertsQuery = pageQuery().extend(PeriodQuery.shape).extend({
  open: z.enum(["true", "false"]).optional().openapi({ description: "true: only alerts not acknowledged yet" }),
});

const AlertEntry = z
  .object({
    id: z.number().int(),
    kind: z.enum(ALERT_KINDS),
    message: z.string(),
    runId: z.number().int().nullable(),
    createdAt: IsoDateTime,
    ...PeriodFields,
    delivered: z.boolean().optional().openapi({ description: "whether the webhook took it (the list only)" }),
    deliveryInfo: z.string().nullable().optional().openapi({ description: "the webhook's answer or why it failed (the list only)" }),
    acknowledged: z.boolean(),
  })
  .openapi("Alert");

export const AlertsResponse = z.object({ alerts: z.array(AlertEntry).openapi({ description: "newest first" }), nextCursor: NextCursor }).openapi("Alerts");
export const AlertResponse = z.object({ alert: AlertEntry }).openapi("AlertResult");
export const AlertIdParams = idParams("the alert's id");

export const ReportResponse = z
  .object({ report: z.object({ modelVersion: z.number().int(), generatedAt: IsoDateTime, bytes: z.number().int(), url: z.string() }) })
  .openapi("Report");
