import type { Db } from "./client";
import type { Dataset, Prisma, Record as StoredRecord } from "./generated/client";
import type { LabelledRow } from "../domain";

/** Roles whose rows join the training set; a file's hash is unique across them. */
export const TRAINING_ROLES = ["source", "upload"] as const;
export type DatasetRole = (typeof TRAINING_ROLES)[number] | "test";

export interface NewRecord {
  rowKey: string;
  corporation: string;
  lastmonthActivity: number;
  lastyearActivity: number;
  numberOfEmployees: number;
  exited: number;
  imputedColumns: string;
}

export interface NewRejectedRow {
  rowNumber: number;
  column: string | null;
  problem: string;
  raw: string;
}

export interface IngestionWrite {
  dataset: {
    name: string;
    sha256: string;
    role: DatasetRole;
    rowsRead: number;
    imputedByColumn: Record<string, number>;
    missingByColumn: Record<string, number>;
  };
  rejected: NewRejectedRow[];
}

export interface ExistingTrainingState {
  /** row keys among the candidates that are already stored */
  existingKeys: Set<string>;
  /** per-feature sum and count over the stored training records (for mean imputation) */
  sums: { lastmonthActivity: number; lastyearActivity: number; numberOfEmployees: number; count: number };
}

export async function findTrainingDatasetBySha(db: Db, sha256: string): Promise<Dataset | null> {
  return db.dataset.findFirst({ where: { sha256, role: { in: [...TRAINING_ROLES] } } });
}

export async function findDatasetBySha(db: Db, sha256: string, role: DatasetRole): Promise<Dataset | null> {
  return db.dataset.findUnique({ where: { sha256_role: { sha256, role } } });
}

/**
 * Write one ingested file in a single transaction: ledger row, new records, quarantine.
 * `prepare` sees what is already stored (inside the transaction) and returns the records
 * to insert, so deduplication and imputation use a consistent view. Nothing is written if
 * anything throws.
 */
export async function saveIngestion(
  db: Db,
  write: IngestionWrite,
  candidateKeys: readonly string[],
  prepare: (state: ExistingTrainingState) => { records: NewRecord[]; duplicates: number; imputed: number },
): Promise<Dataset> {
  return db.$transaction(async (tx) => {
    const existingKeys = new Set<string>();
    // SQLite limits bound parameters; look keys up in chunks.
    for (let i = 0; i < candidateKeys.length; i += 500) {
      const chunk = candidateKeys.slice(i, i + 500);
      const found = await tx.record.findMany({ where: { rowKey: { in: chunk } }, select: { rowKey: true } });
      for (const f of found) existingKeys.add(f.rowKey);
    }
    const agg = await tx.record.aggregate({
      _sum: { lastmonthActivity: true, lastyearActivity: true, numberOfEmployees: true },
      _count: { _all: true },
    });
    const { records, duplicates, imputed } = prepare({
      existingKeys,
      sums: {
        lastmonthActivity: agg._sum.lastmonthActivity ?? 0,
        lastyearActivity: agg._sum.lastyearActivity ?? 0,
        numberOfEmployees: agg._sum.numberOfEmployees ?? 0,
        count: agg._count._all,
      },
    });
    const dataset = await tx.dataset.create({
      data: {
        name: write.dataset.name,
        sha256: write.dataset.sha256,
        role: write.dataset.role,
        rowsRead: write.dataset.rowsRead,
        rowsAccepted: records.length,
        duplicates,
        rejected: write.rejected.length,
        imputed,
        imputedByColumn: JSON.stringify(write.dataset.imputedByColumn),
        missingByColumn: JSON.stringify(write.dataset.missingByColumn),
      },
    });
    if (records.length > 0) {
      await tx.record.createMany({ data: records.map((r) => ({ ...r, datasetId: dataset.id })) });
    }
    if (write.rejected.length > 0) {
      await tx.rejectedRow.createMany({ data: write.rejected.map((r) => ({ ...r, datasetId: dataset.id })) });
    }
    return dataset;
  });
}

/** Register the labelled test file in the ledger (rows are read from the file when scoring). */
export async function upsertTestDataset(
  db: Db,
  d: { name: string; sha256: string; rowsRead: number; rowsAccepted: number; rejected: number },
): Promise<Dataset> {
  return db.dataset.upsert({
    where: { sha256_role: { sha256: d.sha256, role: "test" } },
    update: {},
    create: { ...d, role: "test", duplicates: 0, imputed: 0 },
  });
}

/**
 * The ingestion ledger, oldest first. With `take`: only the newest `take` entries (with an id
 * below `before` when given), still oldest first — a page of GET /api/datasets.
 */
export async function listDatasets(db: Db, { take, before }: { take?: number; before?: number } = {}): Promise<Dataset[]> {
  const where = before !== undefined ? { id: { lt: before } } : {};
  if (take === undefined) return db.dataset.findMany({ where, orderBy: { id: "asc" } });
  return (await db.dataset.findMany({ where, orderBy: { id: "desc" }, take })).reverse();
}

export async function getDataset(db: Db, id: number): Promise<Dataset | null> {
  return db.dataset.findUnique({ where: { id } });
}

export async function countRecords(db: Db, where: Prisma.RecordWhereInput = {}): Promise<number> {
  return db.record.count({ where });
}

/** Training records, oldest first; `maxId` limits them to a model's training set, `minId` to newer rows. */
export async function listRecords(db: Db, opts: { maxId?: number; minId?: number; datasetIds?: number[] } = {}) {
  return db.record.findMany({
    where: {
      id: { ...(opts.maxId !== undefined ? { lte: opts.maxId } : {}), ...(opts.minId !== undefined ? { gt: opts.minId } : {}) },
      ...(opts.datasetIds ? { datasetId: { in: opts.datasetIds } } : {}),
    },
    orderBy: { id: "asc" },
  });
}

export async function maxRecordId(db: Db): Promise<number> {
  const r = await db.record.aggregate({ _max: { id: true } });
  return r._max.id ?? 0;
}

export async function listRejectedRows(db: Db, opts: { take?: number } = {}) {
  return db.rejectedRow.findMany({ orderBy: { id: "desc" }, take: opts.take ?? 500, include: { dataset: { select: { name: true } } } });
}

export async function countRejectedRows(db: Db): Promise<number> {
  return db.rejectedRow.count();
}

export async function createSnapshot(db: Db, s: { datasetId: number | null; rows: number; stats: unknown }) {
  return db.dataSnapshot.create({ data: { datasetId: s.datasetId, rows: s.rows, stats: JSON.stringify(s.stats) } });
}

export async function listSnapshots(db: Db) {
  return db.dataSnapshot.findMany({ orderBy: { id: "asc" } });
}

/** A stored training record as the domain's labelled row. */
export function toLabelledRow(r: StoredRecord): LabelledRow {
  return {
    corporation: r.corporation,
    lastmonth_activity: r.lastmonthActivity,
    lastyear_activity: r.lastyearActivity,
    number_of_employees: r.numberOfEmployees,
    exited: r.exited as 0 | 1,
  };
}

/** Uploaded files whose rows no pipeline run has scored and drift-checked yet, oldest first. */
export async function listUncheckedUploads(db: Db): Promise<Dataset[]> {
  return db.dataset.findMany({ where: { role: "upload", checkedByRunId: null }, orderBy: { id: "asc" } });
}

/** Record that a run has scored and drift-checked these files' rows. */
export async function markDatasetsChecked(db: Db, { ids, runId }: { ids: number[]; runId: number }): Promise<void> {
  if (ids.length === 0) return;
  await db.dataset.updateMany({ where: { id: { in: ids }, checkedByRunId: null }, data: { checkedByRunId: runId } });
}
