import { databaseUrlOf, type Db } from "../db/client";
import { releaseRunLock, updateRun } from "../db/runs";
import { waitForDependencyRefreshes } from "../diagnostics/dependencies";
import { isAppError } from "../errors";
import { runInWorker } from "../jobs/run-in-worker";
import { beginRun, type FullConfig, type FullProcessOptions, type RunView } from "./full";

/*
 * Runs started by the server (POST /api/runs, the schedule) continue after the response on a
 * worker thread (lib/jobs), so the server keeps answering while they ingest and train. The
 * lock is taken here before returning, so a busy pipeline is answered with 409 synchronously;
 * the run (in the worker) extends and releases it. Should the worker die without finishing
 * the run, the run is marked failed and the lock released here. The in-flight promises are
 * kept so tests (and a graceful shutdown) can wait for them.
 */

const g = globalThis as unknown as { __draRuns?: Set<Promise<RunView | null>> };
g.__draRuns ??= new Set();

export async function startFullProcessInBackground(
  db: Db,
  trigger: string,
  config: FullConfig,
  options: FullProcessOptions = { dependencies: "background" },
): Promise<{ id: number; status: "running"; startedAt: string; trigger: string }> {
  const run = await beginRun(db, trigger, config);
  const p: Promise<RunView | null> = runInWorker({ kind: "full", databaseUrl: databaseUrlOf(db), runId: run.id, trigger, config, options })
    .catch(async (e) => {
      const message = isAppError(e) ? e.message : String(e);
      console.error(`[pipeline] run ${run.id} crashed:`, message);
      await updateRun(db, run.id, { status: "failed", error: message, reason: `failed: ${message}`, finishedAt: new Date() }).catch(() => undefined);
      await releaseRunLock(db, { runId: run.id }).catch(() => undefined);
      return null;
    })
    .finally(() => g.__draRuns?.delete(p));
  g.__draRuns!.add(p);
  return { id: run.id, status: "running", startedAt: run.startedAt.toISOString(), trigger };
}

/** Resolve when every run this process started in the background has finished. */
export async function waitForBackgroundRuns(): Promise<void> {
  while (g.__draRuns && g.__draRuns.size > 0) await Promise.all([...g.__draRuns]);
  await waitForDependencyRefreshes();
}
