import Database from "better-sqlite3";
import { sqlitePath } from "../config";

/*
 * A plain better-sqlite3 connection to the same SQLite file Prisma uses, for the work that
 * scales with the data: bulk ingestion (lib/db/bulk-ingest.ts) and reading feature columns into
 * typed arrays (lib/db/columns.ts). Why not Prisma there: every Prisma row is a JS object that
 * goes through the driver adapter's query pipeline (createMany measured ~3,100 rows/s here,
 * findMany of 1M records ~2 GB), while a prepared multi-row INSERT on this connection writes
 * ~150–200k rows/s and `.raw()` reads fill Float64Arrays without one object per row.
 * Everything else keeps going through Prisma (lib/db/*).
 *
 * One connection per file per thread (a worker thread opens its own). WAL lets readers go on
 * while a file is written; busy_timeout makes a second writer wait instead of failing.
 */

const connections = new Map<string, Database.Database>();

/** SQLITE_MAX_PAGE_COUNT (lib/config.ts), read without the whole configuration: a cap on the file, per connection. */
export function maxPageCount(): number | null {
  const n = Number(process.env.SQLITE_MAX_PAGE_COUNT ?? "");
  return Number.isInteger(n) && n > 0 ? n : null;
}

/** MB left below the file's page cap; null without a cap (or when the file cannot say). */
export function roomBelowPageCapMb(databaseUrl: string): number | null {
  const cap = maxPageCount();
  if (!cap) return null;
  try {
    const db = sqliteConnection(databaseUrl);
    const pages = db.pragma("page_count", { simple: true }) as number;
    const size = db.pragma("page_size", { simple: true }) as number;
    return ((cap - pages) * size) / 2 ** 20;
  } catch {
    return null;
  }
}

/** Busy timeout of every connection this module opens (ms): an ingestion of a large file holds the write lock for seconds. */
export const BUSY_TIMEOUT_MS = 30_000;

export function sqliteConnection(databaseUrl: string): Database.Database {
  const file = sqlitePath(databaseUrl);
  let db = connections.get(file);
  if (!db || !db.open) {
    db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    // A bigger page cache keeps the Record unique index's upper levels in memory during a load.
    db.pragma("cache_size = -65536");
    db.pragma("temp_store = MEMORY");
    const cap = maxPageCount();
    if (cap) db.pragma(`max_page_count = ${cap}`);
    connections.set(file, db);
  }
  return db;
}

/**
 * True while this thread's bulk connection holds a write transaction on the database. A Prisma
 * write from the same thread would then wait on a lock its own thread holds (better-sqlite3
 * waits synchronously): timers that write (the run lock's heartbeat) skip a beat instead.
 */
export function bulkWriteInProgress(databaseUrl: string): boolean {
  return connections.get(sqlitePath(databaseUrl))?.inTransaction ?? false;
}

/** Close this thread's connection to one database (a scratch copy about to be deleted). */
export function closeSqliteConnection(databaseUrl: string): void {
  const file = sqlitePath(databaseUrl);
  connections.get(file)?.close();
  connections.delete(file);
}

/** Close this thread's connections (process exit, tests). */
export function closeSqliteConnections(): void {
  for (const db of connections.values()) if (db.open) db.close();
  connections.clear();
}

const queues = new WeakMap<Database.Database, Promise<unknown>>();

/**
 * Run `fn` inside BEGIN IMMEDIATE … COMMIT (ROLLBACK when it throws); `fn` may await. Calls on
 * one connection wait for each other (a connection has one transaction at a time: two uploads
 * in one process take turns, as two processes do through the busy timeout).
 */
export function inWriteTransaction<T>(db: Database.Database, fn: () => Promise<T> | T): Promise<T> {
  const run = async () => {
    db.exec("BEGIN IMMEDIATE");
    try {
      const value = await fn();
      db.exec("COMMIT");
      return value;
    } catch (e) {
      if (db.inTransaction) db.exec("ROLLBACK");
      throw e;
    }
  };
  const previous = queues.get(db) ?? Promise.resolve();
  const next = previous.then(run, run);
  queues.set(db, next.catch(() => undefined));
  return next;
}
