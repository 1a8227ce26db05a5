import path from "node:path";
import type { Db } from "../db/client";
import { findNewFiles } from "../ingestion/ingest";
import { runFullProcess, type FullConfig, type FullProcessOptions, type RunView } from "./full";

/**
 * Replay a folder of batches through the real full process, one run per new file, in name
 * order: the first run deploys the first model, every later one scores the deployed model on
 * its file, checks drift, and retrains and gates when the checks say so — the history a
 * scheduled deployment would have written month after month. First start does it for the demo
 * months (scripts/first-start.ts); `npm run pipeline -- replay [DIR]` for any folder (a backfill).
 * Files already in the ledger are skipped; a run that fails stops the replay.
 */
export async function replayFolder(
  ctx: { db: Db; trigger: string },
  config: FullConfig,
  options: FullProcessOptions = {},
  onRun?: (file: string, run: RunView) => void,
): Promise<{ file: string; run: RunView }[]> {
  return replayFiles(ctx, config, await findNewFiles(ctx.db, config.SOURCE_DIR, { exclude: [config.TEST_DATA] }), options, onRun);
}

/** The same for `files` (names in the source folder not yet in the ledger, as findNewFiles lists them). */
export async function replayFiles(
  { db, trigger }: { db: Db; trigger: string },
  config: FullConfig,
  newFiles: readonly string[],
  options: FullProcessOptions = {},
  onRun?: (file: string, run: RunView) => void,
): Promise<{ file: string; run: RunView }[]> {
  const files = [...newFiles].sort();
  const done: { file: string; run: RunView }[] = [];
  for (const [i, file] of files.entries()) {
    const holdBack = files.slice(i + 1).map((f) => path.join(config.SOURCE_DIR, f));
    const run = await runFullProcess({ db, trigger }, config, undefined, { ...options, holdBack });
    done.push({ file, run });
    onRun?.(file, run);
    if (run.status !== "succeeded") break;
  }
  return done;
}
