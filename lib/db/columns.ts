import type Database from "better-sqlite3";
import { FEATURES, type Feature } from "../domain";
import { sqliteConnection } from "./sqlite";

/*
 * Training records as columns of typed arrays, on the plain connection (lib/db/sqlite.ts): from
 * the per-file column blobs the ingestion writes (DatasetColumns; 1M records in tens of ms), or
 * with `.raw()` rows from Record for files that have none (about 0.7 s per million records).
 * No object per record; ~30 bytes per record in memory.
 * Training, scoring of new rows, feature drift and the summary statistics read them here.
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

/** The WHERE clause of a filter; `idColumn` is the record id it bounds (Record.id, or DatasetColumns.firstId). */
function whereOf(filter: RecordFilter, idColumn = "id"): { sql: string; args: number[] } {
  const parts: string[] = [];
  const args: number[] = [];
  if (filter.maxId !== undefined) {
    parts.push(`${idColumn} <= ?`);
    args.push(filter.maxId);
  }
  if (filter.datasetIds !== undefined) {
    parts.push(filter.datasetIds.length ? `datasetId IN (${filter.datasetIds.map(() => "?").join(", ")})` : "0");
    args.push(...filter.datasetIds);
  }
  return { sql: parts.length ? `WHERE ${parts.join(" AND ")}` : "", args };
}

/** How many records match, and the highest id among them (from the indexes alone: no record is read). */
export function countTrainingRecords(databaseUrl: string, filter: RecordFilter = {}): { n: number; maxId: number } {
  return countOn(sqliteConnection(databaseUrl), filter);
}

function countOn(db: Database.Database, filter: RecordFilter): { n: number; maxId: number } {
  const { sql, args } = whereOf(filter);
  const r = db.prepare(`SELECT count(*), coalesce(max(id), 0) FROM "Record" ${sql}`).raw().get(...args) as [number, number];
  return { n: r[0], maxId: r[1] };
}

/**
 * Read the records that match `filter` into typed arrays, in id order: from the files' column
 * blobs (DatasetColumns) when they cover exactly those records, else row by row from Record.
 */
export function readTrainingColumns(databaseUrl: string, filter: RecordFilter = {}): TrainingColumns {
  return readColumnsOn(sqliteConnection(databaseUrl), filter);
}

/** readTrainingColumns on a given connection (the ingestion reads inside its own write transaction). */
export function readColumnsOn(db: Database.Database, filter: RecordFilter = {}): TrainingColumns {
  // One transaction, so that the blobs, the counts and the rows agree while others write.
  return db.transaction(() => fromColumnBlobs(db, filter, countOn(db, filter)) ?? fromRecords(db, filter))();
}

type BlobRow = {
  rows: number;
  firstId: number;
  lastId: number;
  lastmonthActivity: Buffer;
  lastyearActivity: Buffer;
  numberOfEmployees: Buffer;
  exited: Buffer;
  imputed: Buffer;
};

/** The columns from DatasetColumns, or null when those do not hold exactly the records `filter` selects. */
function fromColumnBlobs(db: Database.Database, filter: RecordFilter, expected: { n: number; maxId: number }): TrainingColumns | null {
  // A file is whole on one side of maxId (an ingestion commits a file at once): select files by their first id.
  const { sql, args } = whereOf(filter, "firstId");
  const blobs = db
    .prepare(`SELECT rows, firstId, lastId, lastmonthActivity, lastyearActivity, numberOfEmployees, exited, imputed FROM "DatasetColumns" ${sql} ORDER BY firstId`)
    .all(...args) as BlobRow[];
  const n = blobs.reduce((k, b) => k + b.rows, 0);
  const maxId = blobs.length ? blobs[blobs.length - 1].lastId : 0;
  if (n !== expected.n || maxId !== expected.maxId || (filter.maxId !== undefined && maxId > filter.maxId)) return null;
  const x = { lastmonth_activity: new Float64Array(n), lastyear_activity: new Float64Array(n), number_of_employees: new Float64Array(n) };
  const imputed = { lastmonth_activity: new Uint8Array(n), lastyear_activity: new Uint8Array(n), number_of_employees: new Uint8Array(n) };
  const exited = new Uint8Array(n);
  const mask = new Uint8Array(n);
  let at = 0;
  for (const b of blobs) {
    // Buffer.copy into byte views: a blob's bytes need not be 8-byte aligned for a Float64Array view.
    b.lastmonthActivity.copy(new Uint8Array(x.lastmonth_activity.buffer), at * 8);
    b.lastyearActivity.copy(new Uint8Array(x.lastyear_activity.buffer), at * 8);
    b.numberOfEmployees.copy(new Uint8Array(x.number_of_employees.buffer), at * 8);
    b.exited.copy(exited, at);
    b.imputed.copy(mask, at);
    at += b.rows;
  }
  for (let i = 0; i < n; i++) {
    if (mask[i] === 0) continue;
    FEATURES.forEach((f, j) => (imputed[f][i] = (mask[i] >> j) & 1));
  }
  return { n, x, imputed, exited, maxId };
}

/** Only the blob path of readTrainingColumns: null when the blobs do not cover exactly the selected records. */
export function readTrainingColumnsFromBlobs(databaseUrl: string, filter: RecordFilter = {}): TrainingColumns | null {
  const db = sqliteConnection(databaseUrl);
  return db.transaction(() => fromColumnBlobs(db, filter, countOn(db, filter)))();
}

/** readTrainingColumns without the column blobs: one row per record (files ingested before the blobs existed). */
export function readTrainingColumnsRowByRow(databaseUrl: string, filter: RecordFilter = {}): TrainingColumns {
  const db = sqliteConnection(databaseUrl);
  return db.transaction(() => fromRecords(db, filter))();
}

function fromRecords(db: Database.Database, filter: RecordFilter): TrainingColumns {
  const { sql, args } = whereOf(filter);
  const n = db.prepare(`SELECT count(*) FROM "Record" ${sql}`).pluck().get(...args) as number;
  const x = { lastmonth_activity: new Float64Array(n), lastyear_activity: new Float64Array(n), number_of_employees: new Float64Array(n) };
  const imputed = { lastmonth_activity: new Uint8Array(n), lastyear_activity: new Uint8Array(n), number_of_employees: new Uint8Array(n) };
  const exited = new Uint8Array(n);
  const stmt = db.prepare(`SELECT id, lastmonthActivity, lastyearActivity, numberOfEmployees, exited, imputedColumns FROM "Record" ${sql} ORDER BY id`).raw();
  let i = 0;
  let maxId = 0;
  for (const r of stmt.iterate(...args) as IterableIterator<[number, number, number, number, number, string]>) {
    if (i >= n) break;
    maxId = r[0];
    x.lastmonth_activity[i] = r[1];
    x.lastyear_activity[i] = r[2];
    x.number_of_employees[i] = r[3];
    exited[i] = r[4];
    if (r[5] !== "") for (const f of FEATURES) if (r[5].includes(f)) imputed[f][i] = 1;
    i++;
  }
  return { n: i, x, imputed, exited, maxId };
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
