/**
 * npm run db:migrate — apply the pending migrations of the database DATABASE_URL names
 * (SQLite: prisma/sqlite/migrations, PostgreSQL: prisma/postgresql/migrations). `npm start`
 * and the CLI do the same at start-up; this is for a deploy step before the instances start.
 * Exit 0 when the database is up to date, 1 with the reason on stderr.
 */
import { loadConfig } from "../lib/config";
import { applyMigrations } from "../lib/db/migrate";
import { redactUrl } from "../lib/db/adapters";

try {
  const config = loadConfig();
  applyMigrations(config.DATABASE_URL);
  console.log(`database ${redactUrl(config.DATABASE_URL)} is migrated`);
} catch (e) {
  console.error(`error: ${(e as Error).message}`);
  process.exit(1);
}
