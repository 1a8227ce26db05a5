import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "./generated/client";
import { loadConfig } from "../config";

/*
 * All database access goes through lib/db. (Not marked `import "server-only"`: the CLI in
 * scripts/ runs these modules under plain Node, where that guard throws.)
 *
 * One client per database URL per process, kept on globalThis so that Next's dev-mode
 * module reloading does not open a new SQLite connection on every edit.
 */
const g = globalThis as unknown as { __draPrisma?: Map<string, PrismaClient> };

export type Db = PrismaClient;

export function getDb(databaseUrl: string = loadConfig().DATABASE_URL): Db {
  g.__draPrisma ??= new Map();
  let client = g.__draPrisma.get(databaseUrl);
  if (!client) {
    client = new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: databaseUrl }) });
    g.__draPrisma.set(databaseUrl, client);
  }
  return client;
}

/** Close every client this process opened (CLI exit, tests). */
export async function disconnectAll(): Promise<void> {
  const clients = [...(g.__draPrisma?.values() ?? [])];
  g.__draPrisma?.clear();
  await Promise.all(clients.map((c) => c.$disconnect()));
}
