import type { Config } from "../config";
import { databaseUrlOf, type Db } from "../db/client";
import { readTrainingColumns } from "../db/columns";
import { bulkWriteInProgress } from "../db/sqlite";
import { countRecords, listUncheckedDatasets, markDatasetsChecked } from "../db/datasets";
import type { Dataset } from "../db/types";
import type { PipelineRun } from "../db/types";
import { recordScore, getCurrentDeployment } from "../db/models";
import { extendRunLock, getRun, getRunLock, releaseRunLock, startRunWithLock, updateRun, type RunStep } from "../db/runs";
import type { RunOutcome, StepName } from "../vocabulary";
import { recordTiming } from "../db/timings";
import { raiseAlert } from "../alerts/notify";
import { runView, type RunView } from "../reads/runs";
import { refreshDependencyCache, refreshDependencyCacheInBackground, dependencyCacheAge } from "../diagnostics/dependencies";
import { summarizeIntegrity } from "../diagnostics/integrity";
import { findNewFiles, ingestFolder, type FolderIngestResult } from "../ingestion/ingest";
import { generateReport, reportDirPath } from "../report/model-report";
import { scoreHistory } from "../drift/score-history";
import { evaluateColumns } from "../model/evaluate";
import { modelParameters, thresholdChoiceOf } from "../model/stored";
import { assessDrift, type DriftAssessment } from "./drift";
import { decideGate, scoreChampionAndChallenger, type GateDecision } from "./gate";
import { deployStep, scoreStep, trainStep } from "./steps";
import fs from "node:fs";
import path from "node:path";

/*
 * The full process of DESIGN.md ("The loop"), as one recorded PipelineRun:
 *
 *  1. new data?  files in SOURCE_DIR whose sha256 is not in the ledger. None → `no-new-data`.
 *  2. ingest them; if no model is deployed, train/score/deploy the first → `redeployed`.
 *  3. score the deployed model on the new rows (Score kind "new-data" with the run id), run
 *     the score-drift checks against its score history and per-feature drift (KS, PSI).
 *  4. none of the DRIFT_TRIGGER checks says drift → `no-drift`.
 *  5. drift → challenger trained on all records, champion and challenger scored on the test
 *     data, gate (challenger F1 ≥ champion F1, t-test reported) → `redeployed` / `gate-rejected`.
 *  6. diagnostics (integrity, stability, dependency cache) and the report.
 *
 * Every step is stored on the run as { name, status, ms, detail } and as a StepTiming; the
 * run's reason says why the model was (not) replaced. The job lock is the PipelineLock row;
 * it is extended at every step and by a heartbeat, so a killed run's lock lapses after
 * LOCK_TTL_SECONDS instead of blocking forever.
 */

export type { RunView } from "../reads/runs";

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
      await raiseAlert(
        db,
        { kind: "run-failed", runId: dead.id, message: `Pipeline run ${dead.id} (${dead.trigger}) stopped without finishing: ${dead.error ?? "its lock expired"}` },
        { webhookUrl: config.ALERT_WEBHOOK_URL },
      );
    }
  }
  return run;
}

class RunRecorder {
  readonly steps: RunStep[] = [];
  constructor(
    private readonly db: Db,
    private readonly runId: number,
    private readonly ttlSeconds: number,
    private readonly source: string,
  ) {}

  /**
   * Run one step: extend the lock, time it, store its outcome on the run (also when it fails)
   * and its StepTiming — unless `selfTimed`: trainStep, scoreStep and deployStep store their own.
   */
  async step<T>(
    name: StepName,
    fn: () => Promise<{ value: T; detail: string }>,
    { timingStep = name, selfTimed = false }: { timingStep?: StepName; selfTimed?: boolean } = {},
  ): Promise<T> {
    await extendRunLock(this.db, { runId: this.runId, ttlSeconds: this.ttlSeconds });
    await updateRun(this.db, this.runId, { steps: [...this.steps, { name, status: "running", ms: 0, detail: "in progress" }] });
    const t0 = performance.now();
    try {
      const { value, detail } = await fn();
      const ms = performance.now() - t0;
      this.steps.push({ name, status: "succeeded", ms, detail });
      if (!selfTimed) await recordTiming(this.db, { step: timingStep, ms, runId: this.runId, source: this.source });
      await updateRun(this.db, this.runId, { steps: this.steps });
      return value;
    } catch (e) {
      const ms = performance.now() - t0;
      this.steps.push({ name, status: "failed", ms, detail: (e as Error).message });
      if (!selfTimed) await recordTiming(this.db, { step: timingStep, ms, runId: this.runId, source: this.source }).catch(() => undefined);
      throw e;
    }
  }

  skip(name: StepName, detail: string) {
    this.steps.push({ name, status: "skipped", ms: 0, detail });
  }
}

const f4 = (x: number) => x.toFixed(4);

/** "; 1 uploaded file(s) to check; 1 file(s) of run 7, which did not finish, to check (a.csv)" */
function waitingDetail(waiting: readonly Dataset[]): string {
  const uploads = waiting.filter((d) => d.role === "upload");
  const carried = waiting.filter((d) => d.role !== "upload");
  return (
    (uploads.length ? `; ${uploads.length} uploaded file(s) to check` : "") +
    (carried.length ? `; ${carried.length} file(s) of an earlier run that did not finish to check (${carried.map(waitingName).join(", ")})` : "")
  );
}

/** How a file waiting for a check is named in steps and reasons. */
function waitingName(d: Dataset): string {
  return d.role === "upload" ? `${d.name} (uploaded)` : `${d.name} (ingested by run ${d.ingestedByRunId}, which did not finish)`;
}

function ingestDetail(r: FolderIngestResult): string {
  const rows = r.ingested.reduce((n, i) => n + i.dataset.rowsAccepted, 0);
  const parts = r.ingested.map(
    (i) => `${i.dataset.name}: ${i.dataset.rowsAccepted} accepted of ${i.dataset.rowsRead}, ${i.dataset.duplicates} duplicate(s), ${i.dataset.rejected} rejected, ${i.dataset.imputed} imputed`,
  );
  return `${r.ingested.length} new file(s), ${rows} new rows${parts.length ? ` (${parts.join("; ")})` : ""}; ${r.skipped.length} skipped; ${r.failed.length} failed${r.failed.length ? `: ${r.failed.map((f) => `${f.name} (${f.message})`).join("; ")}` : ""}`;
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
  const rec = new RunRecorder(db, run.id, config.LOCK_TTL_SECONDS, trigger === "cli" ? "cli" : "pipeline");
  const ctx = { db, trigger: "pipeline", runId: run.id };
  // Heartbeat: a long step (training on a big set) must not let the lock lapse under a live run.
  // (Not while this thread's ingestion holds the write lock: that beat would wait on itself.)
  const heartbeat = setInterval(() => {
    if (bulkWriteInProgress(databaseUrlOf(db))) return;
    void extendRunLock(db, { runId: run.id, ttlSeconds: config.LOCK_TTL_SECONDS }).catch(() => undefined);
  }, Math.max(1000, (config.LOCK_TTL_SECONDS * 1000) / 3));
  heartbeat.unref?.();
  // The files whose rows this run scores and drift-checks: new source files, and files no run has
  // checked yet (uploads; source files of a run that did not finish).
  let newDatasets: Dataset[] = [];
  const finish = async (outcome: RunOutcome, reason: string) => {
    await markDatasetsChecked(db, { ids: newDatasets.map((d) => d.id), runId: run.id });
    return runView(await updateRun(db, run.id, { steps: rec.steps, status: "succeeded", outcome, reason, finishedAt: new Date() }));
  };

  try {
    // 1. New data? New content in the source folder, uploads (POST /api/ingest, the Data page) no run
    // has checked yet, or files an earlier run ingested but did not get to check (it was killed or failed).
    const newFiles = await findNewFiles(db, config.SOURCE_DIR, { exclude: [config.TEST_DATA, ...(options.holdBack ?? [])] });
    const uploads = await listUncheckedDatasets(db, { exceptRunId: run.id });
    const deployed = await getCurrentDeployment(db);
    if (newFiles.length === 0) {
      rec.skip("ingest", `no new files in ${config.SOURCE_DIR} (every CSV's sha256 is in the ledger)${waitingDetail(uploads)}`);
      if (uploads.length === 0 && (deployed || (await countRecords(db)) === 0)) {
        await ensureReportExists(db, config, run.id);
        return finish(
          "no-new-data",
          deployed
            ? `no new data: no file in ${config.SOURCE_DIR} has new content and no upload is waiting; model version ${deployed.modelVersion.version} stays deployed`
            : `no new data: no file in ${config.SOURCE_DIR} has new content and there is no training data, so no model is deployed`,
        );
      }
    }

    // 2. Ingest (one transaction per file).
    const ingest =
      newFiles.length === 0
        ? ({ ingested: [], skipped: [], failed: [] } as FolderIngestResult)
        : await rec.step("ingest", async () => {
            const r = await ingestFolder(db, config.SOURCE_DIR, { exclude: [config.TEST_DATA, ...(options.holdBack ?? [])], runId: run.id });
            return { value: r, detail: ingestDetail(r) };
          });

    newDatasets = [...ingest.ingested.map((i) => i.dataset), ...uploads];

    if (!deployed) {
      const first = await deployFirst(rec, ctx, config);
      await diagnosticsAndReport(rec, db, config, run.id, options, { outcome: "redeployed", reason: first });
      return finish("redeployed", first);
    }

    const newRows = await readTrainingColumns(databaseUrlOf(db), { datasetIds: newDatasets.map((d) => d.id) });
    if (newRows.n === 0) {
      const why = newDatasets.length === 0
        ? `${newFiles.length} new file(s) could not be ingested${ingest.failed.length ? `: ${ingest.failed.map((f) => `${f.name} (${f.message})`).join("; ")}` : ""}`
        : `${newDatasets.length} new file(s) (${newDatasets.map((d) => d.name).join(", ")}) added no new rows (all duplicates or rejected)`;
      await ensureReportExists(db, config, run.id);
      return finish("no-new-data", `no new data: ${why}; model version ${deployed.modelVersion.version} stays deployed`);
    }

    // 3. Score the deployed model on the new rows, then the drift checks.
    const champion = deployed.modelVersion;
    const fileNames = newDatasets.map((d) => (uploads.includes(d) ? waitingName(d) : d.name)).join(" + ");
    const history = await scoreHistory(db); // before the new score is stored: it is not part of its own history
    const newScore = await rec.step(
      "score-new-data",
      async () => {
        const s = evaluateColumns(modelParameters(champion), newRows);
        const score = await recordScore(db, {
          modelVersionId: champion.id,
          dataset: { id: newDatasets.length === 1 ? newDatasets[0].id : null, name: fileNames },
          kind: "new-data",
          runId: run.id,
          scores: s,
        });
        return { value: score, detail: `deployed model v${champion.version} on ${s.rows} new rows (${fileNames}): F1 ${f4(s.f1)}, precision ${f4(s.precision)}, recall ${f4(s.recall)}` };
      },
      { timingStep: "score" },
    );
    const drift: DriftAssessment = await rec.step("drift", async () => {
      const d = await assessDrift(db, { runId: run.id, model: champion, newScore: newScore.f1, newRows, history, trigger: config.DRIFT_TRIGGER });
      return { value: d, detail: `${d.triggered ? `drift by trigger [${d.fired.join(", ")}]` : `no drift by trigger [${d.trigger.join(", ")}]`}. ${d.summary}` };
    });

    // 4. No drift → keep the champion.
    if (!drift.triggered) {
      const cannotRun = drift.trigger.filter((id) => drift.checks[id].status === "insufficient-history");
      const why = cannotRun.length
        ? `no check of the trigger [${drift.trigger.join(", ")}] fired (${cannotRun.join(", ")} could not run yet: insufficient history)`
        : `no check of the trigger [${drift.trigger.join(", ")}] fired`;
      const reason = `no drift: deployed model v${champion.version} scored F1 ${f4(newScore.f1)} on ${newRows.n} new rows (${fileNames}); ${why}, so it stays deployed. ${drift.summary}`;
      await diagnosticsAndReport(rec, db, config, run.id, options, { outcome: "no-drift", reason });
      return finish("no-drift", reason);
    }

    await raiseAlert(
      db,
      {
        kind: "drift",
        runId: run.id,
        message: `Drift on new data (${fileNames}): model v${champion.version} scored F1 ${f4(newScore.f1)} and the check(s) ${drift.fired.join(", ")} fired; retraining.`,
        details: { newScore: newScore.f1, fired: drift.fired, checks: drift.checks },
      },
      { webhookUrl: config.ALERT_WEBHOOK_URL },
    );

    // 5. Challenger, scoring, gate, maybe deploy.
    const challenger = await rec.step("train", async () => {
      // the challenger keeps the champion's threshold rule, so the gate compares like with like
      const m = await trainStep(ctx, { threshold: thresholdChoiceOf(champion), testPath: config.TEST_DATA });
      return { value: m, detail: `challenger model v${m.version} trained on all ${m.trainedRows} records in ${Math.round(m.trainingMs)} ms` };
    }, { selfTimed: true });
    const scoring = await rec.step("score", async () => {
      const s = await scoreChampionAndChallenger(db, { champion, challenger, testPath: config.TEST_DATA, runId: run.id });
      return {
        value: s,
        detail: `on ${s.test.dataset.name} (${s.test.rows.length} rows): champion v${champion.version} F1 ${f4(s.champion.scores.f1)}, challenger v${challenger.version} F1 ${f4(s.challenger.scores.f1)}`,
      };
    });
    const gate: GateDecision = await rec.step("gate", async () => {
      const g = await decideGate(db, { scoring, driftCheckId: drift.driftCheck.id });
      return { value: g, detail: g.summary };
    });
    const driftWhy = `drift: deployed model v${champion.version} scored F1 ${f4(newScore.f1)} on ${newRows.n} new rows (${fileNames}) and the trigger check(s) [${drift.fired.join(", ")}] fired (${drift.summary})`;
    let outcome: RunOutcome;
    let reason: string;
    if (gate.passed) {
      await rec.step("deploy", async () => {
        const d = await deployStep(ctx, challenger.id, `pipeline run ${run.id}: ${driftWhy.split(" (")[0]}; challenger F1 ${f4(gate.challengerF1)} ≥ champion F1 ${f4(gate.championF1)} on the test data`);
        return { value: d, detail: `model v${challenger.version} deployed (replaces v${champion.version})` };
      }, { selfTimed: true });
      outcome = "redeployed";
      reason = `${driftWhy} → retrained challenger v${challenger.version}; ${gate.summary}. Deployed v${challenger.version}.`;
    } else {
      rec.skip("deploy", `gate rejected challenger v${challenger.version}: F1 ${f4(gate.challengerF1)} < champion F1 ${f4(gate.championF1)}`);
      outcome = "gate-rejected";
      reason = `${driftWhy} → retrained challenger v${challenger.version}; ${gate.summary}. Kept v${champion.version}; challenger v${challenger.version} stays undeployed (deploy it by hand with POST /api/deploy if wanted).`;
    }

    // 6. Diagnostics and report.
    await diagnosticsAndReport(rec, db, config, run.id, options, { outcome, reason });
    return finish(outcome, reason);
  } catch (e) {
    const message = (e as Error).message;
    const failedAt = rec.steps.filter((s) => s.status === "failed").pop()?.name ?? rec.steps[rec.steps.length - 1]?.name ?? "start";
    const failed = await updateRun(db, run.id, {
      steps: rec.steps,
      status: "failed",
      error: message,
      reason: `failed at step ${failedAt}: ${message}`,
      finishedAt: new Date(),
    });
    await raiseAlert(db, { kind: "run-failed", runId: run.id, message: `Pipeline run ${run.id} (${trigger}) failed at step ${failedAt}: ${message}` }, { webhookUrl: config.ALERT_WEBHOOK_URL });
    return runView(failed);
  } finally {
    clearInterval(heartbeat);
    await releaseRunLock(db, { runId: run.id });
  }
}

async function deployFirst(rec: RunRecorder, ctx: { db: Db; trigger: string; runId: number }, config: FullConfig): Promise<string> {
  const model = await rec.step("train", async () => {
    const m = await trainStep(ctx);
    return { value: m, detail: `first model v${m.version} trained on ${m.trainedRows} rows in ${Math.round(m.trainingMs)} ms` };
  }, { selfTimed: true });
  const score = await rec.step("score", async () => {
    const s = await scoreStep(ctx, model, config.TEST_DATA);
    return { value: s, detail: `model v${model.version}: F1 ${f4(s.f1)} on ${s.datasetName} (${s.rows} rows)` };
  }, { selfTimed: true });
  await rec.step("deploy", async () => {
    const d = await deployStep(ctx, model.id, `first model: no model was deployed (F1 ${f4(score.f1)} on ${score.datasetName})`);
    return { value: d, detail: `model v${model.version} deployed` };
  }, { selfTimed: true });
  return `first model: no model was deployed, so model v${model.version} was trained on ${model.trainedRows} rows and deployed (F1 ${f4(score.f1)} on ${score.datasetName}); no drift check without a deployed model to compare`;
}

async function diagnosticsAndReport(
  rec: RunRecorder,
  db: Db,
  config: FullConfig,
  runId: number,
  options: FullProcessOptions,
  decision: { outcome: RunOutcome; reason: string },
): Promise<void> {
  await rec.step("diagnostics", async () => {
    const integrity = await summarizeIntegrity(db);
    const deps = await refreshDependencies(db, options);
    return { value: integrity, detail: `${integrity.summary}; dependencies: ${deps}` };
  });
  await rec.step("report", async () => {
    const r = await generateReport(db, { reportDir: config.REPORT_DIR, testData: config.TEST_DATA, runId, decision });
    const shown = path.relative(/*turbopackIgnore: true*/ process.cwd(), r.path);
    return { value: r, detail: `model report for v${r.modelVersion} written to ${shown.startsWith("..") ? r.path : shown} (${r.bytes} bytes)` };
  });
}

async function refreshDependencies(db: Db, options: FullProcessOptions): Promise<string> {
  const mode = options.dependencies ?? "await";
  if (mode === "skip") return "cache not refreshed (skipped)";
  const maxAge = options.dependencyMaxAgeMs ?? 3_600_000;
  const last = await dependencyCacheAge(db);
  if (last && Date.now() - last.getTime() < maxAge) return `cache fresh (checked ${last.toISOString()})`;
  const opts = { cwd: options.cwd, timeoutMs: options.dependencyTimeoutMs ?? 15_000, env: options.dependencyEnv };
  if (mode === "background") {
    void refreshDependencyCacheInBackground(db, "pipeline", { ...opts, maxAgeMs: maxAge });
    return "refresh started in the background";
  }
  const { dependencies } = await refreshDependencyCache(db, opts);
  const count = (s: string) => dependencies.filter((d) => d.status === s).length;
  return `refreshed: ${count("current")} current, ${count("outdated")} outdated, ${count("unknown")} unknown${count("unknown") ? ` (${dependencies.find((d) => d.status === "unknown")?.reason})` : ""}`;
}

/** A run with nothing new still leaves a report behind if there is none yet (first run on an existing database). */
async function ensureReportExists(db: Db, config: FullConfig, runId: number): Promise<void> {
  if (fs.existsSync(path.join(reportDirPath(config.REPORT_DIR), "model-report.pdf"))) return;
  if (!(await getCurrentDeployment(db))) return;
  await generateReport(db, { reportDir: config.REPORT_DIR, testData: config.TEST_DATA, runId }).catch((e) =>
    console.warn("[pipeline] could not write the model report:", (e as Error).message),
  );
}

