import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { recordBatchLabels } from "./batch-labels";
import { streamSchemaCsv, type LabelMode } from "../csv/parse-schema-csv";
import { chunksOf, prepareSource, wholeContent, type CsvSource } from "./csv-pieces";
import { startParse, type FileParse } from "./parse-pool";
import { bulkIngestFile, type TrainingRole } from "../db/bulk-ingest";
import { databaseUrlOf, type Db } from "../db/client";
import { findTrainingDatasetBySha, getDataset } from "../db/datasets";
import { currentSchema } from "../db/stored-schema";
import { isStorageFailure, noteWriteSucceeded } from "../db/storage-health";
import type { DataSchema } from "../schema/types";
import type { Dataset } from "../db/types";
import { AppError } from "../errors";

export interface IngestResult {
  dataset: Dataset;
  alreadyIngested: boolean;
  /** per-row problems of this file (rows that went to the quarantine; the first MAX_PROBLEMS_LISTED) */
  problems: { row: number; column: string | null; problem: string }[];
}

/** Per-row problems listed in an ingestion's result; every rejected row is in the quarantine all the same. */
const MAX_PROBLEMS_LISTED = 1000;

export function sha256(content: Buffer | Uint8Array): string {
  return createHash("sha256").update(content).digest("hex");
}

/**
 * Check a whole CSV without keeping its rows (streaming): throws the AppError a file that cannot
 * be used at all gets (not UTF-8 text, broken syntax, no rows, missing columns).
 */
export async function validateCsv(source: CsvSource, schema: DataSchema, label: LabelMode = "required"): Promise<void> {
  await streamSchemaCsv(chunksOf(source), { schema, label, reread: () => wholeContent(source) }, { onRow: () => undefined, onRejected: () => undefined });
}

/**
 * Ingest one CSV into the training set: validate, dedupe (within the file and against
 * everything stored), impute missing features with the training-set mean, quarantine bad
 * rows, and write the ledger entry and a DataSnapshot — all in one transaction
 * (lib/db/bulk-ingest.ts), streaming the file. The same content (sha256) again is a no-op that
 * returns the original ledger entry.
 * Throws AppError for a file that cannot be used at all (no rows, missing columns, not CSV);
 * nothing is written then.
 */
export async function ingestFile(
  db: Db,
  file: { name: string; role: TrainingRole; /** the pipeline run ingesting it */ runId?: number } & CsvSource,
): Promise<IngestResult> {
  const { name, role, runId, ...source } = file;
  return ingestOpened(db, { name, role, runId }, await openFile(db, source));
}

/** A file whose first pass is done: its hash looked up in the ledger and, when it is new, its parse started. */
interface OpenedFile {
  sha256: string;
  existing: Dataset | null;
  schema: DataSchema;
  parse: FileParse | null;
}

async function openFile(db: Db, source: CsvSource): Promise<OpenedFile> {
  const prepared = await prepareSource(source);
  const existing = await findTrainingDatasetBySha(db, prepared.sha256);
  const schema = await currentSchema(db);
  return { sha256: prepared.sha256, existing, schema, parse: existing ? null : startParse(source, prepared, schema, "required") };
}

async function ingestOpened(db: Db, { name, role, runId }: { name: string; role: TrainingRole; runId?: number }, opened: OpenedFile): Promise<IngestResult> {
  const { sha256: hash, schema, parse } = opened;
  if (opened.existing || !parse) return { dataset: opened.existing!, alreadyIngested: true, problems: [] };
  const problems: IngestResult["problems"] = [];
  const written = await bulkIngestFile(databaseUrlOf(db), schema, { name, sha256: hash, role, runId }, (sink) =>
    parse.read({
      startPiece: () => sink.startPiece(),
      rows: (p) => sink.rows(p),
      rejected: (r) => {
        sink.rejected(r);
        if (problems.length < MAX_PROBLEMS_LISTED) problems.push({ row: r.row, column: r.column, problem: r.problem });
      },
    }),
  ).finally(() => parse.cancel());
  if (written === null) {
    // Another process ingested the same content between the check above and the transaction.
    const other = await findTrainingDatasetBySha(db, hash);
    if (!other) throw new AppError("internal:ingest", `The ledger names ${name}'s content as ingested but has no entry for it.`);
    return { dataset: other, alreadyIngested: true, problems: [] };
  }
  // the file's rows are committed: a space failure before it is over (what PostgreSQL's health goes by)
  noteWriteSucceeded();
  const dataset = await getDataset(db, written.datasetId);
  if (!dataset) throw new AppError("internal:ingest", `Dataset ${written.datasetId} vanished after its ingestion.`);
  await labelMonitoredBatches(db, dataset);
  return { dataset, alreadyIngested: false, problems };
}

/**
 * After the file's transaction commits: its labels give monitored batches their realized scores
 * (lib/ingestion/batch-labels.ts). The file stays ingested if that fails (it is logged): the ingestion is
 * what the caller asked for, the batch scores are a by-product.
 */
async function labelMonitoredBatches(db: Db, dataset: Dataset): Promise<void> {
  try {
    await recordBatchLabels(db, { datasetId: dataset.id });
  } catch (e) {
    console.error(`[ingest] could not match the labels of ${dataset.name} (dataset ${dataset.id}) to monitored batches:`, e);
  }
}

export interface FolderIngestResult {
  ingested: IngestResult[];
  skipped: { name: string; reason: string }[];
  failed: { name: string; code: string; message: string }[];
}

/**
 * Ingest every CSV in a folder that is not in the ledger yet; non-CSV files are skipped, a bad
 * file does not stop the others. `exclude` names files never to ingest (the labelled test file
 * when it sits in the same folder: test rows must not leak into training).
 */
export async function ingestFolder(db: Db, dir: string, { exclude = [], runId }: { exclude?: string[]; runId?: number } = {}): Promise<FolderIngestResult> {
  const result: FolderIngestResult = { ingested: [], skipped: [], failed: [] };
  if (!fs.existsSync(dir)) return result;
  const excluded = new Set(exclude.map((p) => path.resolve(p)));
  const csvs: string[] = [];
  for (const name of sourceFiles(dir)) {
    const full = path.join(dir, name);
    if (excluded.has(path.resolve(full))) result.skipped.push({ name, reason: "it is the test data file (TEST_DATA)" });
    else if (!isCsvName(name)) result.skipped.push({ name, reason: "not a .csv file" });
    else csvs.push(name);
  }
  // Each file is opened (hashed, looked up, its parse started) while the one before it is stored.
  const open = (name: string) => {
    const p = openFile(db, { path: path.join(dir, name) });
    p.catch(() => undefined); // awaited in its turn below
    return p;
  };
  let next = csvs.length > 0 ? open(csvs[0]) : null;
  for (let k = 0; k < csvs.length; k++) {
    const name = csvs[k];
    const current = next!;
    next = k + 1 < csvs.length ? open(csvs[k + 1]) : null;
    try {
      const opened = await current;
      const r = await ingestOpened(db, { name, role: "source", runId }, opened);
      if (r.alreadyIngested) result.skipped.push({ name, reason: "already ingested (same sha256)" });
      else result.ingested.push(r);
    } catch (e) {
      // A full volume, a damaged or a read-only database is no fault of this file: the next would fail
      // the same way, and a run that went on would end "no new data". Stop; the caller fails with it.
      if (isStorageFailure(e)) {
        void next?.then((o) => o.parse?.cancel(), () => undefined);
        throw e;
      }
      const err = e as { code?: string; message: string };
      result.failed.push({ name, code: err.code ?? "internal", message: err.message });
    }
  }
  return result;
}

function isCsvName(name: string): boolean {
  return name.toLowerCase().endsWith(".csv") && !name.startsWith(".");
}

/** Regular files of a folder, sorted by name (sub-folders are not descended into). */
function sourceFiles(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((name) => fs.statSync(path.join(dir, name)).isFile())
    .sort();
}

/** CSV files of a folder whose content is not in the ledger yet (the "new data?" check, without ingesting). */
export async function findNewFiles(db: Db, dir: string, { exclude = [] }: { exclude?: string[] } = {}): Promise<string[]> {
  if (!fs.existsSync(dir)) return [];
  const excluded = new Set(exclude.map((p) => path.resolve(p)));
  const out: string[] = [];
  for (const name of sourceFiles(dir)) {
    const full = path.join(dir, name);
    if (!isCsvName(name) || excluded.has(path.resolve(full))) continue;
    if (!(await findTrainingDatasetBySha(db, (await prepareSource({ path: full }, { split: false })).sha256))) out.push(name);
  }
  return out;
}
