import { databaseUrlOf } from "../../db/client";
import { readTrainingColumns } from "../../db/columns";
import { countRecords, listUncheckedDatasets } from "../../db/datasets";
import { getCurrentDeployment } from "../../db/models";
import { currentSchema } from "../../db/stored-schema";
import { findNewFiles, ingestFolder, type FolderIngestResult } from "../../ingestion/ingest";
import { ingestDetail, noNewFilesDetail, noNewRowsReason, nothingNewReason } from "../reasons";
import type { Decision, PipelineStep, RunContext, RunState } from "./types";

/** Files of the source folder a run never ingests: the test data, and what a replay holds back. */
function excluded({ config, options }: RunContext): string[] {
  return [config.TEST_DATA, ...(options.holdBack ?? [])];
}

const NOTHING_INGESTED: FolderIngestResult = { ingested: [], skipped: [], failed: [] };

/**
 * New data? New content in the source folder, uploads (POST /api/ingest, the Data page) no run
 * has checked yet, or files an earlier run ingested but did not get to check (it was killed or
 * failed). Also the deployed model: the champion of this run, if any.
 */
export async function lookForNewData(ctx: RunContext): Promise<RunState> {
  const newFiles = await findNewFiles(ctx.db, ctx.config.SOURCE_DIR, { exclude: excluded(ctx) });
  const waiting = await listUncheckedDatasets(ctx.db, { exceptRunId: ctx.run.id });
  const deployed = await getCurrentDeployment(ctx.db);
  return { newFiles, waiting, deployed, ingest: NOTHING_INGESTED, newDatasets: waiting };
}

/**
 * Nothing to do: no new file and nothing waiting (with a deployed model, or no data to train a
 * first one on), or — with a deployed model — nothing new that added a row. Reads the new rows.
 */
async function noNewData(ctx: RunContext, s: RunState): Promise<Decision | null> {
  if (s.newFiles.length === 0 && s.waiting.length === 0 && (s.deployed || (await countRecords(ctx.db)).rows === 0)) {
    return { outcome: "no-new-data", reason: nothingNewReason(ctx.config.SOURCE_DIR, s.deployed) };
  }
  if (!s.deployed) return null; // the first model is trained on whatever there is
  s.newRows = await readTrainingColumns(databaseUrlOf(ctx.db), await currentSchema(ctx.db), { datasetIds: s.newDatasets.map((d) => d.id) });
  return s.newRows.n === 0 ? { outcome: "no-new-data", reason: noNewRowsReason(s, s.deployed) } : null;
}

/** Ingest the new files of the source folder, one transaction per file. */
export const ingest: PipelineStep = {
  name: "ingest",
  skipped: (ctx, s) => (s.newFiles.length === 0 ? noNewFilesDetail(ctx.config.SOURCE_DIR, s.waiting) : null),
  async run(ctx, s) {
    s.ingest = await ingestFolder(ctx.db, ctx.config.SOURCE_DIR, { exclude: excluded(ctx), runId: ctx.run.id });
    s.newDatasets = [...s.ingest.ingested.map((i) => i.dataset), ...s.waiting];
    return ingestDetail(s.ingest);
  },
  after: noNewData,
};
