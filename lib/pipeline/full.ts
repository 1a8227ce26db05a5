import type { Config } from "../config";
import { databaseUrlOf, type Db } from "../db/client";
import { markDatasetsChecked } from "../db/datasets";
import { getRun, getRunLock, releaseRunLock, stampRunPeriod, startRunWithLock, updateRun } from "../db/runs";
import { storageError } from "../db/storage-health";
import type { PipelineRun } from "../db/types";
import { raiseAlert } from "../alerts/notify";
import { runView, type RunView } from "../reads/runs";
import { deadRunAlertMessage, failedAlertMessage, failedReason } from "./reasons";
import { startHeartbeat, StepRunner } from "./runner";
import { CLOSING_STEPS, FIRST_MODEL_STEPS, MONITORING_STEPS } from "./steps";
import { lookForNewData } from "./steps/ingest";
import { ensureReportExists } from "./steps/report";
import type { Decision, FullConfig, FullProcessOptions, RunContext, RunState } from "./steps/types";

/*
 * The full process of DESIGN.md ("The loop"), as one recorded PipelineRun:
 *
 *  1. new data?  files in SOURCE_DIR whose sha256 is not in the ledger. None → `no-new-data`.
 *  2. ingest them; if no model is deployed, train/score/deploy the first → `redeployed`.
 *  3. score the deployed model on the new rows (Score kind "new-data" with the run id), run
 *     the score-drift checks against its score history and per-feature drift (KS, PSI).
 *  4. none of the retrain checks (DRIFT_TRIGGER) says drift → `no-drift`.
 *  5. drift → challenger trained on all records, champion and challenger scored on the test
 *     data, gate (challenger F1 ≥ champion F1, t-test reported) → `redeployed` / `gate-rejected`.
 *  6. diagnostics (integrity, stability, dependency cache) and the report.
 *
 * The steps are lib/pipeline/steps/ (one file each, listed in steps/index.ts); the runner
 * (runner.ts) stores each on the run as { name, status, ms, detail } and times it as a
 * StepTiming; the run's reason says why the model was (not) replaced (reasons.ts). The job lock
 * is the PipelineLock row; it is extended at every step and by a heartbeat, so a killed run's
 * lock lapses after LOCK_TTL_SECONDS instead of blocking forever.
 */

export type { FullConfig, FullProcessOptions } from "./steps/types";
export type { RunView } from "../reads/runs";

/**
 * Acquire the job lock and create the run row (throws conflict:pipeline when busy). When the
 * lock it takes over had expired, the run that held it died without finishing (it is marked
 * failed by startRunWithLock): that raises a run-failed alert, as any failed run does.
 */
export async function beginRun(db: Db, trigger: string, config: Pick<Config, "LOCK_TTL_SECONDS"> & Partial<Pick<Config, "ALERT_WEBHOOK_URL">>): Promise<PipelineRun> {
  const previous = await getRunLock(db);
  const run = await startRunWithLock(db, { trigger, ttlSeconds: config.LOCK_TTL_SECONDS });
  if (previous?.runId && previous.expiresAt <= run.startedAt) {
    const dead = await getRun(db, { id: previous.runId });
    if (dead?.status === "failed") {
      await raiseAlert(db, { kind: "run-failed", runId: dead.id, message: deadRunAlertMessage(dead) }, { webhookUrl: config.ALERT_WEBHOOK_URL });
    }
  }
  return run;
}

/** Run the steps of the run up to its outcome, then close it: diagnostics and the report, or (nothing new) a report if there is none yet. */
async function decideAndClose(runner: StepRunner, ctx: RunContext, state: RunState): Promise<Decision> {
  const decision = await runner.runUntilDecided(state.deployed ? MONITORING_STEPS : FIRST_MODEL_STEPS, state);
  state.decision = decision;
  if (decision.outcome === "no-new-data") await ensureReportExists(ctx);
  else for (const step of CLOSING_STEPS) await runner.run(step, state);
  return decision;
}

/** Store the run as succeeded with its outcome; the files it checked are checked. */
async function finishRun({ db, run }: RunContext, runner: StepRunner, state: RunState, { outcome, reason }: Decision): Promise<RunView> {
  await markDatasetsChecked(db, { ids: state.newDatasets.map((d) => d.id), runId: run.id });
  await stampRunPeriod(db, { runId: run.id, datasetIds: state.newDatasets.map((d) => d.id) });
  return runView(await updateRun(db, run.id, { steps: runner.steps, status: "succeeded", outcome, reason, finishedAt: new Date() }));
}

/**
 * Store the run as failed at the step that threw, and raise a run-failed alert. A full volume or a
 * damaged file is recorded (for /api/health) and stored with its code and what to do.
 */
async function failRun({ db, run, config }: RunContext, runner: StepRunner, trigger: string, e: unknown, state: RunState | null): Promise<RunView> {
  const storage = storageError(e, databaseUrlOf(db));
  const message = storage ? `${storage.code}: ${storage.message}` : (e as Error).message;
  const failedAt = runner.failedAt();
  const failed = await updateRun(db, run.id, { steps: runner.steps, status: "failed", error: message, reason: failedReason(failedAt, message), finishedAt: new Date() });
  await raiseAlert(db, { kind: "run-failed", runId: run.id, message: failedAlertMessage(run.id, trigger, failedAt, message) }, { webhookUrl: config.ALERT_WEBHOOK_URL });
  // the files it got to: their period is what the failed run was about
  if (state) await stampRunPeriod(db, { runId: run.id, datasetIds: state.newDatasets.map((d) => d.id) });
  return runView(state ? ((await getRun(db, { id: run.id })) ?? failed) : failed);
}

/**
 * The full process. Returns the finished run (status succeeded or failed — a failure is
 * recorded on the run and raises an alert, it does not throw). Throws conflict:pipeline only
 * when `started` is not given and another run holds the lock.
 */
export async function runFullProcess(
  { db, trigger }: { db: Db; trigger: string },
  config: FullConfig,
  started?: PipelineRun,
  options: FullProcessOptions = {},
): Promise<RunView> {
  const run = started ?? (await beginRun(db, trigger, config));
  const ctx: RunContext = { db, run, config, options, step: { db, trigger: "pipeline", runId: run.id } };
  const runner = new StepRunner(ctx, trigger === "cli" ? "cli" : "pipeline");
  const stopHeartbeat = startHeartbeat(db, run.id, config.LOCK_TTL_SECONDS);
  let state: RunState | null = null;
  try {
    state = await lookForNewData(ctx);
    return await finishRun(ctx, runner, state, await decideAndClose(runner, ctx, state));
  } catch (e) {
    return failRun(ctx, runner, trigger, e, state);
  } finally {
    stopHeartbeat();
    await releaseRunLock(db, { runId: run.id });
  }
}
