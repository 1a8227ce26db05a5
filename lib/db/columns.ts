import type Database from "better-sqlite3";
import type pg from "pg";
import { FEATURES, type Feature } from "../domain";
import { isPostgres } from "./adapters";
import { pgPool } from "./postgres";
import { sqliteConnection } from "./sqlite";

/*
 * Training records as columns of typed arrays, on the plain connection (lib/db/sqlite.ts): from
 * the per-file column blobs the ingestion writes (DatasetColumns; 1M records in tens of ms), or
 * with `.raw()` rows from Record for files that have none (about 0.7 s per million records).
 * No object per record; ~30 bytes per record in memory.
 * Training, scoring of new rows, feature drift and the summary statistics read them here.
 *
 * On PostgreSQL the same queries run on a pooled pg connection (lib/db/postgres.ts) in one
 * REPEATABLE READ transaction; bytea comes back as Buffers, rows as arrays.
 */

export interface TrainingColumns {
  /** number of records */
  n: number;
  /** feature values as stored (imputed cells hold the imputation mean) */
  x: Record<Feature, Float64Array>;
  /** 1 where the cell was empty in its file and was imputed */
  imputed: Record<Feature, Uint8Array>;
  exited: Uint8Array;
  /** highest Record.id read (0 when none) */
  maxId: number;
}

export interface RecordFilter {
  /** records with id ≤ maxId (a model's training set) */
  maxId?: number;
  /** records of these datasets */
  datasetIds?: readonly number[];
}

/** The WHERE clause of a filter; `idColumn` is the record id it bounds (Record.id, or DatasetColumns.firstId). `$` numbers PostgreSQL placeholders. */
function whereOf(filter: RecordFilter, idColumn = "id", $ = false): { sql: string; args: number[] } {
  const parts: string[] = [];
  const args: number[] = [];
  const p = () => ($ ? `$${args.length}` : "?");
  if (filter.maxId !== undefined) {
    args.push(filter.maxId);
    parts.push(`"${idColumn}" <= ${p()}`);
  }
  if (filter.datasetIds !== undefined) {
    const marks = filter.datasetIds.map((id) => (args.push(id), p()));
    parts.push(filter.datasetIds.length ? `"datasetId" IN (${marks.join(", ")})` : "1 = 0");
  }
  return { sql: parts.length ? `WHERE ${parts.join(" AND ")}` : "", args };
}

const COUNT = (where: string) => `SELECT count(*), coalesce(max("id"), 0) FROM "Record" ${where}`;
const BLOBS = (where: string) =>
  `SELECT "rows", "firstId", "lastId", "lastmonthActivity", "lastyearActivity", "numberOfEmployees", "exited", "imputed" FROM "DatasetColumns" ${where} ORDER BY "firstId"`;
const ROWS = (where: string) =>
  `SELECT "id", "lastmonthActivity", "lastyearActivity", "numberOfEmployees", "exited", "imputedColumns" FROM "Record" ${where} ORDER BY "id"`;

function countSqlite(db: Database.Database, filter: RecordFilter): { n: number; maxId: number } {
  const { sql, args } = whereOf(filter);
  const r = db.prepare(COUNT(sql)).raw().get(...args) as [number, number];
  return { n: r[0], maxId: r[1] };
}

async function countPg(c: pg.ClientBase | pg.Pool, filter: RecordFilter): Promise<{ n: number; maxId: number }> {
  const { sql, args } = whereOf(filter, "id", true);
  const r = await c.query<[number, number]>({ text: COUNT(sql), values: args, rowMode: "array" });
  return { n: Number(r.rows[0][0]), maxId: Number(r.rows[0][1]) };
}

/** Run `fn` in one REPEATABLE READ transaction on a pooled PostgreSQL connection: the blobs, the counts and the rows agree while others write. */
async function onPgSnapshot<T>(databaseUrl: string, fn: (c: pg.ClientBase) => Promise<T>): Promise<T> {
  const client = await pgPool(databaseUrl).connect();
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const value = await fn(client);
    await client.query("COMMIT");
    return value;
  } catch (e) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}

/** How many records match, and the highest id among them (from the indexes alone: no record is read). */
export async function countTrainingRecords(databaseUrl: string, filter: RecordFilter = {}): Promise<{ n: number; maxId: number }> {
  return isPostgres(databaseUrl) ? countPg(pgPool(databaseUrl), filter) : countSqlite(sqliteConnection(databaseUrl), filter);
}

/**
 * Read the records that match `filter` into typed arrays, in id order: from the files' column
 * blobs (DatasetColumns) when they cover exactly those records, else row by row from Record.
 */
export async function readTrainingColumns(databaseUrl: string, filter: RecordFilter = {}): Promise<TrainingColumns> {
  if (isPostgres(databaseUrl)) return onPgSnapshot(databaseUrl, (c) => readColumnsOnPg(c, filter));
  return readColumnsOnSqlite(sqliteConnection(databaseUrl), filter);
}

/** readTrainingColumns on a given SQLite connection (the ingestion reads inside its own write transaction). Synchronous: one transaction (a savepoint inside the ingestion's). */
export function readColumnsOnSqlite(db: Database.Database, filter: RecordFilter = {}): TrainingColumns {
  return db.transaction(() => blobsSqlite(db, filter, countSqlite(db, filter)) ?? recordsSqlite(db, filter))();
}

/** readTrainingColumns on a given PostgreSQL connection (the ingestion reads inside its own transaction). */
export async function readColumnsOnPg(c: pg.ClientBase, filter: RecordFilter = {}): Promise<TrainingColumns> {
  return (await blobsPg(c, filter, await countPg(c, filter))) ?? (await recordsPg(c, filter));
}

type BlobRow = [rows: number, firstId: number, lastId: number, lastmonthActivity: Buffer, lastyearActivity: Buffer, numberOfEmployees: Buffer, exited: Buffer, imputed: Buffer];

// A file is whole on one side of maxId (an ingestion commits a file at once): files are selected by their first id.
function blobsSqlite(db: Database.Database, filter: RecordFilter, expected: { n: number; maxId: number }): TrainingColumns | null {
  const { sql, args } = whereOf(filter, "firstId");
  return fromColumnBlobs(db.prepare(BLOBS(sql)).raw().all(...args) as BlobRow[], filter, expected);
}

async function blobsPg(c: pg.ClientBase, filter: RecordFilter, expected: { n: number; maxId: number }): Promise<TrainingColumns | null> {
  const { sql, args } = whereOf(filter, "firstId", true);
  return fromColumnBlobs((await c.query<BlobRow>({ text: BLOBS(sql), values: args, rowMode: "array" })).rows, filter, expected);
}

/** The columns from DatasetColumns rows, or null when those do not hold exactly the records `filter` selects. */
function fromColumnBlobs(blobs: BlobRow[], filter: RecordFilter, expected: { n: number; maxId: number }): TrainingColumns | null {
  const n = blobs.reduce((k, b) => k + b[0], 0);
  const maxId = blobs.length ? blobs[blobs.length - 1][2] : 0;
  if (n !== expected.n || maxId !== expected.maxId || (filter.maxId !== undefined && maxId > filter.maxId)) return null;
  const x = { lastmonth_activity: new Float64Array(n), lastyear_activity: new Float64Array(n), number_of_employees: new Float64Array(n) };
  const imputed = { lastmonth_activity: new Uint8Array(n), lastyear_activity: new Uint8Array(n), number_of_employees: new Uint8Array(n) };
  const exited = new Uint8Array(n);
  const mask = new Uint8Array(n);
  let at = 0;
  for (const [rows, , , lastmonth, lastyear, employees, ex, imp] of blobs) {
    // Buffer.copy into byte views: a blob's bytes need not be 8-byte aligned for a Float64Array view.
    lastmonth.copy(new Uint8Array(x.lastmonth_activity.buffer), at * 8);
    lastyear.copy(new Uint8Array(x.lastyear_activity.buffer), at * 8);
    employees.copy(new Uint8Array(x.number_of_employees.buffer), at * 8);
    ex.copy(exited, at);
    imp.copy(mask, at);
    at += rows;
  }
  for (let i = 0; i < n; i++) {
    if (mask[i] === 0) continue;
    FEATURES.forEach((f, j) => (imputed[f][i] = (mask[i] >> j) & 1));
  }
  return { n, x, imputed, exited, maxId };
}

/** Only the blob path of readTrainingColumns: null when the blobs do not cover exactly the selected records. */
export async function readTrainingColumnsFromBlobs(databaseUrl: string, filter: RecordFilter = {}): Promise<TrainingColumns | null> {
  if (isPostgres(databaseUrl)) return onPgSnapshot(databaseUrl, async (c) => blobsPg(c, filter, await countPg(c, filter)));
  const db = sqliteConnection(databaseUrl);
  return db.transaction(() => blobsSqlite(db, filter, countSqlite(db, filter)))();
}

/** readTrainingColumns without the column blobs: one row per record (files ingested before the blobs existed). */
export async function readTrainingColumnsRowByRow(databaseUrl: string, filter: RecordFilter = {}): Promise<TrainingColumns> {
  if (isPostgres(databaseUrl)) return onPgSnapshot(databaseUrl, (c) => recordsPg(c, filter));
  const db = sqliteConnection(databaseUrl);
  return db.transaction(() => recordsSqlite(db, filter))();
}

type RecordRow = [number, number, number, number, number, string];

/** Typed arrays for n records, filled one row at a time. */
function recordColumns(n: number) {
  const x = { lastmonth_activity: new Float64Array(n), lastyear_activity: new Float64Array(n), number_of_employees: new Float64Array(n) };
  const imputed = { lastmonth_activity: new Uint8Array(n), lastyear_activity: new Uint8Array(n), number_of_employees: new Uint8Array(n) };
  const exited = new Uint8Array(n);
  let i = 0;
  let maxId = 0;
  return {
    take(r: RecordRow) {
      if (i >= n) return;
      maxId = r[0];
      x.lastmonth_activity[i] = r[1];
      x.lastyear_activity[i] = r[2];
      x.number_of_employees[i] = r[3];
      exited[i] = r[4];
      if (r[5] !== "") for (const f of FEATURES) if (r[5].includes(f)) imputed[f][i] = 1;
      i++;
    },
    done: (): TrainingColumns => ({ n: i, x, imputed, exited, maxId }),
  };
}

function recordsSqlite(db: Database.Database, filter: RecordFilter): TrainingColumns {
  const { sql, args } = whereOf(filter);
  const out = recordColumns(db.prepare(`SELECT count(*) FROM "Record" ${sql}`).pluck().get(...args) as number);
  for (const r of db.prepare(ROWS(sql)).raw().iterate(...args) as IterableIterator<RecordRow>) out.take(r);
  return out.done();
}

async function recordsPg(c: pg.ClientBase, filter: RecordFilter): Promise<TrainingColumns> {
  const out = recordColumns((await countPg(c, filter)).n);
  // Pages by id, so a large table never sits in memory as one result.
  const PAGE = 50_000;
  let after = 0;
  for (;;) {
    const f = whereOf(filter, "id", true);
    const cond = `${f.sql ? `${f.sql} AND` : "WHERE"} "id" > $${f.args.length + 1}`;
    const page = (await c.query<RecordRow>({ text: `${ROWS(cond)} LIMIT ${PAGE}`, values: [...f.args, after], rowMode: "array" })).rows;
    for (const r of page) out.take(r);
    if (page.length < PAGE) break;
    after = page[page.length - 1][0];
  }
  return out.done();
}

/** The observed (not imputed) values of one feature. */
export function observedValues(cols: TrainingColumns, f: Feature): Float64Array {
  const mask = cols.imputed[f];
  let m = 0;
  for (let i = 0; i < cols.n; i++) if (!mask[i]) m++;
  if (m === cols.n) return cols.x[f].subarray(0, cols.n);
  const out = new Float64Array(m);
  let j = 0;
  for (let i = 0; i < cols.n; i++) if (!mask[i]) out[j++] = cols.x[f][i];
  return out;
}
