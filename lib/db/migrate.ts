import { execFileSync } from "node:child_process";
import Database from "better-sqlite3";
import fs from "node:fs";
import path from "node:path";
import { sqlitePath } from "../config";
import { AppError } from "../errors";

/**
 * Apply pending Prisma migrations to the database DATABASE_URL names, creating its folder.
 * Runs the Prisma CLI (`migrate deploy`, wasm schema engine; see shared/notes/prisma-offline.md)
 * so the migration history stays Prisma's own and `prisma migrate` keeps working on it.
 */
export function applyMigrations(databaseUrl: string, cwd: string = process.cwd()): void {
  fs.mkdirSync(path.dirname(sqlitePath(databaseUrl)), { recursive: true });
  if (allMigrationsApplied(databaseUrl, cwd)) return;
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
    throw new AppError("internal:migrate", `Could not apply database migrations to ${databaseUrl}: ${out || err.message}`);
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
  const dir = path.join(cwd, "prisma", "migrations");
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
