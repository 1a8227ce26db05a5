import type Database from "better-sqlite3";
import { spanOf } from "../time/periods";
import type pg from "pg";
import type { RejectedRowInfo } from "../csv/parse-schema-csv";
import type { DataColumns } from "../schema/columns";
import type { DataSchema } from "../schema/types";
import { isPostgres } from "./adapters";
import { readColumnsOnPg, readColumnsOnSqlite } from "./columns";
import type { FileBlobs } from "./kept-columns";
import { inPgTransaction } from "./postgres";
import { inWriteTransaction, sqliteConnection } from "./sqlite";

/*
 * The statements of one file's ingestion (lib/db/bulk-ingest.ts), behind one interface with an
 * adapter per database, picked once by the URL: SQLite on the plain better-sqlite3 connection in
 * BEGIN IMMEDIATE … COMMIT (lib/db/sqlite.ts says why it bypasses Prisma), PostgreSQL on a pooled
 * connection in a transaction that first takes an advisory lock (ingestions take turns across
 * every process, as SQLite's write lock makes them). Everything happens inside that transaction:
 * a file is all in or not at all.
 */

export interface IngestDatasetRow {
  name: string;
  sha256: string;
  role: string;
  runId: number | null;
}

export interface DatasetCounts {
  rowsRead: number;
  rowsAccepted: number;
  duplicates: number;
  rejected: number;
  imputed: number;
  imputedByColumn: string;
  missingByColumn: string;
  ignoredColumns: string;
}

export interface IngestTx {
  /** whether a training file with this content is in the ledger */
  hasTrainingFile(sha256: string): Promise<boolean>;
  /** store the schema unless one is stored */
  storeSchema(json: string): Promise<void>;
  /** stored records and the highest record id */
  recordCount(): Promise<{ rows: number; maxId: number }>;
  lastSnapshot(): Promise<{ rows: number; state: string | null } | undefined>;
  createDataset(d: IngestDatasetRow): Promise<number>;
  /** the categorical dictionaries: [column, code, value] */
  levels(): Promise<[string, number, string][]>;
  /** every stored file's key hashes, or its row keys as text when stored before the hashes */
  keyBlobs(): Promise<{ datasetId: number; keys: Uint8Array | null; legacyKeys: string | null }[]>;
  /** a file's key hashes computed from its legacy row keys */
  setKeys(datasetId: number, keys: Buffer): Promise<void>;
  insertRejected(datasetId: number, rows: readonly RejectedRowInfo[]): Promise<void>;
  writeBlobs(datasetId: number, b: FileBlobs): Promise<void>;
  updateDataset(datasetId: number, c: DatasetCounts): Promise<void>;
  insertSnapshot(datasetId: number, rows: number, stats: string, state: string): Promise<void>;
  readColumns(schema: DataSchema): Promise<DataColumns>;
}

/** Run `fn` with the ingestion statements of the database `databaseUrl` names, in one write transaction. */
export function inIngestTransaction<T>(databaseUrl: string, fn: (tx: IngestTx) => Promise<T>): Promise<T> {
  if (isPostgres(databaseUrl)) {
    return inPgTransaction(databaseUrl, async (c) => {
      await c.query(`SELECT pg_advisory_xact_lock(${INGEST_LOCK_KEY})`);
      return fn(pgIngestTx(c));
    });
  }
  const db = sqliteConnection(databaseUrl);
  return inWriteTransaction(db, () => fn(sqliteIngestTx(db)));
}

/** The advisory lock key of ingestion on PostgreSQL (any constant the app uses for nothing else). */
const INGEST_LOCK_KEY = 727_002;
const BATCH = 500;

/** A file's DatasetColumns row: its columns (quoted for PostgreSQL's case) and values in that order. */
const FILE_COLUMNS = `"datasetId", "rows", "firstId", "lastId", "positives", "label", "time", "ids", "keys"`;
const fileValues = (datasetId: number, b: FileBlobs) => [datasetId, b.rows, b.firstId, b.lastId, b.positives, b.label, b.time, b.ids, b.keys];

/** Prisma's text format for DateTime on SQLite, so rows written here read back as Dates. */
function sqliteNow(): string {
  return sqliteDate(new Date());
}

function sqliteDate(d: Date): string {
  return d.toISOString().replace("Z", "+00:00");
}

/**
 * The first and last instant of a file's time column (epoch ms per row, NaN where the file had no
 * time column); null when no row has a time: the file's period is then when it arrived (ingestedAt,
 * which createDataset writes as both ends).
 */
function timeRange(time: Buffer | null): { start: Date; end: Date } | null {
  if (!time || time.byteLength < 8) return null;
  const t = new Float64Array(time.buffer, time.byteOffset, time.byteLength / 8);
  return spanOf(t.length, (i) => t[i]);
}

function sqliteIngestTx(db: Database.Database): IngestTx {
  const run = (sql: string, ...args: unknown[]) => db.prepare(sql).run(...args);
  return {
    hasTrainingFile: async (sha) => Boolean(db.prepare(`SELECT id FROM "Dataset" WHERE sha256 = ? AND role IN ('source','upload') LIMIT 1`).get(sha)),
    storeSchema: async (json) => void run(`INSERT INTO "StoredSchema" (id, json, createdAt) VALUES (1, ?, ?) ON CONFLICT(id) DO NOTHING`, json, sqliteNow()),
    recordCount: async () => {
      const [rows, maxId] = db.prepare(`SELECT coalesce(sum(rows), 0), coalesce(max(lastId), 0) FROM "DatasetColumns"`).raw().get() as [number, number];
      return { rows, maxId };
    },
    lastSnapshot: async () => db.prepare(`SELECT rows, state FROM "DataSnapshot" ORDER BY id DESC LIMIT 1`).get() as { rows: number; state: string | null } | undefined,
    createDataset: async (d) =>
      Number(
        run(
          `INSERT INTO "Dataset" (name, sha256, role, rowsRead, rowsAccepted, duplicates, rejected, imputed, ingestedAt, periodStart, periodEnd, ingestedByRunId) VALUES (?, ?, ?, 0, 0, 0, 0, 0, ?1, ?1, ?1, ?)`.replace(/\?1/g, "?"),
          d.name,
          d.sha256,
          d.role,
          ...Array(3).fill(sqliteNow()),
          d.runId,
        ).lastInsertRowid,
      ),
    levels: async () => db.prepare(`SELECT "column", code, value FROM "CategoryLevel"`).raw().all() as [string, number, string][],
    keyBlobs: async () =>
      (db.prepare(`SELECT datasetId, keys, legacyKeys FROM "DatasetColumns" ORDER BY firstId`).raw().all() as [number, Buffer | null, string | null][]).map(([datasetId, keys, legacyKeys]) => ({ datasetId, keys, legacyKeys })),
    setKeys: async (datasetId, keys) => void run(`UPDATE "DatasetColumns" SET keys = ?, legacyKeys = NULL WHERE datasetId = ?`, keys, datasetId),
    insertRejected: async (datasetId, rows) => {
      const insert = db.prepare(`INSERT INTO "RejectedRow" (datasetId, rowNumber, "column", problem, raw, createdAt) VALUES (?, ?, ?, ?, ?, ?)`);
      const now = sqliteNow();
      for (const r of rows) insert.run(datasetId, r.row, r.column, r.problem, JSON.stringify(r.raw), now);
    },
    writeBlobs: async (datasetId, b) => {
      run(`INSERT INTO "DatasetColumns" (${FILE_COLUMNS}) VALUES (${FILE_COLUMNS.split(",").map(() => "?").join(", ")})`, ...fileValues(datasetId, b));
      const blob = db.prepare(`INSERT INTO "ColumnBlob" (datasetId, "column", "values", missing) VALUES (?, ?, ?, ?)`);
      for (const c of b.columns) blob.run(datasetId, c.column, c.values, c.missing);
      const level = db.prepare(`INSERT INTO "CategoryLevel" ("column", code, value) VALUES (?, ?, ?)`);
      for (const l of b.newLevels) level.run(l.column, l.code, l.value);
      const period = timeRange(b.time);
      if (period) run(`UPDATE "Dataset" SET periodStart = ?, periodEnd = ? WHERE id = ?`, sqliteDate(period.start), sqliteDate(period.end), datasetId);
    },
    updateDataset: async (id, c) =>
      void run(
        `UPDATE "Dataset" SET rowsRead = ?, rowsAccepted = ?, duplicates = ?, rejected = ?, imputed = ?, imputedByColumn = ?, missingByColumn = ?, ignoredColumns = ? WHERE id = ?`,
        c.rowsRead,
        c.rowsAccepted,
        c.duplicates,
        c.rejected,
        c.imputed,
        c.imputedByColumn,
        c.missingByColumn,
        c.ignoredColumns,
        id,
      ),
    insertSnapshot: async (datasetId, rows, stats, state) => void run(`INSERT INTO "DataSnapshot" (datasetId, rows, stats, state, createdAt) VALUES (?, ?, ?, ?, ?)`, datasetId, rows, stats, state, sqliteNow()),
    readColumns: async (schema) => readColumnsOnSqlite(db, schema),
  };
}

function pgIngestTx(c: pg.ClientBase): IngestTx {
  // Prisma keeps DateTime as UTC in `timestamp(3)`: an ISO string cast to timestamp drops the Z and keeps the UTC wall time.
  const now = () => new Date().toISOString();
  const rows = async <R extends unknown[]>(text: string, values: unknown[] = []) => (await c.query<R>({ text, values, rowMode: "array" })).rows;
  return {
    hasTrainingFile: async (sha) => (await c.query(`SELECT id FROM "Dataset" WHERE sha256 = $1 AND role IN ('source','upload') LIMIT 1`, [sha])).rowCount! > 0,
    storeSchema: async (json) => void (await c.query(`INSERT INTO "StoredSchema" (id, json, "createdAt") VALUES (1, $1, $2) ON CONFLICT (id) DO NOTHING`, [json, now()])),
    recordCount: async () => {
      const [r] = await rows<[string, string]>(`SELECT coalesce(sum(rows), 0), coalesce(max("lastId"), 0) FROM "DatasetColumns"`);
      return { rows: Number(r[0]), maxId: Number(r[1]) };
    },
    lastSnapshot: async () => (await c.query<{ rows: number; state: string | null }>(`SELECT rows, state FROM "DataSnapshot" ORDER BY id DESC LIMIT 1`)).rows[0],
    createDataset: async (d) =>
      Number(
        (
          await c.query(
            `INSERT INTO "Dataset" (name, sha256, role, "rowsRead", "rowsAccepted", duplicates, rejected, imputed, "ingestedAt", "periodStart", "periodEnd", "ingestedByRunId") VALUES ($1, $2, $3, 0, 0, 0, 0, 0, $4, $4, $4, $5) RETURNING id`,
            [d.name, d.sha256, d.role, now(), d.runId],
          )
        ).rows[0].id,
      ),
    levels: async () => (await rows<[string, number, string]>(`SELECT "column", code, value FROM "CategoryLevel"`)).map(([col, code, value]) => [col, Number(code), value]),
    keyBlobs: async () =>
      (await rows<[number, Buffer | null, string | null]>(`SELECT "datasetId", keys, "legacyKeys" FROM "DatasetColumns" ORDER BY "firstId"`)).map(([datasetId, keys, legacyKeys]) => ({ datasetId: Number(datasetId), keys, legacyKeys })),
    setKeys: async (datasetId, keys) => void (await c.query(`UPDATE "DatasetColumns" SET keys = $1, "legacyKeys" = NULL WHERE "datasetId" = $2`, [keys, datasetId])),
    insertRejected: async (datasetId, rejected) => {
      const at = now();
      for (let i = 0; i < rejected.length; i += BATCH) {
        const batch = rejected.slice(i, i + BATCH);
        await c.query(
          `INSERT INTO "RejectedRow" ("datasetId", "rowNumber", "column", problem, raw, "createdAt") SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::timestamp[])`,
          [datasetId, batch.map((r) => r.row), batch.map((r) => r.column), batch.map((r) => r.problem), batch.map((r) => JSON.stringify(r.raw)), batch.map(() => at)],
        );
      }
    },
    writeBlobs: async (datasetId, b) => {
      await c.query(`INSERT INTO "DatasetColumns" (${FILE_COLUMNS}) VALUES (${FILE_COLUMNS.split(",").map((_, i) => `$${i + 1}`).join(", ")})`, fileValues(datasetId, b));
      for (const col of b.columns) await c.query(`INSERT INTO "ColumnBlob" ("datasetId", "column", "values", missing) VALUES ($1, $2, $3, $4)`, [datasetId, col.column, col.values, col.missing]);
      for (let i = 0; i < b.newLevels.length; i += BATCH) {
        const batch = b.newLevels.slice(i, i + BATCH);
        await c.query(`INSERT INTO "CategoryLevel" ("column", code, value) SELECT * FROM unnest($1::text[], $2::int[], $3::text[])`, [batch.map((l) => l.column), batch.map((l) => l.code), batch.map((l) => l.value)]);
      }
      const period = timeRange(b.time);
      if (period) await c.query(`UPDATE "Dataset" SET "periodStart" = $1, "periodEnd" = $2 WHERE id = $3`, [period.start.toISOString(), period.end.toISOString(), datasetId]);
    },
    updateDataset: async (id, d) =>
      void (await c.query(
        `UPDATE "Dataset" SET "rowsRead" = $1, "rowsAccepted" = $2, duplicates = $3, rejected = $4, imputed = $5, "imputedByColumn" = $6, "missingByColumn" = $7, "ignoredColumns" = $8 WHERE id = $9`,
        [d.rowsRead, d.rowsAccepted, d.duplicates, d.rejected, d.imputed, d.imputedByColumn, d.missingByColumn, d.ignoredColumns, id],
      )),
    insertSnapshot: async (datasetId, n, stats, state) =>
      void (await c.query(`INSERT INTO "DataSnapshot" ("datasetId", rows, stats, state, "createdAt") VALUES ($1, $2, $3, $4, $5)`, [datasetId, n, stats, state, now()])),
    readColumns: (schema) => readColumnsOnPg(c, schema),
  };
}
