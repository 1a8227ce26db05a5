import os from "node:os";
import { Cron } from "croner";
import type { Db } from "../db/client";
import { AppError } from "../errors";

/*
 * The in-app schedule (PIPELINE_CRON): each tick starts a full process with trigger
 * "schedule" (lib/pipeline/schedule.ts; here are the pattern, the tick claims and the state
 * that GET /api/diagnostics shows, which need nothing of the pipeline). The database lock decides whether it may run — also against the CLI or
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
export async function claimTick(db: Db, at: Date): Promise<boolean> {
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

/** Note on the claimed tick which run it started. */
export async function recordTickRun(db: Db, at: Date, runId: number): Promise<void> {
  await db.scheduleTick.updateMany({ where: { at }, data: { runId } }).catch(() => undefined);
}

/** The schedule this process runs (lib/pipeline/schedule.ts starts it), or undefined. */
export function installedSchedule(): { job: Cron; state: ScheduleState } | undefined {
  return g.__draSchedule;
}

export function installSchedule(schedule: { job: Cron; state: ScheduleState }): void {
  g.__draSchedule = schedule;
}

export function stopSchedule(): void {
  g.__draSchedule?.job.stop();
  g.__draSchedule = undefined;
}

export function scheduleState(): ScheduleState | null {
  return g.__draSchedule?.state ?? null;
}
