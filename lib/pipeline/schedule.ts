import { Cron } from "croner";
import { runAsActor, SCHEDULE_ACTOR } from "../actor";
import { recordAudit } from "../auth/audit";
import type { Db } from "../db/client";
import { AppError, isAppError } from "../errors";
import { claimTick, installedSchedule, installSchedule, recordTickRun, tickTime, validateCron, type ScheduleState } from "../scheduler/schedule";
import { startFullProcessInBackground } from "./background";
import type { FullConfig } from "./full";

/* The in-app schedule's ticks (lib/scheduler/schedule.ts): each starts a full process in the background. */

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
    const run = await runAsActor(SCHEDULE_ACTOR, async () => {
      const started = await startFullProcessInBackground(db, "schedule", config);
      await recordAudit(db, { action: "run", target: `run ${started.id}`, detail: { trigger: "schedule", tick: tickAt?.toISOString() ?? null } });
      return started;
    });
    if (tickAt) await recordTickRun(db, tickAt, run.id);
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
  const installed = installedSchedule();
  if (installed) {
    if (installed.state.cron === pattern) return installed.state;
    installed.job.stop();
  }
  validateCron(pattern);
  const state: ScheduleState = { cron: pattern, ticks: 0, started: 0, skipped: 0, lastTickAt: null, lastSkip: null, nextRunAt: null };
  const job = new Cron(pattern, { protect: true, catch: (e) => console.error("[schedule] tick failed:", e) }, async () => {
    await scheduledTick(getDb(), config, state, tickTime(pattern));
    state.nextRunAt = job.nextRun()?.toISOString() ?? null;
  });
  state.nextRunAt = job.nextRun()?.toISOString() ?? null;
  installSchedule({ job, state });
  console.log(`[schedule] full process scheduled "${pattern}"; next run ${state.nextRunAt}`);
  return state;
}

