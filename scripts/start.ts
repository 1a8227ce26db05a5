/**
 * `npm start`: validate the configuration, prepare the database (migrations, demo data, a
 * deployed model), build the app when its sources changed since the last build, then serve.
 */
import { spawnSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { loadConfig } from "../lib/config";
import { redactUrl } from "../lib/db/adapters";
import { disconnectAll, getDb } from "../lib/db/client";
import { configuredSchema, readStoredSchema } from "../lib/db/stored-schema";
import { isAppError } from "../lib/errors";
import { firstStart } from "./first-start";
import { serverEnv } from "./lib/processes";
import { buildIsCurrent, sourceStamp, STAMP_FILE } from "./source-stamp";
import { ROOT } from "./lib/root";

async function main() {
  const config = loadConfig();
  await firstStart();
  const serving = await whatIsServed(config.DATABASE_URL);
  await disconnectAll();
  const nextBin = path.join(ROOT, "node_modules", "next", "dist", "bin", "next");
  // PORT also tells server-side prefetches (lib/queries/fetcher.ts) where this server listens.
  const env = { ...process.env, PORT: String(config.PORT), NEXT_TELEMETRY_DISABLED: "1" };
  const stamp = sourceStamp();
  if (!buildIsCurrent(stamp) || process.argv.includes("--rebuild")) {
    process.stdout.write("building the dashboard (next build)…\n");
    const b = spawnSync(process.execPath, [nextBin, "build"], { cwd: ROOT, env, stdio: "inherit" });
    if (b.status !== 0) process.exit(b.status ?? 1);
    fs.writeFileSync(STAMP_FILE, stamp);
  }
  process.stdout.write(`serving on http://${config.HOSTNAME ?? "localhost"}:${config.PORT}${config.HOSTNAME ? "" : " (every interface; HOSTNAME binds one)"}\n${serving}\n`);
  // scripts/serve.ts: Next's handler behind a server that answers wrong methods (TRACE too) itself.
  const bind = config.HOSTNAME ? ["--hostname", config.HOSTNAME] : [];
  // scripts/cli.cjs: the server starts from the cached bundle, without compiling TypeScript.
  const server = spawn(process.execPath, [path.join(ROOT, "scripts", "cli.cjs"), "serve", "--port", String(config.PORT), ...bind], { cwd: ROOT, env: serverEnv(env), stdio: "inherit" });
  for (const sig of ["SIGINT", "SIGTERM"] as const) process.on(sig, () => server.kill(sig));
  server.on("exit", (code) => process.exit(code ?? 0));
}

/** The database and the schema this start serves, in two lines for the terminal. */
async function whatIsServed(databaseUrl: string): Promise<string> {
  const db = getDb(databaseUrl);
  const stored = await readStoredSchema(db);
  const s = stored ?? configuredSchema();
  const numeric = s.features.filter((f) => f.type === "numeric").length;
  const where = stored ? "stored in the database" : `from ${process.env.SCHEMA_FILE || "data/schema.json"}, stored at the first ingestion`;
  return [
    `  database: ${redactUrl(databaseUrl)}`,
    `  schema (${where}): label ${s.label} (positive ${JSON.stringify(s.positive)}), id ${s.id ?? "none"}, time ${s.time ?? "none"}, ${s.features.length} features (${numeric} numeric, ${s.features.length - numeric} categorical)`,
  ].join("\n");
}

main().catch((e) => {
  process.stderr.write(`start failed: ${isAppError(e) ? e.message : (e as Error).stack}\n`);
  process.exit(1);
});
