import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "./generated/client";
import { loadConfig } from "../config";
import { BUSY_TIMEOUT_MS, closeSqliteConnections, sqliteConnection } from "./sqlite";

/*
 * All database access goes through lib/db. (Not marked `import "server-only"`: the CLI in
 * scripts/ runs these modules under plain Node, where that guard throws.)
 *
 * One client per database URL per process, kept on globalThis so that Next's dev-mode
 * module reloading does not open a new SQLite connection on every edit.
 */
const g = globalThis as unknown as { __draPrisma?: Map<string, PrismaClient>; __draPrismaUrl?: WeakMap<PrismaClient, string> };

export type Db = PrismaClient;

export function getDb(databaseUrl: string = loadConfig().DATABASE_URL): Db {
  g.__draPrisma ??= new Map();
  let client = g.__draPrisma.get(databaseUrl);
  if (!client) {
    // WAL (set by the plain connection, a property of the file) and the same busy timeout as the
    // bulk path: the CLI, the scheduler, the worker threads and the server write the same file.
    sqliteConnection(databaseUrl);
    client = new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: databaseUrl, timeout: BUSY_TIMEOUT_MS }) });
    // In WAL mode NORMAL is safe against crashes and skips an fsync per commit (FULL is the default).
    void client.$executeRawUnsafe("PRAGMA synchronous = NORMAL").catch(() => undefined);
    g.__draPrisma.set(databaseUrl, client);
    rememberDatabaseUrl(client, databaseUrl);
  }
  return client;
}

/** Record which database a client is on (getDb and the scratch clients of lib/db/scratch.ts). */
export function rememberDatabaseUrl(db: Db, databaseUrl: string): void {
  (g.__draPrismaUrl ??= new WeakMap()).set(db, databaseUrl);
}

/** The database URL a client from getDb() was opened on (the bulk path opens its own connection to the same file). */
export function databaseUrlOf(db: Db): string {
  const url = g.__draPrismaUrl?.get(db);
  if (!url) throw new Error("This Prisma client was not opened by getDb() or openScratchDb(); its database URL is unknown.");
  return url;
}

/** Whether `db` is still this process's open client for its URL (disconnectAll closes them all). */
export function isOpenClient(db: Db): boolean {
  for (const client of g.__draPrisma?.values() ?? []) if (client === db) return true;
  return false;
}

/** Close every client this process opened (CLI exit, tests). */
export async function disconnectAll(): Promise<void> {
  const clients = [...(g.__draPrisma?.values() ?? [])];
  g.__draPrisma?.clear();
  closeSqliteConnections();
  await Promise.all(clients.map((c) => c.$disconnect()));
}
