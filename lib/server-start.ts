import { accessMode } from "./auth/access";
import { loadConfig } from "./config";
import { getDb } from "./db/client";
import { applyMigrations } from "./db/migrate";
import { checkConfiguredSchema } from "./db/stored-schema";
import { redactUrl } from "./db/adapters";
import { refreshDependencyCacheInBackground } from "./diagnostics/dependencies";
import { startSchedule } from "./pipeline/schedule";
import { validateCron } from "./scheduler/schedule";

/**
 * Server start-up: config check (a bad value — including a bad PIPELINE_CRON — exits with a
 * message naming the variable), migrations, the in-app schedule when PIPELINE_CRON is set,
 * and a background refresh of the dependency cache when it is older than a day.
 */
export async function startServer(): Promise<void> {
  let config;
  try {
    config = loadConfig();
    if (config.PIPELINE_CRON) validateCron(config.PIPELINE_CRON);
  } catch (e) {
    console.error(`[start] ${(e as Error).message}`);
    process.exit(1);
  }
  try {
    applyMigrations(config.DATABASE_URL);
  } catch (e) {
    console.error(`[start] ${(e as Error).message}`);
    process.exit(1);
  }
  console.log(`[start] database ${redactUrl(config.DATABASE_URL)} is migrated`);
  const url = config.DATABASE_URL;
  try {
    await checkConfiguredSchema(getDb(url));
  } catch (e) {
    console.error(`[start] ${(e as Error).message}`);
    process.exit(1);
  }
  const mode = await accessMode(getDb(url), config);
  console.log(
    mode === "open"
      ? "[start] access: OPEN — no user and no ADMIN_TOKEN, anyone who reaches the port may read and change everything; add the first admin with `npm run users -- add NAME --role admin`"
      : mode === "token"
        ? "[start] access: reads open, changes need ADMIN_TOKEN (no users yet)"
        : `[start] access: users — pages and reads need a sign-in${config.PUBLIC_READ ? " (PUBLIC_READ=1: reads open)" : ""}${config.TRUST_PROXY && config.AUTH_PROXY_HEADER ? `; auth proxy header ${config.AUTH_PROXY_HEADER}` : ""}`,
  );
  if (config.PIPELINE_CRON) startSchedule(() => getDb(url), config.PIPELINE_CRON, config);
  else console.log("[start] PIPELINE_CRON is not set: no in-app schedule (runs start from the CLI, cron or POST /api/runs)");
  void refreshDependencyCacheInBackground(getDb(url), "server-start", { maxAgeMs: 24 * 3_600_000, timeoutMs: 20_000 });
}
