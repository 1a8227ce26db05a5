import { PrismaClient } from "./generated/client";
import { PrismaClient as PgPrismaClient } from "./generated-pg/client";
import { loadConfig } from "../config";
import { providerOf, runtimeAdapter, type Provider } from "./adapters";
import { closePgPools } from "./postgres";
import { BUSY_TIMEOUT_MS, closeSqliteConnections, maxPageCount, sqliteConnection } from "./sqlite";

/*
 * All database access goes through lib/db. (Not marked `import "server-only"`: the CLI in
 * scripts/ runs these modules under plain Node, where that guard throws.)
 *
 * One client per database URL per process, kept on globalThis so that Next's dev-mode
 * module reloading does not open a new SQLite connection on every edit.
 */
const g = globalThis as unknown as { __draPrisma?: Map<string, PrismaClient>; __draPrismaUrl?: WeakMap<PrismaClient, string> };

/**
 * One type for both databases: the SQLite client's. The PostgreSQL client (generated from the
 * same models, prisma/models.prisma) has the same model API and row types; the two generated
 * classes are not mutually assignable only over PostgreSQL-only options (isolation levels,
 * skipDuplicates, mode), which the app does not use.
 */
export type Db = PrismaClient;

/**
 * A new client for this URL: SQLite for `file:`, PostgreSQL (over this thread's pool) for
 * `postgresql://`, with the driver adapter of lib/db/adapters.ts. Both generated clients are
 * imported (about 1–2 ms for the one not used; its query compiler is loaded only by a first query),
 * while pg and @prisma/adapter-pg load only for a PostgreSQL URL (lib/db/postgres.ts).
 */
export function createClient(databaseUrl: string, { timeoutMs }: { timeoutMs?: number } = {}): Db {
  const adapter = runtimeAdapter(databaseUrl, { timeoutMs });
  if (providerOf(databaseUrl) === "postgresql") return new PgPrismaClient({ adapter }) as unknown as Db;
  return new PrismaClient({ adapter });
}

export function getDb(databaseUrl: string = loadConfig().DATABASE_URL): Db {
  g.__draPrisma ??= new Map();
  let client = g.__draPrisma.get(databaseUrl);
  if (!client) {
    if (providerOf(databaseUrl) === "postgresql") {
      client = createClient(databaseUrl);
    } else {
      // WAL (set by the plain connection, a property of the file) and the same busy timeout as the
      // bulk path: the CLI, the scheduler, the worker threads and the server write the same file.
      sqliteConnection(databaseUrl);
      client = createClient(databaseUrl, { timeoutMs: BUSY_TIMEOUT_MS });
      // In WAL mode NORMAL is safe against crashes and skips an fsync per commit (FULL is the default).
      void client.$executeRawUnsafe("PRAGMA synchronous = NORMAL").catch(() => undefined);
      const cap = maxPageCount();
      if (cap) void client.$executeRawUnsafe(`PRAGMA max_page_count = ${cap}`).catch(() => undefined);
    }
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

/** The database kind a client from getDb() / openScratchDb() is on. */
export function providerOfDb(db: Db): Provider {
  return providerOf(databaseUrlOf(db));
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
  await closePgPools();
}
