import { loadConfig } from "./config";
import { applyMigrations } from "./db/migrate";

/** Server start-up: config check and migrations. Exits the process on a bad configuration. */
export async function startServer(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    console.error(`[start] ${(e as Error).message}`);
    process.exit(1);
  }
  applyMigrations(config.DATABASE_URL);
  console.log(`[start] database ${config.DATABASE_URL} is migrated`);
}
