import { periodWhere, type PeriodFilter } from "./period-where";
import os from "node:os";
import type { Db } from "./client";
import type { PipelineRun } from "./generated/client";
import { currentActor } from "../actor";
import { AppError } from "../errors";
import type { RunOutcome, RunStatus, StepName, StepStatus } from "../vocabulary";

export interface RunStep {
  name: StepName;
  /** "running" only while the step is in progress (live progress for GET /api/runs/:id) */
  status: StepStatus;
  ms: number;
  detail: string;
}

/**
 * Start a pipeline run holding the job lock. The lock is one row (id 1) in PipelineLock, so
 * the primary key makes acquisition atomic across processes (CLI, server, scheduler). A lock
 * past its expiry belongs to a run that died: it is removed and that run is marked failed.
 * Throws AppError("conflict:pipeline") while another live run holds it.
 */
export async function startRunWithLock(db: Db, { trigger, ttlSeconds }: { trigger: string; ttlSeconds: number }): Promise<PipelineRun> {
  const now = new Date();
  const stale = await db.pipelineLock.findUnique({ where: { id: 1 } });
  if (stale && stale.expiresAt <= now) {
    const removed = await db.pipelineLock.deleteMany({ where: { id: 1, expiresAt: { lte: now } } });
    if (removed.count > 0 && stale.runId !== null) {
      await db.pipelineRun.updateMany({
        where: { id: stale.runId, status: "running" },
        data: { status: "failed", finishedAt: now, error: `lock expired at ${stale.expiresAt.toISOString()}: the run stopped without finishing (process killed?)` },
      });
    }
  }
  try {
    await db.pipelineLock.create({
      data: { id: 1, owner: `${os.hostname()}:${process.pid}`, expiresAt: new Date(now.getTime() + ttlSeconds * 1000) },
    });
  } catch (e) {
    if ((e as { code?: string }).code !== "P2002") throw e;
    const held = await db.pipelineLock.findUnique({ where: { id: 1 } });
    throw new AppError(
      "conflict:pipeline",
      `A pipeline run is already in progress${held?.runId ? ` (run ${held.runId}, started by ${held.owner})` : ""}; wait for it to finish${held ? ` (its lock expires at ${held.expiresAt.toISOString()})` : ""}.`,
    );
  }
  try {
    const run = await db.pipelineRun.create({ data: { trigger, status: "running", actor: currentActor().label } });
    await db.pipelineLock.update({ where: { id: 1 }, data: { runId: run.id } });
    return run;
  } catch (e) {
    await db.pipelineLock.deleteMany({ where: { id: 1 } });
    throw e;
  }
}

/** Push the lock's expiry forward while a run is still working. */
export async function extendRunLock(db: Db, { runId, ttlSeconds }: { runId: number; ttlSeconds: number }): Promise<void> {
  await db.pipelineLock.updateMany({ where: { id: 1, runId }, data: { expiresAt: new Date(Date.now() + ttlSeconds * 1000) } });
}

export async function releaseRunLock(db: Db, { runId }: { runId: number }): Promise<void> {
  await db.pipelineLock.deleteMany({ where: { id: 1, runId } });
}

export async function updateRun(
  db: Db,
  id: number,
  data: { steps?: RunStep[]; status?: RunStatus; outcome?: RunOutcome | null; reason?: string | null; error?: string | null; finishedAt?: Date },
): Promise<PipelineRun> {
  const { steps, ...rest } = data;
  return db.pipelineRun.update({ where: { id }, data: { ...rest, ...(steps ? { steps: JSON.stringify(steps) } : {}) } });
}

export async function getRun(db: Db, { id }: { id: number }): Promise<PipelineRun | null> {
  return db.pipelineRun.findUnique({ where: { id } });
}

/** Runs newest first, at most `take`, only those with an id below `before` when given. */
export async function listRuns(db: Db, { take = 100, before, period }: { take?: number; before?: number; period?: PeriodFilter } = {}): Promise<PipelineRun[]> {
  return db.pipelineRun.findMany({ where: { ...(before !== undefined ? { id: { lt: before } } : {}), ...periodWhere(period) }, orderBy: { id: "desc" }, take });
}

/** The job lock row, or null when no run holds it. */
export async function getRunLock(db: Db) {
  return db.pipelineLock.findUnique({ where: { id: 1 } });
}

/**
 * Stamp a run and what it recorded with the period of the rows it was about (issue 18): the
 * earliest periodStart and latest periodEnd of the files it scored and drift-checked. Its
 * new-data scores, drift check and alerts get the same period unless they carry one already (a
 * test score has its test file's period). Nothing happens when the run was about no file.
 */
export async function stampRunPeriod(db: Db, { runId, datasetIds }: { runId: number; datasetIds: readonly number[] }): Promise<void> {
  if (datasetIds.length === 0) return;
  const p = await db.dataset.aggregate({ where: { id: { in: [...datasetIds] } }, _min: { periodStart: true }, _max: { periodEnd: true } });
  const period = { periodStart: p._min.periodStart, periodEnd: p._max.periodEnd };
  if (!period.periodStart || !period.periodEnd) return;
  await db.$transaction([
    db.pipelineRun.update({ where: { id: runId }, data: period }),
    db.score.updateMany({ where: { runId, periodStart: null }, data: period }),
    db.driftCheck.updateMany({ where: { runId, periodStart: null }, data: period }),
    db.alert.updateMany({ where: { runId, periodStart: null }, data: period }),
  ]);
}
