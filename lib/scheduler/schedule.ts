import os from "node:os";
import { Cron } from "croner";
import type { Db } from "../db/client";
import { AppError, isAppError } from "../errors";
import { startFullProcessInBackground } from "../pipeline/background";
import type { FullConfig } from "../pipeline/full";

/*
 * The in-app schedule (PIPELINE_CRON): each tick starts a full process with trigger
 * "schedule". The database lock decides whether it may run — also against the CLI or
 * another server — so a busy tick is a logged skip, not a queue. One scheduler per process
 * (kept on globalThis so dev-mode reloads do not start a second one).
 *
 * Several instances on one database may all carry PIPELINE_CRON: each tick is claimed first
 * (a ScheduleTick row keyed by the tick's time, to the pattern's granularity), so one instance
 * takes it and the others skip it — even when the run of that tick has already finished by the
 * time a slower instance's tick fires. Instance clocks must agree to well within that granularity.
 */

export interface ScheduleState {
  cron: string;
  ticks: number;
  started: number;
  skipped: number;
  lastTickAt: string | null;
  lastSkip: { at: string; reason: string } | null;
  nextRunAt: string | null;
}

const g = globalThis as unknown as { __draSchedule?: { job: Cron; state: ScheduleState } };

/** Validate a cron pattern (5 or 6 fields); throws bad_request:config naming PIPELINE_CRON. */
export function validateCron(pattern: string): void {
  try {
    new Cron(pattern, { paused: true }).stop();
  } catch (e) {
    throw new AppError("bad_request:config", `Invalid configuration — PIPELINE_CRON: "${pattern}" is not a cron pattern (${(e as Error).message}); e.g. "*/10 * * * *".`);
  }
}

/** The time a tick fired for, to the pattern's granularity: the second for 6-field patterns, else the minute. */
export function tickTime(pattern: string, now: Date = new Date()): Date {
  const step = pattern.trim().split(/\s+/).length >= 6 ? 1000 : 60_000;
  return new Date(Math.floor(now.getTime() / step) * step);
}

/** Claim a tick for this instance; false when another instance on the database took it. */
async function claimTick(db: Db, at: Date): Promise<boolean> {
  try {
    await db.scheduleTick.create({ data: { at, owner: `${os.hostname()}:${process.pid}` } });
  } catch (e) {
    if ((e as { code?: string }).code === "P2002") return false;
    throw e;
  }
  // Claims are only compared with their own tick: a week of them is plenty.
  await db.scheduleTick.deleteMany({ where: { at: { lt: new Date(at.getTime() - 7 * 86_400_000) } } }).catch(() => undefined);
  return true;
}

/**
 * One scheduled tick: start a run, or record the skip when another run holds the lock. With
 * `tickAt` (the scheduler's ticks) the tick is claimed first, and skipped when another instance took it.
 */
export async function scheduledTick(db: Db, config: FullConfig, state?: ScheduleState, tickAt?: Date): Promise<{ started: number } | { skipped: string }> {
  if (state) {
    state.ticks++;
    state.lastTickAt = new Date().toISOString();
  }
  try {
    if (tickAt && !(await claimTick(db, tickAt))) {
      throw new AppError("conflict:pipeline", `the tick of ${tickAt.toISOString()} was taken by another instance on this database`);
    }
    const run = await startFullProcessInBackground(db, "schedule", config);
    if (tickAt) await db.scheduleTick.updateMany({ where: { at: tickAt }, data: { runId: run.id } }).catch(() => undefined);
    if (state) state.started++;
    console.log(`[schedule] started pipeline run ${run.id}`);
    return { started: run.id };
  } catch (e) {
    const reason = isAppError(e) ? e.message : (e as Error).message;
    if (state) {
      state.skipped++;
      state.lastSkip = { at: new Date().toISOString(), reason };
    }
    console.warn(`[schedule] tick skipped: ${reason}`);
    return { skipped: reason };
  }
}

export function startSchedule(getDb: () => Db, pattern: string, config: FullConfig): ScheduleState {
  if (g.__draSchedule) {
    if (g.__draSchedule.state.cron === pattern) return g.__draSchedule.state;
    g.__draSchedule.job.stop();
  }
  validateCron(pattern);
  const state: ScheduleState = { cron: pattern, ticks: 0, started: 0, skipped: 0, lastTickAt: null, lastSkip: null, nextRunAt: null };
  const job = new Cron(pattern, { protect: true, catch: (e) => console.error("[schedule] tick failed:", e) }, async () => {
    await scheduledTick(getDb(), config, state, tickTime(pattern));
    state.nextRunAt = job.nextRun()?.toISOString() ?? null;
  });
  state.nextRunAt = job.nextRun()?.toISOString() ?? null;
  g.__draSchedule = { job, state };
  console.log(`[schedule] full process scheduled "${pattern}"; next run ${state.nextRunAt}`);
  return state;
}

export function stopSchedule(): void {
  g.__draSchedule?.job.stop();
  g.__draSchedule = undefined;
}

export function scheduleState(): ScheduleState | null {
  return g.__draSchedule?.state ?? null;
}
