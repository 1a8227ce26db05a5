/**
 * Prepare the database that DATABASE_URL names: apply migrations; on an empty database replay
 * the source folder through the full process one file (month) per run, otherwise ingest what
 * is new and train/score/deploy a first model if none is deployed. Safe to run again: nothing
 * already ingested is ingested twice.
 */
import { loadConfig } from "../lib/config";
import { disconnectAll, getDb } from "../lib/db/client";
import { applyMigrations } from "../lib/db/migrate";
import { redactUrl } from "../lib/db/adapters";
import { isAppError } from "../lib/errors";
import { prepareFirstStart } from "../lib/pipeline/first-start";

export async function firstStart(): Promise<void> {
  const config = loadConfig();
  const t0 = performance.now();
  applyMigrations(config.DATABASE_URL);
  const db = getDb(config.DATABASE_URL);
  const r = await prepareFirstStart(db, config, (file, run) =>
    process.stdout.write(`first start: ${file} → run ${run.id} ${run.status}${run.outcome ? ` / ${run.outcome}` : ""}\n`),
  );
  for (const f of r.seeded?.ingest.failed ?? []) process.stderr.write(`warning: ${f.name} was not ingested: ${f.message}\n`);
  const ingested = r.seeded ? `ingested ${r.seeded.ingest.ingested.length} new file(s); ` : "";
  process.stdout.write(`first start: database ${redactUrl(config.DATABASE_URL)}; ${ingested}${r.message} (${Math.round(performance.now() - t0)} ms)\n`);
}

if (require.main === module) {
  firstStart()
    .then(() => disconnectAll())
    .catch(async (e) => {
      process.stderr.write(`first start failed: ${isAppError(e) ? e.message : (e as Error).stack}\n`);
      await disconnectAll().catch(() => undefined);
      process.exit(1);
    });
}
