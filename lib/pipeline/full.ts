import type { Config } from "../config";
import type { Db } from "../db/client";
import type { PipelineRun } from "../db/generated/client";
import { getCurrentDeployment } from "../db/models";
import { releaseRunLock, startRunWithLock, updateRun, type RunOutcome, type RunStep } from "../db/runs";
import { ingestFolder } from "../ingestion/ingest";
import { deployStep, scoreStep, trainStep } from "./steps";

export interface RunView {
  id: number;
  trigger: string;
  status: string;
  outcome: RunOutcome | null;
  startedAt: string;
  finishedAt: string | null;
  steps: RunStep[];
  reason: string | null;
  error?: string | null;
}

export function runView(r: PipelineRun): RunView {
  return {
    id: r.id,
    trigger: r.trigger,
    status: r.status,
    outcome: (r.outcome as RunOutcome | null) ?? null,
    startedAt: r.startedAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
    steps: JSON.parse(r.steps) as RunStep[],
    reason: r.reason,
    error: r.error,
  };
}

type FullConfig = Pick<Config, "SOURCE_DIR" | "TEST_DATA" | "LOCK_TTL_SECONDS">;

/** Acquire the job lock and create the run row (throws conflict:pipeline when busy). */
export function beginRun(db: Db, trigger: string, config: FullConfig): Promise<PipelineRun> {
  return startRunWithLock(db, { trigger, ttlSeconds: config.LOCK_TTL_SECONDS });
}

/**
 * The full process: ingest new files; when something new arrived (or nothing is deployed),
 * train, score and deploy. Every step's outcome and time is stored on the run.
 */
export async function runFullProcess(
  { db, trigger }: { db: Db; trigger: string },
  config: FullConfig,
  started?: PipelineRun,
): Promise<RunView> {
  const run = started ?? (await beginRun(db, trigger, config));
  const steps: RunStep[] = [];
  const step = async <T>(name: string, fn: () => Promise<{ value: T; detail: string }>): Promise<T> => {
    const t0 = performance.now();
    try {
      const { value, detail } = await fn();
      steps.push({ name, status: "succeeded", ms: performance.now() - t0, detail });
      await updateRun(db, run.id, { steps });
      return value;
    } catch (e) {
      steps.push({ name, status: "failed", ms: performance.now() - t0, detail: (e as Error).message });
      throw e;
    }
  };
  const ctx = { db, trigger: "pipeline", runId: run.id };
  try {
    let outcome: RunOutcome;
    let reason: string;
    const ingest = await step("ingest", async () => {
      const r = await ingestFolder(db, config.SOURCE_DIR, { exclude: [config.TEST_DATA] });
      const rows = r.ingested.reduce((n, i) => n + i.dataset.rowsAccepted, 0);
      return {
        value: r,
        detail: `${r.ingested.length} new file(s), ${rows} new rows; ${r.skipped.length} skipped; ${r.failed.length} failed${r.failed.length ? `: ${r.failed.map((f) => `${f.name} (${f.message})`).join("; ")}` : ""}`,
      };
    });
    const deployed = await getCurrentDeployment(db);
    if (ingest.ingested.length === 0 && deployed) {
      outcome = "no-new-data";
      reason = `no new files in ${config.SOURCE_DIR}; model version ${deployed.modelVersion.version} stays deployed`;
    } else {
      const model = await step("train", async () => {
        const m = await trainStep(ctx);
        return { value: m, detail: `model version ${m.version} on ${m.trainedRows} rows in ${Math.round(m.trainingMs)} ms` };
      });
      const score = await step("score", async () => {
        const s = await scoreStep(ctx, model, config.TEST_DATA);
        return { value: s, detail: `F1 ${s.f1.toFixed(4)} on ${s.datasetName} (${s.rows} rows)` };
      });
      const why = deployed
        ? `new data (${ingest.ingested.map((i) => i.dataset.name).join(", ")}): retrained`
        : "first model: no model was deployed";
      await step("deploy", async () => {
        const d = await deployStep(ctx, model.id, `${why}; F1 ${score.f1.toFixed(4)}`);
        return { value: d, detail: `model version ${model.version} deployed` };
      });
      outcome = "redeployed";
      reason = `${why}; deployed model version ${model.version} with F1 ${score.f1.toFixed(4)}`;
    }
    const done = await updateRun(db, run.id, { steps, status: "succeeded", outcome, reason, finishedAt: new Date() });
    return runView(done);
  } catch (e) {
    const failed = await updateRun(db, run.id, {
      steps,
      status: "failed",
      error: (e as Error).message,
      reason: `failed at step ${steps[steps.length - 1]?.name ?? "start"}: ${(e as Error).message}`,
      finishedAt: new Date(),
    });
    return runView(failed);
  } finally {
    await releaseRunLock(db, { runId: run.id });
  }
}
