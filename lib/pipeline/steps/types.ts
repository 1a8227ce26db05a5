import type { Config } from "../../config";
import type { Db } from "../../db/client";
import type { DataColumns } from "../../schema/columns";
import type { DeploymentWithModel } from "../../db/models";
import type { Dataset, ModelVersion, PipelineRun, Score } from "../../db/types";
import type { ScoreHistory } from "../../drift/score-history";
import type { FolderIngestResult } from "../../ingestion/ingest";
import type { ScoredSet } from "../../model/evaluate";
import type { RunOutcome, StepName } from "../../vocabulary";
import type { DriftAssessment } from "./drift";
import type { GateDecision } from "./gate";
import type { TestScoring } from "./score";

/** Who runs a step: the database, the run it belongs to (if any) and who asked (cli | api | pipeline | first-start …). */
export interface StepContext {
  db: Db;
  runId?: number | null;
  /** who asked: cli | api | ui | pipeline | first-start | schedule; a deployment stores it as its trigger */
  trigger: string;
}

export type FullConfig = Pick<Config, "SOURCE_DIR" | "TEST_DATA" | "LOCK_TTL_SECONDS" | "DRIFT_TRIGGER" | "ALERT_WEBHOOK_URL" | "REPORT_DIR">;

export interface FullProcessOptions {
  /**
   * How the dependency cache is refreshed in the diagnostics step (when older than
   * `dependencyMaxAgeMs`): "await" waits for it (bounded by `dependencyTimeoutMs` — the CLI,
   * whose process ends with the run), "background" does not wait (the server), "skip" leaves it.
   */
  dependencies?: "await" | "background" | "skip";
  /** Files of the source folder this run leaves for later (a replay hands the run one file at a time). */
  holdBack?: string[];
  dependencyTimeoutMs?: number;
  /** refresh only when the cache is older than this (default 1 h: a 10-minute cron does not call npm every time) */
  dependencyMaxAgeMs?: number;
  /** extra env for the npm client (tests) */
  dependencyEnv?: Record<string, string | undefined>;
  /** project folder with package.json (default cwd) */
  cwd?: string;
}

/** What every step of a full-process run reads. */
export interface RunContext {
  db: Db;
  run: PipelineRun;
  config: FullConfig;
  options: FullProcessOptions;
  /** the run's steps act as "pipeline": the trigger of the deployments they make */
  step: StepContext;
}

/** How a run ended, and why. */
export interface Decision {
  outcome: RunOutcome;
  reason: string;
}

/** What the steps of a run found so far: each step reads what the steps before it filled in. */
export interface RunState {
  /** files of the source folder with content not in the ledger */
  newFiles: string[];
  /** files ingested earlier that no run has checked yet: uploads, files of a run that did not finish */
  waiting: Dataset[];
  /** the deployment when the run started: the champion */
  deployed: DeploymentWithModel | null;
  ingest: FolderIngestResult;
  /** the files whose rows this run scores and drift-checks: the ingested ones, then the waiting ones */
  newDatasets: Dataset[];
  newRows?: DataColumns;
  /** the score history before this run's new score */
  history?: ScoreHistory;
  newScore?: Score;
  drift?: DriftAssessment;
  /** the model this run trained: the first one, or the challenger */
  trained?: ModelVersion;
  /** the first model's score on the test data */
  firstScore?: Score & { scores: ScoredSet };
  scoring?: TestScoring;
  gate?: GateDecision;
  decision?: Decision;
}

/**
 * A step of the full process. The runner (lib/pipeline/runner.ts) records it on the run and
 * times it; `after` says what follows it.
 */
export interface PipelineStep {
  name: StepName;
  /** the StepTiming name, when not `name` (scoring the new rows is timed as "score") */
  timing?: StepName;
  /** why the run does not need this step (it is recorded as skipped, not run), or null */
  skipped?(ctx: RunContext, state: RunState): string | null;
  /** do the step; returns its detail */
  run(ctx: RunContext, state: RunState): Promise<string>;
  /** after the step (run or skipped): the run's outcome when this step decides it, else null */
  after?(ctx: RunContext, state: RunState): Promise<Decision | null>;
}

/** A field of the state an earlier step fills in; a missing one is a bug in the order of the steps. */
export function filled<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null) throw new Error(`pipeline step order: ${what} is not known yet`);
  return value;
}
