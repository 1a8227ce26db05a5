import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { sqlitePath } from "../config";
import { AppError } from "../errors";
import { isPostgres } from "./adapters";

/*
 * `npm run pipeline -- backup FILE`: a consistent copy of the SQLite database while the server
 * and the scheduled runs keep writing — SQLite's online backup API (better-sqlite3's
 * Database#backup), which copies the pages in steps and starts again when another connection
 * writes in between, so the copy is one committed state. Written to FILE.partial, then renamed:
 * FILE is never half a backup. On PostgreSQL, pg_dump does this.
 */

export interface BackupResult {
  database: string;
  file: string;
  bytes: number;
  pages: number;
  seconds: number;
}

export async function backupDatabase(databaseUrl: string, file: string): Promise<BackupResult> {
  if (isPostgres(databaseUrl)) {
    throw new AppError("bad_request:config", "backup copies a SQLite file; on PostgreSQL use pg_dump (or the server's own backups).");
  }
  const source = sqlitePath(databaseUrl);
  const target = path.resolve(file);
  if (path.resolve(source) === target) throw new AppError("bad_request:config", `The backup file must not be the database itself (${source}).`);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const partial = `${target}.partial`;
  fs.rmSync(partial, { force: true });
  const t0 = performance.now();
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    const done = await db.backup(partial);
    fs.renameSync(partial, target);
    return { database: source, file: target, bytes: fs.statSync(target).size, pages: done.totalPages, seconds: Math.round((performance.now() - t0) / 10) / 100 };
  } catch (e) {
    fs.rmSync(partial, { force: true });
    throw e;
  } finally {
    db.close();
  }
}
