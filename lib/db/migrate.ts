import { execFileSync } from "node:child_process";
import Database from "better-sqlite3";
import fs from "node:fs";
import path from "node:path";
import { sqlitePath } from "../config";
import { AppError } from "../errors";
import { providerOf, redactUrl } from "./adapters";
import { backfillLegacyBlobs } from "./legacy-blobs";

/** The migrations folder of the database a URL names (prisma/sqlite/migrations or prisma/postgresql/migrations). */
function migrationsDir(databaseUrl: string, cwd: string = process.cwd()): string {
  return path.join(cwd, "prisma", providerOf(databaseUrl), "migrations");
}

/**
 * Apply pending Prisma migrations to the database DATABASE_URL names, creating its folder.
 * Runs the Prisma CLI (`migrate deploy`, wasm schema engine; see shared/notes/prisma-offline.md)
 * so the migration history stays Prisma's own and `prisma migrate` keeps working on it.
 */
export function applyMigrations(databaseUrl: string, cwd: string = process.cwd()): void {
  const postgres = providerOf(databaseUrl) === "postgresql";
  if (!postgres) {
    fs.mkdirSync(path.dirname(sqlitePath(databaseUrl)), { recursive: true });
    checkDatabaseFile(databaseUrl, cwd);
    if (allMigrationsApplied(databaseUrl, cwd)) return;
    // The any-schema migration moves files' blobs; a file older than the blobs gets them first.
    if (fs.existsSync(sqlitePath(databaseUrl))) backfillLegacyBlobs(sqlitePath(databaseUrl));
  } else {
    // Checked before the CLI: on PostgreSQL Prisma 6.19's wasm schema engine leaves a 10 s timer
    // behind (its advisory-lock timeout), so every `migrate deploy` process lives 10 s longer
    // than its work. A start with nothing to apply skips it.
    const applied = pgAppliedMigrations(databaseUrl, cwd);
    if (applied) {
      const wanted = migrationFolders(databaseUrl, cwd);
      const unknown = applied.filter((n) => !wanted.includes(n));
      if (unknown.length > 0) {
        throw new AppError(
          "unavailable:database",
          `The database ${redactUrl(databaseUrl)} was migrated by a newer version of this app (migration ${unknown.join(", ")} is unknown here): run that version, or restore a backup made for this one.`,
        );
      }
      if (wanted.every((n) => applied.includes(n))) return;
    }
  }
  const cli = path.join(cwd, "node_modules", "prisma", "build", "index.js");
  try {
    execFileSync(process.execPath, [cli, "migrate", "deploy"], {
      cwd,
      env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 120_000,
    });
  } catch (e) {
    const err = e as { stderr?: Buffer; stdout?: Buffer; message: string };
    const out = `${err.stdout?.toString() ?? ""}\n${err.stderr?.toString() ?? ""}`.trim();
    if (postgres) {
      const where = redactUrl(databaseUrl); // no password in messages
      if (/P1001|Can't reach database server/.test(out)) throw new AppError("unavailable:database", `Cannot reach the PostgreSQL server of ${where}: is it running, and does DATABASE_URL name the right host and port?`);
      if (/P1003|does not exist/.test(out)) throw new AppError("unavailable:database", `The database of ${where} does not exist: create it first (createdb, or CREATE DATABASE).`);
      throw new AppError("internal:migrate", `Could not apply database migrations to ${where}: ${out || err.message}`);
    }
    if (/SocketTimeout|database is locked|SQLITE_BUSY/.test(out)) {
      // Prisma's migration engine needs the file to itself (WAL mode: no other connection may be open).
      throw new AppError(
        "unavailable:database",
        `Could not apply the pending database migrations to ${sqlitePath(databaseUrl)}: another process has the database open (a running server, the CLI or a cron job?). Stop it, then start again.`,
      );
    }
    throw new AppError("internal:migrate", `Could not apply database migrations to ${databaseUrl}: ${out || err.message}`);
  }
}

/** The migration folder names of the database's provider. */
function migrationFolders(databaseUrl: string, cwd: string): string[] {
  const dir = migrationsDir(databaseUrl, cwd);
  return fs.readdirSync(dir).filter((n) => fs.statSync(path.join(dir, n)).isDirectory());
}

/**
 * The migrations recorded as applied on a PostgreSQL database, read by a short child process
 * (this function is synchronous, as start-up is); null when that cannot be read (no migrations
 * table yet, server unreachable: the CLI then says what is wrong).
 */
function pgAppliedMigrations(databaseUrl: string, cwd: string): string[] | null {
  const script = `
    const pg = require("pg");
    const c = new pg.Client({ connectionString: process.env.DATABASE_URL, connectionTimeoutMillis: 10000 });
    c.connect()
      .then(() => c.query('SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL'))
      .then((r) => { process.stdout.write(JSON.stringify(r.rows.map((x) => x.migration_name))); return c.end(); })
      .catch(() => { process.stdout.write("null"); return c.end().catch(() => {}); });`;
  try {
    const out = execFileSync(process.execPath, ["-e", script], { cwd, env: { ...process.env, DATABASE_URL: databaseUrl }, encoding: "utf8", timeout: 30_000 });
    return JSON.parse(out) as string[] | null;
  } catch {
    return null;
  }
}

/**
 * True when every migration folder is recorded as applied. Checked before starting the Prisma
 * CLI: it saves a second per CLI call, and `migrate deploy` cannot take its lock on a WAL-mode
 * database that another process (a running server) has open, even with nothing to apply.
 */
function allMigrationsApplied(databaseUrl: string, cwd: string): boolean {
  const file = sqlitePath(databaseUrl);
  if (!fs.existsSync(file)) return false;
  const dir = migrationsDir(databaseUrl, cwd);
  const wanted = fs.readdirSync(dir).filter((n) => fs.statSync(path.join(dir, n)).isDirectory());
  let db: Database.Database | null = null;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const applied = new Set(
      db
        .prepare(`SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`)
        .pluck()
        .all() as string[],
    );
    return wanted.every((n) => applied.has(n));
  } catch {
    return false; // no migrations table yet, or not readable: let the CLI say what is wrong
  } finally {
    db?.close();
  }
}

/**
 * Refuse, with one line that names the file and what is wrong, a database this app cannot use:
 * a file that is not SQLite, a read-only file, or one migrated by a newer version of the app.
 * Throws AppError("unavailable:database"). A missing file is fine (migrations create it).
 */
export function checkDatabaseFile(databaseUrl: string, cwd: string = process.cwd()): void {
  const file = sqlitePath(databaseUrl);
  if (!fs.existsSync(file)) return;
  const refuse = (what: string) => new AppError("unavailable:database", `The database ${file} ${what}.`);
  try {
    fs.accessSync(file, fs.constants.R_OK | fs.constants.W_OK);
  } catch {
    throw refuse("cannot be read and written by this process (read-only file or wrong owner): fix its permissions or point DATABASE_URL elsewhere");
  }
  let db: Database.Database | null = null;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    db.prepare("SELECT count(*) FROM sqlite_master").get();
  } catch (e) {
    db?.close();
    const code = (e as { code?: string }).code;
    if (code === "SQLITE_NOTADB") throw refuse("is not a SQLite database: restore it from a backup or point DATABASE_URL at another file");
    if (code === "SQLITE_CORRUPT") throw refuse("is damaged (SQLite reports corruption): restore it from a backup");
    throw refuse(`cannot be opened: ${(e as Error).message}`);
  }
  try {
    const hasTable = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'`).get();
    if (!hasTable) return;
    const dir = migrationsDir(databaseUrl, cwd);
    const known = new Set(fs.readdirSync(dir));
    const unknown = (db.prepare(`SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`).pluck().all() as string[]).filter(
      (n) => !known.has(n),
    );
    if (unknown.length > 0) {
      throw refuse(`was migrated by a newer version of this app (migration ${unknown.join(", ")} is unknown here): run that version, or restore a backup made for this one`);
    }
  } finally {
    db.close();
  }
}
