import { IsoDateTime, byColumn } from "./common";
import { NextCursor, pageQuery, pageQueryWithTake } from "./pagination";
import { RUN_OUTCOMES, RUN_STATUSES, SCORE_CHECK_IDS, SCORE_CHECK_STATUSES } from "../vocabulary";
import { z } from "./zod";

/*
 * Monitoring routes (diagnostics, drift, runs). Their handlers live with the monitoring work;
 * the shapes are fixed by API.md and described here so the OpenAPI document covers them.
 */

export const StepTimingSummary = z
  .object({ lastMs: z.number().nullable(), p50Ms: z.number().nullable(), p95Ms: z.number().nullable(), count: z.number().int() })
  .openapi("StepTimingSummary");

export const DependencyEntry = z
  .object({
    name: z.string(),
    declared: z.string(),
    installed: z.string().nullable(),
    latest: z.string().nullable(),
    status: z.enum(["current", "outdated", "unknown"]),
  })
  .openapi("Dependency");

export const DiagnosticsResponse = z
  .object({
    missing: byColumn(z.number()).openapi({ description: "fraction of empty cells per column" }),
    timings: z.record(z.string(), StepTimingSummary).openapi({ description: "per step: ingest, train, score, deploy, diagnostics, predict, …" }),
    dependencies: z.array(DependencyEntry),
    checkedAt: IsoDateTime.nullable(),
  })
  .openapi("Diagnostics");

export const ScoreCheckOutcome = z
  .object({
    drifted: z.boolean().nullable(),
    threshold: z.number().nullable(),
    status: z.enum(SCORE_CHECK_STATUSES),
  })
  .openapi("ScoreCheckOutcome");

export const FeatureDriftOutcome = z
  .object({
    ks: z.object({ statistic: z.number(), pValue: z.number(), drifted: z.boolean(), threshold: z.number().optional().describe("drifted when pValue < threshold") }),
    psi: z.object({ score: z.number(), drifted: z.boolean(), threshold: z.number().optional().describe("drifted when score > threshold") }),
  })
  .openapi("FeatureDriftOutcome");

export const DriftCheckEntry = z
  .object({
    runId: z.number().int().nullable(),
    createdAt: IsoDateTime,
    modelVersion: z.number().int(),
    newScore: z.number().nullable(),
    score: z.partialRecord(z.enum(SCORE_CHECK_IDS), ScoreCheckOutcome),
    features: z.record(z.string(), FeatureDriftOutcome),
    triggered: z.boolean(),
  })
  .openapi("DriftCheck");

export const DriftResponse = z
  .object({ checks: z.array(DriftCheckEntry).openapi({ description: "newest first" }), nextCursor: NextCursor })
  .openapi("Drift");

export const RunStepEntry = z
  .object({ name: z.string(), status: z.string(), ms: z.number(), detail: z.string() })
  .openapi("RunStep");

export const RunEntry = z
  .object({
    id: z.number().int(),
    trigger: z.string(),
    status: z.enum(RUN_STATUSES),
    outcome: z.enum(RUN_OUTCOMES).nullable(),
    startedAt: IsoDateTime,
    finishedAt: IsoDateTime.nullable(),
    steps: z.array(RunStepEntry),
    reason: z.string().nullable(),
  })
  .openapi("Run");

export const RunsResponse = z.object({ runs: z.array(RunEntry).openapi({ description: "newest first" }), nextCursor: NextCursor }).openapi("Runs");

export const RunStartResponse = z
  .object({ run: z.object({ id: z.number().int(), status: z.literal("running") }).passthrough() })
  .openapi("RunStarted");

export const RunIdParams = z.object({ id: z.string().openapi({ param: { name: "id", in: "path" }, example: "1" }) });

// ---- Query and body schemas of the monitoring routes (their handlers validate with these)

export const RunsQuery = pageQueryWithTake();

export const StartRunBody = z
  .object({ trigger: z.enum(["api", "ui"]).default("api").openapi({ description: "who asked; stored on the run" }) })
  .strict()
  .openapi("StartRunRequest");

/** Drift checks and quarantined rows kept the page size they had before pagination. */
export const DRIFT_DEFAULT_LIMIT = 200;
export const QUARANTINE_DEFAULT_LIMIT = 200;

export const DriftQuery = pageQueryWithTake({ defaultLimit: DRIFT_DEFAULT_LIMIT }).extend({
  runId: z.coerce.number().int().positive().optional().openapi({ description: "only the check of this run" }),
});

export const RunDetailResponse = RunEntry.extend({
  timings: z.array(z.object({ step: z.string(), ms: z.number(), source: z.string(), createdAt: IsoDateTime })),
})
  .passthrough()
  .openapi("RunDetail");

export const DependenciesResponse = z
  .object({ dependencies: z.array(DependencyEntry.passthrough()), checkedAt: IsoDateTime.nullable() })
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
        raw: z.unknown(),
        createdAt: IsoDateTime,
      }),
    ).openapi({ description: "newest first" }),
  })
  .openapi("Quarantine");

export const StabilityResponse = z
  .object({ snapshots: z.array(z.record(z.string(), z.unknown())).openapi({ description: "per-column statistics after each ingestion, oldest first" }) })
  .openapi("Stability");

export const TimingCheckBody = z
  .object({ iterations: z.number().int().min(1).max(10).default(3) })
  .strict()
  .openapi("TimingCheckRequest");

export const TimingCheckResponse = z.object({ timingCheck: z.record(z.string(), z.unknown()) }).openapi("TimingCheck");

export const AlertsQuery = pageQuery().extend({
  open: z.enum(["true", "false"]).optional().openapi({ description: "true: only alerts not acknowledged yet" }),
});

export const AlertEntry = z
  .object({
    id: z.number().int(),
    kind: z.string().openapi({ description: "drift | run-failed" }),
    message: z.string(),
    runId: z.number().int().nullable(),
    createdAt: IsoDateTime,
    delivered: z.boolean().optional(),
    deliveryInfo: z.string().nullable().optional(),
    acknowledged: z.boolean(),
  })
  .openapi("Alert");

export const AlertsResponse = z.object({ alerts: z.array(AlertEntry).openapi({ description: "newest first" }), nextCursor: NextCursor }).openapi("Alerts");
export const AlertResponse = z.object({ alert: AlertEntry }).openapi("AlertResult");
export const AlertIdParams = z.object({ id: z.string().openapi({ param: { name: "id", in: "path" }, example: "1" }) });

export const ReportResponse = z
  .object({ report: z.object({ modelVersion: z.number().int(), generatedAt: IsoDateTime, bytes: z.number().int(), url: z.string() }) })
  .openapi("Report");
