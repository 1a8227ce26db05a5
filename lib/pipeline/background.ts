import type { Db } from "../db/client";
import { waitForDependencyRefreshes } from "../diagnostics/dependencies";
import { isAppError } from "../errors";
import { beginRun, runFullProcess, type FullConfig, type FullProcessOptions, type RunView } from "./full";

/*
 * Runs started by the server (POST /api/runs, the schedule) continue after the response in
 * the server process. The lock is taken before returning, so a busy pipeline is answered
 * with 409 synchronously; the in-flight promises are kept so tests (and a graceful
 * shutdown) can wait for them.
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
  const p: Promise<RunView | null> = runFullProcess({ db, trigger }, config, run, options)
    .catch((e) => {
      console.error(`[pipeline] run ${run.id} crashed:`, isAppError(e) ? e.message : e);
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
