import type { Db } from "./client";
import { databaseUrlOf } from "./client";
import type { MonitoredBatch } from "./generated/client";
import { inWriteTransaction, sqliteConnection } from "./sqlite";

/*
 * Monitored batches (prisma/schema.prisma MonitoredBatch, MonitoredBatchRow). A batch and its
 * predictions are written on the plain connection in one transaction (10^5 rows: prepared
 * multi-row INSERTs, not one Prisma object per row); labels are matched to batch rows in SQL
 * through the (corporation, exited) index; everything else reads through Prisma.
 */

/** Prisma's text format for DateTime on SQLite, so rows written here read back as Dates. */
function sqliteNow(): string {
  return new Date().toISOString().replace("Z", "+00:00");
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
}

export interface BatchPredictions {
  corporation: readonly string[];
  probability: ArrayLike<number>;
  predicted: ArrayLike<number>;
}

const ROWS_PER_INSERT = 200;

/** Store a batch and its predictions atomically; the id of the new batch. */
export async function createMonitoredBatch(db: Db, batch: NewMonitoredBatch, predictions: BatchPredictions): Promise<number> {
  const conn = sqliteConnection(databaseUrlOf(db));
  const n = predictions.corporation.length;
  return inWriteTransaction(conn, () => {
    const { id } = conn
      .prepare(
        `INSERT INTO "MonitoredBatch" (name, sha256, rows, modelVersionId, modelVersion, threshold, calibrated, calibration, estimate, estimatedF1, estimatedF1Lower, estimatedF1Upper, features, createdAt)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      )
      .get(
        batch.name,
        batch.sha256,
        n,
        batch.modelVersionId,
        batch.modelVersion,
        batch.threshold,
        batch.calibrated ? 1 : 0,
        JSON.stringify(batch.calibration),
        JSON.stringify(batch.estimate),
        batch.estimatedF1.estimate,
        batch.estimatedF1.lower,
        batch.estimatedF1.upper,
        JSON.stringify(batch.features),
        sqliteNow(),
      ) as { id: number };
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

/** Newest first, `limit + 1` rows below `before` (lib/views/page.ts). */
export async function listMonitoredBatches(db: Db, { take, before }: { take: number; before?: number }): Promise<MonitoredBatch[]> {
  return db.monitoredBatch.findMany({ where: before ? { id: { lt: before } } : {}, orderBy: { id: "desc" }, take });
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

/**
 * Give the still-unlabelled rows of every batch the label that an ingested file brought for
 * their corporation (the file's newest record of it), and return the confusion counts of each
 * batch that got labels, over all its labelled rows. One transaction; the file's records are
 * read through their datasetId index and each corporation probes the batch rows' index, so the
 * cost is the file's rows, not the batches'.
 */
export async function matchBatchLabels(
  db: Db,
  { datasetId }: { datasetId: number },
  store: (counts: RealizedCounts) => { realized: unknown; f1: number },
): Promise<number[]> {
  const conn = sqliteConnection(databaseUrlOf(db));
  // Cheap check first: most ingestions happen with no batch waiting for labels.
  if (!conn.prepare(`SELECT 1 FROM "MonitoredBatch" WHERE labelledRows < rows LIMIT 1`).get()) return [];
  return inWriteTransaction(conn, () => {
    const touched = conn
      .prepare(
        `UPDATE "MonitoredBatchRow" AS b SET exited = r.exited
         FROM (SELECT corporation, exited, MAX(id) FROM "Record" WHERE datasetId = ? GROUP BY corporation) AS r
         WHERE b.corporation = r.corporation AND b.exited IS NULL
         RETURNING batchId`,
      )
      .pluck()
      .all(datasetId) as number[];
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
