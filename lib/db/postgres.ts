import type pg from "pg";
import type { PrismaPg } from "@prisma/adapter-pg";

/*
 * The PostgreSQL twin of lib/db/sqlite.ts: one pg.Pool per database URL per thread, shared by
 * the Prisma client of that URL (PrismaPg over this pool) and the paths that bypass Prisma for
 * speed — bulk ingestion (lib/db/ingest-store.ts) and reading feature columns
 * (lib/db/columns.ts). A worker thread opens its own pool.
 *
 * pg and @prisma/adapter-pg are loaded on first use, not imported: a process on SQLite never
 * loads them (about 50 ms of every CLI start). A plain `require` inside the function: esbuild
 * (the CLI bundle, packages external) keeps it as Node's require, Turbopack resolves it as it does
 * an import (pg is one of Next's server-external packages), vitest and tsx give modules Node's.
 */

let pgModule: typeof import("pg") | null = null;

/** The pg package, loaded (and its type parsers set) on first use. */
export function pgDriver(): typeof import("pg") {
  if (!pgModule) {
    const loaded = require("pg") as typeof import("pg");
    // int8 (count(*), sum of integers) as a JS number: the app's counts stay far below 2^53.
    loaded.types.setTypeParser(20, (v) => Number(v));
    // numeric (sum/avg of integers) as a JS number.
    loaded.types.setTypeParser(1700, (v) => Number(v));
    pgModule = loaded;
  }
  return pgModule;
}

/** @prisma/adapter-pg's PrismaPg class, loaded on first use. */
export function prismaPgClass(): typeof PrismaPg {
  pgDriver(); // the type parsers are set before the adapter's first query
  return (require("@prisma/adapter-pg") as typeof import("@prisma/adapter-pg")).PrismaPg;
}

const pools = new Map<string, pg.Pool>();

export function pgPool(databaseUrl: string): pg.Pool {
  let pool = pools.get(databaseUrl);
  if (!pool) {
    const pg = pgDriver();
    // allowExitOnIdle: idle connections do not keep a script or a worker thread alive.
    // The URL as pg parses it (sslmode and the other query parameters included).
    pool = new pg.Pool({ connectionString: databaseUrl, max: 10, idleTimeoutMillis: 10_000, allowExitOnIdle: true, options: "-c temp_buffers=64MB" });
    // An idle client's connection dropped by the server (restart, failover) must not crash the process.
    pool.on("error", () => undefined);
    pools.set(databaseUrl, pool);
  }
  return pool;
}

/** BEGIN … COMMIT on one pooled connection (ROLLBACK when `fn` throws). */
export async function inPgTransaction<T>(databaseUrl: string, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pgPool(databaseUrl).connect();
  try {
    await client.query("BEGIN");
    const value = await fn(client);
    await client.query("COMMIT");
    client.release();
    return value;
  } catch (e) {
    await client.query("ROLLBACK").catch(() => undefined);
    // A connection that failed mid-COPY is closed rather than handed to the next caller.
    client.release(true);
    throw e;
  }
}

/** Close this thread's pool to one database. */
export async function closePgPool(databaseUrl: string): Promise<void> {
  const pool = pools.get(databaseUrl);
  pools.delete(databaseUrl);
  await pool?.end();
}

/** Close this thread's pools (process exit, tests). */
export async function closePgPools(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  await Promise.all(all.map((p) => p.end().catch(() => undefined)));
}
