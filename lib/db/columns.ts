import type Database from "better-sqlite3";
import type pg from "pg";
import { AppError } from "../errors";
import type { CategoricalColumn, DataColumns, FeatureColumn } from "../schema/columns";
import type { DataSchema } from "../schema/types";
import { isPostgres } from "./adapters";
import { pgPool } from "./postgres";
import { sqliteConnection } from "./sqlite";

/*
 * Training records as columns of typed arrays (lib/schema/columns.ts), on the plain connection
 * (lib/db/sqlite.ts): per file a DatasetColumns row (its record ids, labels and times) and one
 * ColumnBlob per feature (Float64 values or Uint32 codes, and the missing map), plus the
 * categorical dictionaries (CategoryLevel). 1M records come back in tens of ms; no object per
 * record. Training, scoring of new rows, feature drift and the summary statistics read them here.
 *
 * On PostgreSQL the same queries run on a pooled pg connection (lib/db/postgres.ts) in one
 * REPEATABLE READ transaction; bytea comes back as Buffers, rows as arrays.
 */

export interface RecordFilter {
  /** records with id ≤ maxId (a model's training set) */
  maxId?: number;
  /** records of these datasets */
  datasetIds?: readonly number[];
}

/** The WHERE clause of a filter on DatasetColumns: a file is whole on one side of maxId (an ingestion commits a file at once), so files are selected by their first record id. `$` numbers PostgreSQL placeholders. */
function whereOf(filter: RecordFilter, $ = false): { sql: string; args: number[] } {
  const idColumn = "firstId";
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

const COUNT = (where: string) => `SELECT coalesce(sum("rows"), 0), coalesce(max("lastId"), 0) FROM "DatasetColumns" ${where}`;
const FILES = (where: string) => `SELECT "datasetId", "rows", "firstId", "lastId", "label", "time" FROM "DatasetColumns" ${where} ORDER BY "firstId"`;
const BLOBS = (where: string) =>
  `SELECT "datasetId", "column", "values", "missing" FROM "ColumnBlob" WHERE "datasetId" IN (SELECT "datasetId" FROM "DatasetColumns" ${where})`;
const LEVELS = `SELECT "column", "code", "value" FROM "CategoryLevel" ORDER BY "column", "code"`;

type FileRow = [datasetId: number, rows: number, firstId: number, lastId: number, label: Buffer, time: Buffer | null];
type BlobRow = [datasetId: number, column: string, values: Buffer, missing: Buffer];
type LevelRow = [column: string, code: number, value: string];

interface Fetched {
  count: { n: number; maxId: number };
  files: FileRow[];
  blobs: BlobRow[];
  levels: LevelRow[];
}

function fetchSqlite(db: Database.Database, filter: RecordFilter): Fetched {
  const byFile = whereOf(filter);
  const rec = byFile;
  const c = db.prepare(COUNT(rec.sql)).raw().get(...rec.args) as [number, number];
  return {
    count: { n: c[0], maxId: c[1] },
    files: db.prepare(FILES(byFile.sql)).raw().all(...byFile.args) as FileRow[],
    blobs: db.prepare(BLOBS(byFile.sql)).raw().all(...byFile.args) as BlobRow[],
    levels: db.prepare(LEVELS).raw().all() as LevelRow[],
  };
}

async function fetchPg(c: pg.ClientBase, filter: RecordFilter): Promise<Fetched> {
  const byFile = whereOf(filter, true);
  const rec = byFile;
  const q = async <R extends unknown[]>(text: string, values: unknown[] = []) => (await c.query<R>({ text, values, rowMode: "array" })).rows;
  const count = (await q<[string, string]>(COUNT(rec.sql), rec.args))[0];
  const files = (await q<FileRow>(FILES(byFile.sql), byFile.args)).map((r): FileRow => [Number(r[0]), Number(r[1]), Number(r[2]), Number(r[3]), r[4], r[5]]);
  return {
    count: { n: Number(count[0]), maxId: Number(count[1]) },
    files,
    blobs: (await q<BlobRow>(BLOBS(byFile.sql), byFile.args)).map((r): BlobRow => [Number(r[0]), r[1], r[2], r[3]]),
    levels: (await q<LevelRow>(LEVELS)).map((r): LevelRow => [r[0], Number(r[1]), r[2]]),
  };
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

/** How many records match, and the highest id among them (from the files' row counts: no record is read). */
export async function countTrainingRecords(databaseUrl: string, filter: RecordFilter = {}): Promise<{ n: number; maxId: number }> {
  if (isPostgres(databaseUrl)) {
    const { sql, args } = whereOf(filter, true);
    const r = await pgPool(databaseUrl).query<[string, string]>({ text: COUNT(sql), values: args, rowMode: "array" });
    return { n: Number(r.rows[0][0]), maxId: Number(r.rows[0][1]) };
  }
  const { sql, args } = whereOf(filter);
  const r = sqliteConnection(databaseUrl).prepare(COUNT(sql)).raw().get(...args) as [number, number];
  return { n: r[0], maxId: r[1] };
}

/** Read the records that match `filter` into typed arrays, in id order, with the features of `schema`. */
export async function readTrainingColumns(databaseUrl: string, schema: DataSchema, filter: RecordFilter = {}): Promise<DataColumns> {
  if (isPostgres(databaseUrl)) return onPgSnapshot(databaseUrl, (c) => readColumnsOnPg(c, schema, filter));
  return readColumnsOnSqlite(sqliteConnection(databaseUrl), schema, filter);
}

/** readTrainingColumns on a given SQLite connection (the ingestion reads inside its own write transaction). Synchronous: one transaction (a savepoint inside the ingestion's). */
export function readColumnsOnSqlite(db: Database.Database, schema: DataSchema, filter: RecordFilter = {}): DataColumns {
  return assemble(schema, filter, db.transaction(() => fetchSqlite(db, filter))());
}

/** readTrainingColumns on a given PostgreSQL connection (the ingestion reads inside its own transaction). */
export async function readColumnsOnPg(c: pg.ClientBase, schema: DataSchema, filter: RecordFilter = {}): Promise<DataColumns> {
  return assemble(schema, filter, await fetchPg(c, filter));
}

/** Copy a blob's bytes into `target` at row `at` (Buffer.copy into a byte view: a blob need not be aligned for a typed-array view). */
function copyInto(blob: Buffer, target: Float64Array | Uint32Array | Uint8Array, at: number, rows: number, what: string): void {
  if (blob.length !== rows * target.BYTES_PER_ELEMENT) {
    throw new AppError("internal:storage", `The stored ${what} holds ${blob.length} bytes for ${rows} rows: the database is damaged; restore it from a backup.`);
  }
  blob.copy(new Uint8Array(target.buffer, target.byteOffset, target.byteLength), at * target.BYTES_PER_ELEMENT);
}

/** The columns from the fetched files, blobs and dictionaries; throws when they do not hold exactly the records `filter` selects. */
function assemble(schema: DataSchema, filter: RecordFilter, f: Fetched): DataColumns {
  const n = f.files.reduce((k, r) => k + r[1], 0);
  const maxId = f.files.length ? f.files[f.files.length - 1][3] : 0;
  if (n !== f.count.n || maxId !== f.count.maxId) {
    // The count and the files come from one snapshot: a difference means they were read apart.
    throw new AppError("internal:storage", `The training files hold ${n} rows (up to record ${maxId}) where their count says ${f.count.n} (up to ${f.count.maxId}).`);
  }
  const start = new Map<number, { at: number; rows: number }>();
  let at = 0;
  for (const r of f.files) {
    start.set(r[0], { at, rows: r[1] });
    at += r[1];
  }
  const label = new Uint8Array(n);
  // rows of a file stored without a time blob (it had no time column) have no time
  const time = schema.time ? new Float64Array(n).fill(Number.NaN) : null;
  for (const r of f.files) {
    const { at: row, rows } = start.get(r[0])!;
    copyInto(r[4], label, row, rows, `label of dataset ${r[0]}`);
    if (time && r[5]) copyInto(r[5], time, row, rows, `time of dataset ${r[0]}`);
  }
  const features: Record<string, FeatureColumn> = {};
  for (const spec of schema.features) {
    features[spec.name] =
      spec.type === "numeric"
        ? { type: "numeric", values: new Float64Array(n), missing: new Uint8Array(n) }
        : { type: "categorical", codes: new Uint32Array(n), levels: f.levels.filter((l) => l[0] === spec.name).map((l) => l[2]) };
  }
  const seen = new Set<string>();
  for (const [datasetId, column, values, missing] of f.blobs) {
    const col = features[column];
    const file = start.get(datasetId);
    if (!col || file === undefined) continue;
    seen.add(`${datasetId}\u0000${column}`);
    const what = `column ${column} of dataset ${datasetId}`;
    if (col.type === "numeric") {
      copyInto(values, col.values, file.at, file.rows, what);
      if (missing.length) copyInto(missing, col.missing, file.at, file.rows, `missing map of ${what}`);
    } else copyInto(values, col.codes, file.at, file.rows, what);
  }
  for (const r of f.files) {
    const lost = schema.features.find((spec) => r[1] > 0 && !seen.has(`${r[0]}\u0000${spec.name}`));
    if (lost) throw new AppError("internal:storage", `Dataset ${r[0]} has no stored values of the feature "${lost.name}": the database is damaged; restore it from a backup.`);
  }
  checkDictionaries(features);
  return { n, features, label, time, maxId };
}

/** Codes are dense from 0 in CategoryLevel; a code without its level would read as undefined text. */
function checkDictionaries(features: Record<string, FeatureColumn>): void {
  for (const [name, col] of Object.entries(features)) {
    if (col.type !== "categorical") continue;
    const c = col as CategoricalColumn;
    let max = -1;
    for (let i = 0; i < c.codes.length; i++) if (c.codes[i] > max) max = c.codes[i];
    if (max >= c.levels.length) {
      throw new AppError("internal:storage", `The stored codes of "${name}" reach ${max} but its dictionary has ${c.levels.length} levels: the database is inconsistent.`);
    }
  }
}
