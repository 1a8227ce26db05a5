import fs from "node:fs";
import { readCsvRecords } from "../csv/csv-text";
import type { Db } from "../db/client";
import type { FullConfig, RunView } from "../pipeline/full";
import { replayFile, type ReplayFileResult, type ReplayPeriod } from "../pipeline/replay-file";
import type { DataSchema } from "../schema/types";
import { isoTimeMs, periodKey, type PeriodGranularity } from "../time/periods";

/*
 * The set-up's worker-thread half (job kind "setup", lib/worker/jobs.ts): count the periods the
 * file covers (the progress bar's total), then replay it (lib/pipeline/replay-file.ts) — the schema
 * is stored, the first period trains and deploys the first model, every later period is a
 * full-process run — reporting each period as its run ends.
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
  progress({ kind: "total", total: countPeriods(input.file, input.schema, input.by) });
  return replayFile({ db, trigger: "setup" }, input.config, input.file, {
    by: input.by,
    minPeriodRows: input.minPeriodRows,
    name: input.name,
    schema: input.schema,
    onRun: (period, run) => progress({ kind: "period", period, run }),
    fullOptions: { dependencies: "background" },
  });
}

/**
 * Distinct periods of `by` among the file's time cells (before small periods are merged; cells
 * that are not ISO 8601 are skipped, the replay reports them); 1 without a granularity. O(file size).
 */
function countPeriods(file: string, schema: DataSchema, by: PeriodGranularity | null): number {
  if (by === null || schema.time === null) return 1;
  const time = schema.time.toLowerCase();
  const keys = new Set<string>();
  let at = -1;
  readCsvRecords(fs.readFileSync(file), (fields) => {
    if (at === -1) {
      at = fields.findIndex((h) => h.toLowerCase() === time);
      if (at === -1) at = -2;
      return;
    }
    const ms = at >= 0 ? isoTimeMs(fields[at] ?? "") : null;
    if (ms !== null && !Number.isNaN(ms)) keys.add(periodKey(ms, by));
  });
  return Math.max(keys.size, 1);
}
