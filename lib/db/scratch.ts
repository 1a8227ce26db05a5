import { createClient, rememberDatabaseUrl, type Db } from "./client";
import { providerOf } from "./adapters";
import { closePgPool } from "./postgres";
import { closeSqliteConnection } from "./sqlite";

/**
 * A private client for a throw-away database (the timing check's copies). Unlike getDb it is
 * not cached, so closing it never touches the clients the rest of the process shares.
 */
export function openScratchDb(databaseUrl: string): { db: Db; close: () => Promise<void> } {
  const db = createClient(databaseUrl);
  rememberDatabaseUrl(db, databaseUrl);
  return {
    db,
    close: async () => {
      await db.$disconnect();
      if (providerOf(databaseUrl) === "postgresql") await closePgPool(databaseUrl);
      else closeSqliteConnection(databaseUrl);
    },
  };
}
