import fs from "node:fs";
import path from "node:path";
import { disconnectAll, getDb } from "../db/client";
import { closePgPool, pgPool } from "../db/postgres";
import { closeSqliteConnections, sqliteConnection } from "../db/sqlite";
import { HealthResponse } from "../validations/core";
import type { z } from "../validations/zod";
import { BASE, HEADER, inProcessFetch } from "./api";
import { dropDatabase } from "./postgres-cluster";
import { testDatabaseKind, type TestDb } from "./temp-db";

/*
 * Test helpers for the database's storage failing (issue 20), on either database: a damaged copy
 * of the test database, a full volume and its space freed, /api/health as a load balancer reads it.
 * Used by the reliability battery's storage part (app/api/battery-storage.test.ts) and
 * app/api/health/storage.test.ts.
 */

const fetchIt = inProcessFetch();

/** GET /api/health through the route handler: its status and its body, parsed with the route table's schema. */
export async function healthNow(): Promise<{ status: number; body: z.infer<typeof HealthResponse> }> {
  const res = await fetchIt(`${BASE}/api/health`);
  return { status: res.status, body: HealthResponse.parse(await res.json()) };
}

/** `n` rows of the demo schema (with labels) as CSV text; `seed` makes files of different content. */
export function demoRows(n: number, seed = 0): string {
  const lines = [HEADER];
  for (let i = 0; i < n; i++) lines.push(`c${seed}_${i},${(i + seed) % 977},${(i * 7 + seed) % 10007},${i % 313},${i % 2}`);
  return `${lines.join("\n")}\n`;
}

/** Close every connection of this thread, so that a file or a database can be copied whole and the next query opens afresh. */
async function closeAll(): Promise<void> {
  closeSqliteConnections();
  await disconnectAll();
}

/** Overwrite whole pages of a file with a byte pattern no page starts with. */
function overwritePages(file: string, pageSize: number, pages: Iterable<number>): void {
  const fd = fs.openSync(file, "r+");
  try {
    for (const p of pages) fs.writeSync(fd, Buffer.alloc(pageSize, 0x5a), 0, pageSize, p * pageSize);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * A copy of the test database with every page of `tables` overwritten, as a failing disk or a bad
 * copy leaves a file: the rest of it (the schema, the other tables) stays sound. SQLite: the file
 * copied, the tables' pages (their B-trees and overflow pages) found with the dbstat table.
 * PostgreSQL: a copy made with CREATE DATABASE … STRATEGY FILE_COPY (a file copy after a checkpoint,
 * so no page of the copy is in the server's buffers and the first read meets the damage on disk),
 * then the tables' heap and TOAST files overwritten. `drop` deletes the copy.
 */
export async function damagedCopy(t: TestDb, tables: readonly string[]): Promise<{ url: string; drop: () => Promise<void> }> {
  await closeAll();
  if (testDatabaseKind() === "sqlite") return damagedSqliteCopy(t, tables);
  return damagedPgCopy(t, tables);
}

function damagedSqliteCopy(t: TestDb, tables: readonly string[]): { url: string; drop: () => Promise<void> } {
  const file = path.join(t.dir, "damaged.db");
  fs.copyFileSync(t.file, file);
  const url = `file:${file}`;
  const db = sqliteConnection(url);
  const pageSize = db.pragma("page_size", { simple: true }) as number;
  const pages = db
    .prepare(`SELECT pageno FROM dbstat WHERE name IN (${tables.map(() => "?").join(", ")})`)
    .pluck()
    .all(...tables) as number[];
  closeSqliteConnections();
  if (pages.length === 0) throw new Error(`no pages of ${tables.join(", ")} in ${file}`);
  // dbstat numbers pages from 1
  overwritePages(file, pageSize, pages.map((p) => p - 1));
  return { url, drop: async () => closeAll() };
}

async function damagedPgCopy(t: TestDb, tables: readonly string[]): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = process.env.DRA_TEST_PG_ADMIN_URL!;
  const name = `${new URL(t.url).pathname.slice(1)}_damaged`;
  const adminPool = pgPool(admin);
  await adminPool.query(`CREATE DATABASE "${name}" TEMPLATE "${new URL(t.url).pathname.slice(1)}" STRATEGY FILE_COPY`);
  const dataDir = (await adminPool.query<{ data_directory: string }>("SHOW data_directory")).rows[0].data_directory;
  await closePgPool(admin);
  const u = new URL(t.url);
  u.pathname = `/${name}`;
  const url = u.toString();
  // Only the catalog is read here: the relations' own pages stay unread until the app reads them.
  const files = (
    await pgPool(url).query<{ file: string }>(
      `SELECT pg_relation_filepath(r.oid) AS file FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace
         JOIN pg_class r ON r.oid = c.oid OR r.oid = c.reltoastrelid
       WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname = ANY($1)`,
      [tables],
    )
  ).rows.map((r) => path.join(dataDir, r.file));
  await closePgPool(url);
  const BLOCK = 8192;
  for (const file of files) overwritePages(file, BLOCK, Array.from({ length: fs.statSync(file).size / BLOCK }, (_, i) => i));
  return {
    url,
    drop: async () => {
      await closeAll();
      dropDatabase(admin, name, { bin: process.env.DRA_TEST_PG_BIN! });
    },
  };
}

/**
 * Make the next write of a file's rows (the ledger entry, in the file's transaction) fail on
 * PostgreSQL with SQLSTATE `condition`, worded `message`: a trigger on "Dataset" raises it, so the
 * error travels the real COPY / INSERT path, driver and adapter. `undo` drops it.
 */
export async function raiseOnLedgerWrite(t: TestDb, condition: string, message: string): Promise<{ undo: () => Promise<void> }> {
  const quoted = message.replaceAll("'", "''");
  const db = () => getDb(t.url); // not t.db: a PostgreSQL client closed by closeAll does not reopen
  await db().$executeRawUnsafe(
    `CREATE OR REPLACE FUNCTION dra_test_refuse_write() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION USING ERRCODE = '${condition}', MESSAGE = '${quoted}'; END $$`,
  );
  await db().$executeRawUnsafe(`CREATE TRIGGER dra_test_refuse_write BEFORE INSERT ON "Dataset" FOR EACH ROW EXECUTE FUNCTION dra_test_refuse_write()`);
  return {
    undo: async () => {
      await db().$executeRawUnsafe(`DROP TRIGGER IF EXISTS dra_test_refuse_write ON "Dataset"`);
      await db().$executeRawUnsafe(`DROP FUNCTION IF EXISTS dra_test_refuse_write()`);
    },
  };
}

/**
 * The test database's volume full, and `free` to make room again. SQLite: a real SQLITE_FULL —
 * the file capped at its size plus 100 pages (SQLITE_MAX_PAGE_COUNT caps every connection, the
 * job's worker threads' too), far less than a few thousand rows need. PostgreSQL: disk_full cannot
 * be provoked without filling the server's real disk, so raiseOnLedgerWrite raises SQLSTATE 53100
 * with the server's own wording for it.
 */
export async function fillVolume(t: TestDb): Promise<{ free: () => Promise<void> }> {
  if (testDatabaseKind() === "postgresql") {
    const { undo } = await raiseOnLedgerWrite(t, "disk_full", 'could not extend file "base/16384/16385": No space left on device');
    return { free: undo };
  }
  const pages = sqliteConnection(t.url).pragma("page_count", { simple: true }) as number;
  process.env.SQLITE_MAX_PAGE_COUNT = String(pages + 100);
  await closeAll();
  return {
    free: async () => {
      delete process.env.SQLITE_MAX_PAGE_COUNT;
      await closeAll();
    },
  };
}
