import { periodWhere, type PeriodFilter } from "./period-where";
import type { DatasetRole } from "../vocabulary";
import type { Db } from "./client";
import type { Dataset } from "./generated/client";

/** Roles whose rows join the training set; a file's hash is unique across them. */
const TRAINING_ROLES = ["source", "upload"] as const satisfies readonly DatasetRole[];

export async function findTrainingDatasetBySha(db: Db, sha256: string): Promise<Dataset | null> {
  return db.dataset.findFirst({ where: { sha256, role: { in: [...TRAINING_ROLES] } } });
}

/** Register the labelled test file in the ledger (rows are read from the file when scoring). */
export async function upsertTestDataset(
  db: Db,
  { period, ...d }: { name: string; sha256: string; rowsRead: number; rowsAccepted: number; rejected: number; period: { start: Date; end: Date } | null },
): Promise<Dataset> {
  const now = new Date();
  return db.dataset.upsert({
    where: { sha256_role: { sha256: d.sha256, role: "test" } },
    update: {},
    // without a time column the test rows' period is when they were read, as for any file
    create: { ...d, role: "test", duplicates: 0, imputed: 0, ingestedAt: now, periodStart: period?.start ?? now, periodEnd: period?.end ?? now },
  });
}

/**
 * The ingestion ledger, oldest first. With `take`: only the newest `take` entries (with an id
 * below `before` when given), still oldest first — a page of GET /api/datasets.
 */
export async function listDatasets(db: Db, { take, before, period }: { take?: number; before?: number; period?: PeriodFilter } = {}): Promise<Dataset[]> {
  const where = { ...(before !== undefined ? { id: { lt: before } } : {}), ...periodWhere(period) };
  if (take === undefined) return db.dataset.findMany({ where, orderBy: { id: "asc" } });
  return (await db.dataset.findMany({ where, orderBy: { id: "desc" }, take })).reverse();
}

export async function getDataset(db: Db, id: number): Promise<Dataset | null> {
  return db.dataset.findUnique({ where: { id } });
}

/** Stored training records (the rows of every ingested file), and how many of them have the positive label. */
export async function countRecords(db: Db): Promise<{ rows: number; positives: number }> {
  const r = await db.datasetColumns.aggregate({ _sum: { rows: true, positives: true } });
  return { rows: r._sum.rows ?? 0, positives: r._sum.positives ?? 0 };
}

export async function listRejectedRows(db: Db, opts: { take?: number } = {}) {
  return db.rejectedRow.findMany({ orderBy: { id: "desc" }, take: opts.take ?? 500, include: { dataset: { select: { name: true } } } });
}

export async function countRejectedRows(db: Db): Promise<number> {
  return db.rejectedRow.count();
}

export async function listSnapshots(db: Db) {
  return db.dataSnapshot.findMany({ orderBy: { id: "asc" } });
}

/**
 * Files whose rows no pipeline run has scored and drift-checked yet, oldest first: uploads, and
 * source files ingested by a run that did not finish (killed, or failed after its ingestion).
 * Source files from the CLI's `ingest` or the first start are not new data for a run (as before).
 */
export async function listUncheckedDatasets(db: Db, { exceptRunId }: { exceptRunId?: number } = {}): Promise<Dataset[]> {
  return db.dataset.findMany({
    where: {
      checkedByRunId: null,
      OR: [{ role: "upload" }, { role: "source", ingestedByRunId: { not: null, ...(exceptRunId !== undefined ? { notIn: [exceptRunId] } : {}) } }],
    },
    orderBy: { id: "asc" },
  });
}

/** Record that a run has scored and drift-checked these files' rows. */
export async function markDatasetsChecked(db: Db, { ids, runId }: { ids: number[]; runId: number }): Promise<void> {
  if (ids.length === 0) return;
  await db.dataset.updateMany({ where: { id: { in: ids }, checkedByRunId: null }, data: { checkedByRunId: runId } });
}
