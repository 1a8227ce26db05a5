import { spawnSync } from "node:child_process";
import { sqlitePath } from "../config";
import { isPostgres, redactUrl } from "./adapters";
import { inPgTransaction } from "./postgres";

/*
 * `npm run pipeline -- check-db [--full] [--timeout S]`: is the database file sound? On SQLite,
 * `PRAGMA quick_check` (or `integrity_check` with --full) on a read-only connection in a child
 * process, stopped after the time limit (a check of a large file can take minutes; the server
 * keeps running meanwhile). On PostgreSQL the server owns its files: whether it answers and
 * whether it is in recovery (`pg_is_in_recovery()`); pg_amcheck checks its indexes.
 */

export interface DbCheck {
  database: string;
  check: "quick_check" | "integrity_check" | "postgresql";
  ok: boolean;
  /** what the check found wrong (the first 20 lines), or why it could not run */
  problems: string[];
  seconds: number;
  advice: string;
}

const CHILD = `
const Database = require("better-sqlite3");
const [file, pragma] = process.argv.slice(1);
try {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  const rows = db.pragma(pragma).map((r) => Object.values(r)[0]);
  process.stdout.write(JSON.stringify({ rows }));
} catch (e) {
  process.stdout.write(JSON.stringify({ error: String(e && e.message || e) }));
}`;

export async function checkDatabase(databaseUrl: string, { full = false, timeoutS = 600 }: { full?: boolean; timeoutS?: number } = {}): Promise<DbCheck> {
  const t0 = performance.now();
  const seconds = () => Math.round((performance.now() - t0) / 10) / 100;
  if (isPostgres(databaseUrl)) {
    try {
      const recovery = await inPgTransaction(databaseUrl, async (c) => (await c.query("SELECT pg_is_in_recovery() AS r")).rows[0].r as boolean);
      return { database: redactUrl(databaseUrl), check: "postgresql", ok: !recovery, problems: recovery ? ["the server is in recovery (a standby, or replaying its log after a crash): it takes no writes"] : [], seconds: seconds(), advice: recovery ? "Wait for the recovery to end, or point DATABASE_URL at the primary." : "The server answers and takes writes; pg_amcheck checks its tables and indexes." };
    } catch (e) {
      return { database: redactUrl(databaseUrl), check: "postgresql", ok: false, problems: [(e as Error).message], seconds: seconds(), advice: "The server does not answer: check that it runs and that DATABASE_URL names it." };
    }
  }
  const file = sqlitePath(databaseUrl);
  const check = full ? "integrity_check" : "quick_check";
  const r = spawnSync(process.execPath, ["-e", CHILD, file, check], { encoding: "utf8", timeout: timeoutS * 1000, cwd: process.cwd() });
  const out = r.error || r.status !== 0 || !r.stdout ? { error: r.error?.message ?? (r.signal ? `stopped after ${timeoutS} s (--timeout)` : r.stderr.trim() || "the check did not run") } : (JSON.parse(r.stdout) as { rows?: string[]; error?: string });
  const problems = out.error ? [out.error] : (out.rows ?? []).filter((x) => x !== "ok").slice(0, 20);
  const ok = !out.error && problems.length === 0;
  return {
    database: file,
    check,
    ok,
    problems,
    seconds: seconds(),
    advice: ok
      ? full
        ? "The file is sound."
        : "The file passed the quick check (--full reads every index too)."
      : `The file is damaged or unreadable. Stop the server and the scheduled runs, keep a copy of ${file} for inspection, restore the last backup over it, and start again (the CSVs ingested since that backup are ingested again at the next run).`,
  };
}
