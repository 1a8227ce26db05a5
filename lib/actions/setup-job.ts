import type { Db } from "../db/client";
import type { FullConfig, RunView } from "../pipeline/full";
import { replayFile, type ReplayFileResult, type ReplayPeriod } from "../pipeline/replay-file";
import type { DataSchema } from "../schema/types";
import type { PeriodGranularity } from "../time/periods";

/*
 * The set-up's worker-thread half (job kind "setup", lib/worker/jobs.ts): replay the file
 * (lib/pipeline/replay-file.ts) — the schema is stored, the first period trains and deploys the
 * first model, every later period is a full-process run — reporting the periods as the replay
 * cuts them (the progress bar's total) and each period as its run ends.
 */

export type SetupProgress = { kind: "total"; total: number } | { kind: "period"; period: ReplayPeriod; run: RunView };

export interface SetupJobInput {
  file: string;
  /** the upload's own name: the periods' ledger entries are named after it */
  name: string;
  by: PeriodGranularity | null;
  minPeriodRows: number;
  schema: DataSchema;
  config: FullConfig;
}

export async function runSetupJob(db: Db, input: SetupJobInput, progress: (p: SetupProgress) => void): Promise<ReplayFileResult> {
  return replayFile({ db, trigger: "setup" }, input.config, input.file, {
    by: input.by,
    minPeriodRows: input.minPeriodRows,
    name: input.name,
    schema: input.schema,
    // the total counts the periods before merging: a run of merged periods advances the bar by all of them
    onSplit: (periods) => progress({ kind: "total", total: periods.reduce((n, p) => n + 1 + p.merged.length, 0) }),
    onRun: (period, run) => progress({ kind: "period", period, run }),
    fullOptions: { dependencies: "background" },
  });
}
