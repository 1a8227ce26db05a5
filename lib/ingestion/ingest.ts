import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { parseClientCsv, type ParsedRow } from "../csv/parse-client-csv";
import type { Db } from "../db/client";
import {
  createSnapshot,
  findTrainingDatasetBySha,
  listRecords,
  saveIngestion,
  type DatasetRole,
  type NewRecord,
} from "../db/datasets";
import type { Dataset } from "../db/generated/client";
import { FEATURES, type Feature } from "../domain";
import { summarizeColumns } from "../stats/summary";

export interface IngestResult {
  dataset: Dataset;
  alreadyIngested: boolean;
  /** per-row problems of this file (rows that went to the quarantine) */
  problems: { row: number; column: string | null; problem: string }[];
}

const DB_FIELD: Record<Feature, "lastmonthActivity" | "lastyearActivity" | "numberOfEmployees"> = {
  lastmonth_activity: "lastmonthActivity",
  lastyear_activity: "lastyearActivity",
  number_of_employees: "numberOfEmployees",
};

export function sha256(content: Buffer | Uint8Array): string {
  return createHash("sha256").update(content).digest("hex");
}

/** The dedupe key: the five raw values as read (empty cells stay empty), so imputation cannot hide a duplicate. */
export function rowKey(r: Pick<ParsedRow, "corporation" | Feature | "exited">): string {
  return JSON.stringify([r.corporation, ...FEATURES.map((f) => r[f]), r.exited]);
}

/**
 * Ingest one CSV into the training set: validate, dedupe (within the file and against
 * everything stored), impute missing features with the training-set mean, quarantine bad
 * rows, and write the ledger entry — all in one transaction. The same content (sha256)
 * again is a no-op that returns the original ledger entry.
 * Throws AppError for a file that cannot be used at all (no rows, missing columns, not CSV).
 */
export async function ingestFile(
  db: Db,
  { name, content, role }: { name: string; content: Buffer | Uint8Array; role: Exclude<DatasetRole, "test"> },
): Promise<IngestResult> {
  const hash = sha256(content);
  const existing = await findTrainingDatasetBySha(db, hash);
  if (existing) return { dataset: existing, alreadyIngested: true, problems: [] };

  const parsed = parseClientCsv(content, { label: "required" });
  const keys = parsed.rows.map(rowKey);

  const dataset = await saveIngestion(
    db,
    {
      dataset: {
        name,
        sha256: hash,
        role,
        rowsRead: parsed.rowsRead,
        imputedByColumn: countMissing(parsed.rows),
        missingByColumn: parsed.missingByColumn,
      },
      rejected: parsed.rejected.map((r) => ({ rowNumber: r.row, column: r.column, problem: r.problem, raw: JSON.stringify(r.raw) })),
    },
    keys,
    ({ existingKeys, sums }) => {
      // Training-set mean per feature: stored records plus this file's present values.
      const means = {} as Record<Feature, number>;
      for (const f of FEATURES) {
        const present = parsed.rows.map((r) => r[f]).filter((v): v is number => v !== null);
        const total = sums[DB_FIELD[f]] + present.reduce((a, b) => a + b, 0);
        const n = sums.count + present.length;
        means[f] = n > 0 ? total / n : 0;
      }
      const seen = new Set(existingKeys);
      const records: NewRecord[] = [];
      let duplicates = 0;
      let imputed = 0;
      parsed.rows.forEach((r, i) => {
        const key = keys[i];
        if (seen.has(key)) {
          duplicates++;
          return;
        }
        seen.add(key);
        const missing = FEATURES.filter((f) => r[f] === null);
        if (missing.length > 0) imputed++;
        records.push({
          rowKey: key,
          corporation: r.corporation,
          lastmonthActivity: r.lastmonth_activity ?? means.lastmonth_activity,
          lastyearActivity: r.lastyear_activity ?? means.lastyear_activity,
          numberOfEmployees: r.number_of_employees ?? means.number_of_employees,
          exited: r.exited as number,
          imputedColumns: missing.join(","),
        });
      });
      return { records, duplicates, imputed };
    },
  );
  await snapshotTrainingSet(db, dataset.id);
  return {
    dataset,
    alreadyIngested: false,
    problems: parsed.rejected.map((r) => ({ row: r.row, column: r.column, problem: r.problem })),
  };
}

function countMissing(rows: readonly ParsedRow[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of FEATURES) out[f] = rows.filter((r) => r[f] === null).length;
  return out;
}

/** Statistics of the whole training set after an ingestion (a DataSnapshot). */
export async function snapshotTrainingSet(db: Db, datasetId: number | null) {
  const records = await listRecords(db);
  const stats = trainingSetStats(records);
  return createSnapshot(db, { datasetId, rows: records.length, stats });
}

type StoredRecord = Awaited<ReturnType<typeof listRecords>>[number];

/** Summary of stored training records; imputed cells count as missing (they were empty in the file). */
export function trainingSetStats(records: readonly StoredRecord[]) {
  const cols = {} as Record<Feature | "exited", (number | null)[]>;
  for (const f of FEATURES) {
    cols[f] = records.map((r) => (r.imputedColumns.split(",").includes(f) ? null : r[DB_FIELD[f]]));
  }
  cols.exited = records.map((r) => r.exited);
  return summarizeColumns(cols);
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
export async function ingestFolder(db: Db, dir: string, { exclude = [] }: { exclude?: string[] } = {}): Promise<FolderIngestResult> {
  const result: FolderIngestResult = { ingested: [], skipped: [], failed: [] };
  if (!fs.existsSync(dir)) return result;
  const excluded = new Set(exclude.map((p) => path.resolve(p)));
  for (const name of sourceFiles(dir)) {
    const full = path.join(dir, name);
    if (excluded.has(path.resolve(full))) {
      result.skipped.push({ name, reason: "it is the test data file (TEST_DATA)" });
      continue;
    }
    if (!isCsvName(name)) {
      result.skipped.push({ name, reason: "not a .csv file" });
      continue;
    }
    try {
      const r = await ingestFile(db, { name, content: fs.readFileSync(full), role: "source" });
      if (r.alreadyIngested) result.skipped.push({ name, reason: "already ingested (same sha256)" });
      else result.ingested.push(r);
    } catch (e) {
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
    if (!(await findTrainingDatasetBySha(db, sha256(fs.readFileSync(full))))) out.push(name);
  }
  return out;
}
