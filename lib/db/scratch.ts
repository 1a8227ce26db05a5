import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "./generated/client";
import { rememberDatabaseUrl, type Db } from "./client";
import { closeSqliteConnection } from "./sqlite";

/**
 * A private client for a throw-away database (the timing check's copies). Unlike getDb it is
 * not cached, so closing it never touches the clients the rest of the process shares.
 */
export function openScratchDb(databaseUrl: string): { db: Db; close: () => Promise<void> } {
  const db = new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: databaseUrl }) });
  rememberDatabaseUrl(db, databaseUrl);
  return {
    db,
    close: async () => {
      closeSqliteConnection(databaseUrl);
      await db.$disconnect();
    },
  };
}
