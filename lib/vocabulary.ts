/*
 * The closed sets of words the whole codebase shares: defined once here, imported by the
 * database layer, the pipeline, the API schemas (z.enum of these) and the browser. Framework-free
 * and without imports, so any module may use it.
 */

/**
 * The score checks a run records in its drift check (GET /api/drift `score`), and the ids
 * DRIFT_TRIGGER may name: the four history checks of a new labelled score, then `estimated`
 * (the CBPE estimate of a monitored batch, which needs no labels).
 */
export const SCORE_CHECK_IDS = ["latest", "raw", "parametric", "nonparametric", "estimated"] as const;
export type ScoreCheckId = (typeof SCORE_CHECK_IDS)[number];

/** The checks computed from a new labelled score and the score history (all but `estimated`). */
export const HISTORY_CHECK_IDS = ["latest", "raw", "parametric", "nonparametric"] as const satisfies readonly ScoreCheckId[];
export type HistoryCheckId = (typeof HISTORY_CHECK_IDS)[number];

/** What a score check concluded. */
export const SCORE_CHECK_STATUSES = ["ok", "drift", "insufficient-history"] as const;
export type ScoreCheckStatus = (typeof SCORE_CHECK_STATUSES)[number];

/** How a pipeline run ended (DESIGN.md "The loop"). */
export const RUN_OUTCOMES = ["no-new-data", "no-drift", "redeployed", "gate-rejected"] as const;
export type RunOutcome = (typeof RUN_OUTCOMES)[number];

export const RUN_STATUSES = ["running", "succeeded", "failed"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** A step of a run: "running" only while it is in progress, "skipped" when the run did not need it. */
export const STEP_STATUSES = ["running", "succeeded", "failed", "skipped"] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

/**
 * The timed steps: the full process's steps in their order, then `predict` (timed per
 * request, not a step of a run).
 */
export const STEP_NAMES = ["ingest", "score-new-data", "drift", "train", "score", "gate", "deploy", "diagnostics", "report", "predict"] as const;
export type StepName = (typeof STEP_NAMES)[number];

/** Where a ledger entry's rows came from. */
export const DATASET_ROLES = ["source", "upload", "test"] as const;
export type DatasetRole = (typeof DATASET_ROLES)[number];

/** What a recorded score was computed on. */
export const SCORE_KINDS = ["test", "new-data", "upload"] as const;
export type ScoreKind = (typeof SCORE_KINDS)[number];

/** Why an alert was raised. */
export const ALERT_KINDS = ["drift", "run-failed"] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];
