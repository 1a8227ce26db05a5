import { databaseUrlOf, type Db } from "../db/client";
import { extendRunLock, updateRun, type RunStep } from "../db/runs";
import { bulkWriteInProgress } from "../db/sqlite";
import { timeStep } from "../diagnostics/time-step";
import { AppError } from "../errors";
import type { Decision, PipelineStep, RunContext, RunState } from "./steps/types";

/**
 * Runs the steps of one pipeline run: before each it extends the run's lock and shows the step
 * as running; it times the step (timeStep: a StepTiming, also when the step fails) and stores
 * its outcome on the run as { name, status, ms, detail }.
 */
export class StepRunner {
  readonly steps: RunStep[] = [];

  constructor(
    private readonly ctx: RunContext,
    /** the StepTiming source: "cli" for a run of the CLI, else "pipeline" */
    private readonly source: string,
  ) {}

  async run(step: PipelineStep, state: RunState): Promise<void> {
    const { db, run, config } = this.ctx;
    await extendRunLock(db, { runId: run.id, ttlSeconds: config.LOCK_TTL_SECONDS });
    await updateRun(db, run.id, { steps: [...this.steps, { name: step.name, status: "running", ms: 0, detail: "in progress" }] });
    const { value: detail, ms } = await timeStep(db, step.timing ?? step.name, () => step.run(this.ctx, state), {
      runId: run.id,
      source: this.source,
      onFailed: (failedMs, e) => this.steps.push({ name: step.name, status: "failed", ms: failedMs, detail: (e as Error).message }),
    });
    this.steps.push({ name: step.name, status: "succeeded", ms, detail });
    await updateRun(db, run.id, { steps: this.steps });
  }

  skip(step: PipelineStep, detail: string): void {
    this.steps.push({ name: step.name, status: "skipped", ms: 0, detail });
  }

  /** Take the steps in order (each run, or skipped when the run does not need it) until one decides the outcome. */
  async runUntilDecided(steps: readonly PipelineStep[], state: RunState): Promise<Decision> {
    for (const step of steps) {
      const skipped = step.skipped?.(this.ctx, state) ?? null;
      if (skipped !== null) this.skip(step, skipped);
      else await this.run(step, state);
      const decision = await step.after?.(this.ctx, state);
      if (decision) return decision;
    }
    throw new AppError("internal:pipeline", `No step of ${steps.map((s) => s.name).join(", ")} decided the run's outcome.`);
  }

  /** The step the run failed at: the failed one, else the last one started. */
  failedAt(): string {
    return this.steps.filter((s) => s.status === "failed").pop()?.name ?? this.steps[this.steps.length - 1]?.name ?? "start";
  }
}

/**
 * Keep the run's lock while it runs: a long step (training on a big set) must not let the lock
 * lapse under a live run. (Not while this thread's ingestion holds the write lock: that beat
 * would wait on itself.) Returns the function that stops it.
 */
export function startHeartbeat(db: Db, runId: number, ttlSeconds: number): () => void {
  const heartbeat = setInterval(() => {
    if (bulkWriteInProgress(databaseUrlOf(db))) return;
    void extendRunLock(db, { runId, ttlSeconds }).catch(() => undefined);
  }, Math.max(1000, (ttlSeconds * 1000) / 3));
  heartbeat.unref?.();
  return () => clearInterval(heartbeat);
}
