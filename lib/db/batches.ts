import { periodWhere, type PeriodFilter } from "./period-where";
import type { Db } from "./client";
import { databaseUrlOf } from "./client";
import type { MonitoredBatch } from "./generated/client";
import { isPostgres } from "./adapters";
import { decodeIds } from "./kept-columns";
import { inPgTransaction } from "./postgres";
import { inWriteTransaction, sqliteConnection } from "./sqlite";

/*
 * Monitored batches (prisma/schema.prisma MonitoredBatch, MonitoredBatchRow). A batch and its
 * predictions are written on the plain connection in one transaction (10^5 rows: prepared
 * multi-row INSERTs, not one Prisma object per row); labels are matched to batch rows in SQL
 * through the (corporation, exited) index; everything else reads through Prisma.
 * On PostgreSQL the same statements run on a pooled pg connection in one transaction.
 */

/** Prisma's text format for DateTime on SQLite, so rows written here read back as Dates. */
function sqliteNow(): string {
  return sqliteDate(new Date());
}

function sqliteDate(d: Date): string {
  return d.toISOString().replace("Z", "+00:00");
}

export interface NewMonitoredBatch {
  name: string;
  sha256: string;
  modelVersionId: number;
  modelVersion: number;
  threshold: number;
  calibrated: boolean;
  /** JSON-able */
  calibration: unknown;
  estimate: unknown;
  estimatedF1: { estimate: number; lower: number; upper: number };
  features: unknown;
  /** min and max of the rows' time column; null: the rows carry none (the batch is about when it arrived) */
  period: { start: Date; end: Date } | null;
}

export interface BatchPredictions {
  corporation: readonly string[];
  probability: ArrayLike<number>;
  predicted: ArrayLike<number>;
}

const ROWS_PER_INSERT = 200;

/** The values of a new MonitoredBatch row, in the INSERT's column order on both databases (each driver binds `calibrated` and `createdAt` its own way). */
function batchValues(batch: NewMonitoredBatch, rows: number, bound: { calibrated: boolean | number; createdAt: string; date: (d: Date) => string }): unknown[] {
  return [
    batch.name,
    batch.sha256,
    rows,
    batch.modelVersionId,
    batch.modelVersion,
    batch.threshold,
    bound.calibrated,
    JSON.stringify(batch.calibration),
    JSON.stringify(batch.estimate),
    batch.estimatedF1.estimate,
    batch.estimatedF1.lower,
    batch.estimatedF1.upper,
    JSON.stringify(batch.features),
    bound.createdAt,
    batch.period ? bound.date(batch.period.start) : bound.createdAt,
    batch.period ? bound.date(batch.period.end) : bound.createdAt,
  ];
}

/** Store a batch and its predictions atomically; the id of the new batch. */
export async function createMonitoredBatch(db: Db, batch: NewMonitoredBatch, predictions: BatchPredictions): Promise<number> {
  if (isPostgres(databaseUrlOf(db))) return createMonitoredBatchPg(databaseUrlOf(db), batch, predictions);
  const conn = sqliteConnection(databaseUrlOf(db));
  const n = predictions.corporation.length;
  return inWriteTransaction(conn, () => {
    const { id } = conn
      .prepare(
        `INSERT INTO "MonitoredBatch" (name, sha256, rows, modelVersionId, modelVersion, threshold, calibrated, calibration, estimate, estimatedF1, estimatedF1Lower, estimatedF1Upper, features, createdAt, periodStart, periodEnd)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      )
      .get(batchValues(batch, n, { calibrated: batch.calibrated ? 1 : 0, createdAt: sqliteNow(), date: sqliteDate })) as { id: number };
    const insertOf = (rows: number) =>
      conn.prepare(`INSERT INTO "MonitoredBatchRow" (batchId, row, corporation, probability, predicted) VALUES ${Array(rows).fill("(?, ?, ?, ?, ?)").join(", ")}`);
    const full = insertOf(ROWS_PER_INSERT);
    const params: unknown[] = [];
    for (let start = 0; start < n; start += ROWS_PER_INSERT) {
      const end = Math.min(n, start + ROWS_PER_INSERT);
      params.length = 0;
      for (let i = start; i < end; i++) params.push(id, i, predictions.corporation[i], predictions.probability[i], predictions.predicted[i]);
      (end - start === ROWS_PER_INSERT ? full : insertOf(end - start)).run(params);
    }
    return id;
  });
}

export async function getMonitoredBatch(db: Db, id: number): Promise<MonitoredBatch | null> {
  return db.monitoredBatch.findUnique({ where: { id } });
}

/** The batch already made from the same content with the same model version (an upload sent twice). */
export async function findMonitoredBatch(db: Db, { sha256, modelVersionId }: { sha256: string; modelVersionId: number }): Promise<MonitoredBatch | null> {
  return db.monitoredBatch.findFirst({ where: { sha256, modelVersionId }, orderBy: { id: "desc" } });
}

/** Newest first, `limit + 1` rows below `before` (lib/reads/page.ts). */
export async function listMonitoredBatches(db: Db, { take, before, period }: { take: number; before?: number; period?: PeriodFilter }): Promise<MonitoredBatch[]> {
  return db.monitoredBatch.findMany({ where: { ...(before ? { id: { lt: before } } : {}), ...periodWhere(period) }, orderBy: { id: "desc" }, take });
}

/** The highest-probability predictions of a batch, riskiest first. */
export async function listRiskiestBatchRows(db: Db, { batchId, take }: { batchId: number; take: number }) {
  return db.monitoredBatchRow.findMany({
    where: { batchId },
    orderBy: [{ probability: "desc" }, { row: "asc" }],
    take,
    select: { row: true, corporation: true, probability: true, predicted: true, exited: true },
  });
}

/**
 * The newest batch scored by `modelVersionId` at or after `since` that still waits for labels on
 * some of its rows (the `estimated` score check reads it).
 */
export async function findNewestUnlabelledBatch(db: Db, { modelVersionId, since }: { modelVersionId: number; since: Date }): Promise<MonitoredBatch | null> {
  const candidates = await db.monitoredBatch.findMany({ where: { modelVersionId, createdAt: { gte: since } }, orderBy: { id: "desc" }, take: 20 });
  return candidates.find((b) => b.labelledRows < b.rows) ?? null;
}

export interface RealizedCounts {
  batchId: number;
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

/** The labels a file brought, by id (a file's later row of an id wins: its newest record). */
function labelsById(file: [Buffer | null, Buffer] | undefined): Map<string, number> {
  const out = new Map<string, number>();
  if (!file || !file[0]) return out;
  const ids = decodeIds(file[0]);
  ids.forEach((id, i) => out.set(id, file[1][i]));
  return out;
}

/**
 * Give the still-unlabelled rows of every batch the label that an ingested file brought for
 * their id (the file's newest record of it), and return the confusion counts of each batch that
 * got labels, over all its labelled rows. One transaction; the file's ids and labels are its
 * blobs and each id probes the batch rows' (corporation, exited) index, so the cost is the
 * file's rows, not the batches'.
 */
export async function matchBatchLabels(
  db: Db,
  { datasetId }: { datasetId: number },
  store: (counts: RealizedCounts) => { realized: unknown; f1: number },
): Promise<number[]> {
  if (isPostgres(databaseUrlOf(db))) return matchBatchLabelsPg(databaseUrlOf(db), datasetId, store);
  const conn = sqliteConnection(databaseUrlOf(db));
  // Cheap check first: most ingestions happen with no batch waiting for labels.
  if (!conn.prepare(`SELECT 1 FROM "MonitoredBatch" WHERE labelledRows < rows LIMIT 1`).get()) return [];
  return inWriteTransaction(conn, () => {
    const labels = labelsById(conn.prepare(`SELECT ids, label FROM "DatasetColumns" WHERE datasetId = ?`).raw().get(datasetId) as [Buffer | null, Buffer] | undefined);
    if (labels.size === 0) return [];
    conn.exec(`CREATE TEMP TABLE IF NOT EXISTS arrived (corporation TEXT PRIMARY KEY, exited INTEGER)`);
    conn.exec(`DELETE FROM arrived`);
    const insert = conn.prepare(`INSERT INTO arrived (corporation, exited) VALUES (?, ?)`);
    for (const [id, label] of labels) insert.run(id, label);
    const touched = conn
      .prepare(
        `UPDATE "MonitoredBatchRow" AS b SET exited = r.exited FROM arrived AS r
         WHERE b.corporation = r.corporation AND b.exited IS NULL
         RETURNING batchId`,
      )
      .pluck()
      .all() as number[];
    const batchIds = [...new Set(touched)].sort((a, b) => a - b);
    const countsOf = conn.prepare(
      `SELECT SUM(predicted = 1 AND exited = 1) AS tp, SUM(predicted = 1 AND exited = 0) AS fp,
              SUM(predicted = 0 AND exited = 0) AS tn, SUM(predicted = 0 AND exited = 1) AS fn
       FROM "MonitoredBatchRow" WHERE batchId = ? AND exited IS NOT NULL`,
    );
    const update = conn.prepare(`UPDATE "MonitoredBatch" SET labelledRows = ?, realized = ?, realizedF1 = ?, realizedAt = ? WHERE id = ?`);
    const now = sqliteNow();
    for (const batchId of batchIds) {
      const c = countsOf.get(batchId) as { tp: number; fp: number; tn: number; fn: number };
      const { realized, f1 } = store({ batchId, ...c });
      update.run(c.tp + c.fp + c.tn + c.fn, JSON.stringify(realized), f1, now, batchId);
    }
    return batchIds;
  });
}

async function createMonitoredBatchPg(databaseUrl: string, batch: NewMonitoredBatch, predictions: BatchPredictions): Promise<number> {
  const n = predictions.corporation.length;
  return inPgTransaction(databaseUrl, async (c) => {
    const id = Number(
      (
        await c.query(
          `INSERT INTO "MonitoredBatch" (name, sha256, rows, "modelVersionId", "modelVersion", threshold, calibrated, calibration, estimate, "estimatedF1", "estimatedF1Lower", "estimatedF1Upper", features, "createdAt", "periodStart", "periodEnd")
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id`,
          // timestamp(3) keeps the UTC wall time (lib/db/bulk-ingest-pg.ts)
          batchValues(batch, n, { calibrated: batch.calibrated, createdAt: new Date().toISOString(), date: (d) => d.toISOString() }),
        )
      ).rows[0].id,
    );
    for (let start = 0; start < n; start += ROWS_PER_INSERT) {
      const end = Math.min(n, start + ROWS_PER_INSERT);
      const params: unknown[] = [];
      const tuples: string[] = [];
      for (let i = start; i < end; i++) {
        params.push(id, i, predictions.corporation[i], predictions.probability[i], predictions.predicted[i]);
        const k = params.length;
        tuples.push(`($${k - 4}, $${k - 3}, $${k - 2}, $${k - 1}, $${k})`);
      }
      await c.query(`INSERT INTO "MonitoredBatchRow" ("batchId", row, corporation, probability, predicted) VALUES ${tuples.join(", ")}`, params);
    }
    return id;
  });
}

/** The advisory lock key of label matching on PostgreSQL (SQLite's BEGIN IMMEDIATE: one at a time). */
const MATCH_LOCK_KEY = 727_003;

async function matchBatchLabelsPg(
  databaseUrl: string,
  datasetId: number,
  store: (counts: RealizedCounts) => { realized: unknown; f1: number },
): Promise<number[]> {
  return inPgTransaction(databaseUrl, async (c) => {
    if (!(await c.query(`SELECT 1 FROM "MonitoredBatch" WHERE "labelledRows" < rows LIMIT 1`)).rowCount) return [];
    await c.query(`SELECT pg_advisory_xact_lock(${MATCH_LOCK_KEY})`);
    const file = (await c.query<[Buffer | null, Buffer]>({ text: `SELECT ids, label FROM "DatasetColumns" WHERE "datasetId" = $1`, values: [datasetId], rowMode: "array" })).rows[0];
    const labels = labelsById(file);
    const touched = (
      await c.query<{ batchId: number }>(
        `UPDATE "MonitoredBatchRow" AS b SET exited = r.exited
         FROM unnest($1::text[], $2::int[]) AS r(corporation, exited)
         WHERE b.corporation = r.corporation AND b.exited IS NULL
         RETURNING b."batchId"`,
        [[...labels.keys()], [...labels.values()]],
      )
    ).rows.map((r) => r.batchId);
    const batchIds = [...new Set(touched)].sort((a, b) => a - b);
    const now = new Date().toISOString();
    for (const batchId of batchIds) {
      const row = (
        await c.query(
          `SELECT coalesce(SUM(CASE WHEN predicted = 1 AND exited = 1 THEN 1 ELSE 0 END), 0) AS tp, coalesce(SUM(CASE WHEN predicted = 1 AND exited = 0 THEN 1 ELSE 0 END), 0) AS fp,
                  coalesce(SUM(CASE WHEN predicted = 0 AND exited = 0 THEN 1 ELSE 0 END), 0) AS tn, coalesce(SUM(CASE WHEN predicted = 0 AND exited = 1 THEN 1 ELSE 0 END), 0) AS fn
           FROM "MonitoredBatchRow" WHERE "batchId" = $1 AND exited IS NOT NULL`,
          [batchId],
        )
      ).rows[0];
      const counts = { tp: Number(row.tp), fp: Number(row.fp), tn: Number(row.tn), fn: Number(row.fn) };
      const { realized, f1 } = store({ batchId, ...counts });
      await c.query(`UPDATE "MonitoredBatch" SET "labelledRows" = $1, realized = $2, "realizedF1" = $3, "realizedAt" = $4 WHERE id = $5`, [
        counts.tp + counts.fp + counts.tn + counts.fn,
        JSON.stringify(realized),
        f1,
        now,
        batchId,
      ]);
    }
    return batchIds;
  });
}
