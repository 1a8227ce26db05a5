import fs from "node:fs";
import path from "node:path";
import { sqlitePath } from "../config";
import { AppError } from "../errors";
import { isPostgres, redactUrl } from "./adapters";

/*
 * What the database's storage has said: a full volume (SQLite's SQLITE_FULL, PostgreSQL's
 * disk_full) and a damaged file (SQLITE_CORRUPT, SQLITE_NOTADB, SQLITE_IOERR, PostgreSQL's
 * data_corrupted / index_corrupted / io_error). An error of either kind, wherever a query fails
 * (a route, a job's worker thread, the CLI), becomes an AppError of its own —
 * insufficient_storage:disk_full (507) or unavailable:database_damaged (503) — and is recorded
 * here, per process, so that /api/health reports it (lib/reads/core.ts healthView): degraded
 * while the volume is short of MIN_FREE_MB or the last write failed for space, down (503) from
 * the first damage seen until a restart.
 */

export type StorageProblem = "full" | "damaged";

const FULL_CODES = new Set(["SQLITE_FULL", "53100", "ENOSPC"]);
const FULL_TEXT = /database or disk is full|no space left on device|could not extend file|disk full/i;
const DAMAGED_CODES = /^(SQLITE_CORRUPT|SQLITE_NOTADB|SQLITE_IOERR)|^(XX001|XX002|58030)$/;
const DAMAGED_TEXT = /database disk image is malformed|file is not a database|disk I\/O error|invalid page in block|could not read block/i;

/** Which storage problem an error (or any error in its cause chain) is, if any. */
function storageProblemOf(e: unknown): StorageProblem | null {
  for (let x: unknown = e, depth = 0; x && depth < 6; depth++) {
    const o = x as { code?: unknown; message?: unknown; cause?: unknown; originalCode?: unknown; kind?: unknown };
    const codes = [o.code, o.originalCode].filter((c): c is string => typeof c === "string");
    const text = typeof o.message === "string" ? o.message : "";
    if (codes.some((c) => c === "insufficient_storage:disk_full")) return "full";
    if (codes.some((c) => c === "unavailable:database_damaged")) return "damaged";
    if (codes.some((c) => FULL_CODES.has(c)) || FULL_TEXT.test(text)) return "full";
    if (codes.some((c) => DAMAGED_CODES.test(c)) || DAMAGED_TEXT.test(text)) return "damaged";
    x = o.cause;
  }
  return null;
}

interface Seen {
  /** the last write that failed for space (cleared when space is back) */
  full: { at: Date; message: string } | null;
  /** the first damage seen by this process (kept until a restart) */
  damaged: { at: Date; message: string } | null;
}

const g = globalThis as unknown as { __draStorageSeen?: Seen };
const seen = (): Seen => (g.__draStorageSeen ??= { full: null, damaged: null });

/**
 * The AppError a storage failure deserves (and record it), or null when `e` is no storage
 * failure. `databaseUrl` names the file and its volume in the message.
 */
export function storageError(e: unknown, databaseUrl: string): AppError | null {
  const problem = storageProblemOf(e);
  if (!problem) return null;
  if (e instanceof AppError && (e.code === "insufficient_storage:disk_full" || e.code === "unavailable:database_damaged")) {
    recordStorageProblem(problem, e.message); // from a worker thread: already worded
    return e;
  }
  const why = e instanceof Error ? e.message.split("\n").filter(Boolean).pop()! : String(e);
  recordStorageProblem(problem, why);
  if (problem === "full") {
    const where = isPostgres(databaseUrl)
      ? `the PostgreSQL server of ${redactUrl(databaseUrl)} is out of disk space`
      : `the volume that holds ${sqlitePath(databaseUrl)} is full${freeText(databaseUrl)}`;
    return new AppError(
      "insufficient_storage:disk_full",
      `Nothing was stored: ${where}. Free space there (old backups, reports, logs), or move the database to a larger volume, then try again.`,
    );
  }
  return new AppError(
    "unavailable:database_damaged",
    `The database ${redactUrl(databaseUrl)} is damaged (${why}): stop the server, run npm run pipeline -- check-db, and restore the last backup if it fails.`,
  );
}

/** Record a storage problem this process met (the worker threads' come back through their job's error). */
function recordStorageProblem(problem: StorageProblem, message: string): void {
  const s = seen();
  if (problem === "full") s.full = { at: new Date(), message };
  else s.damaged ??= { at: new Date(), message };
}

/** Free megabytes on the volume of a SQLite file (null on PostgreSQL, or when the folder cannot be read). */
function freeMegabytes(databaseUrl: string): number | null {
  if (isPostgres(databaseUrl)) return null;
  try {
    const st = fs.statfsSync(path.dirname(sqlitePath(databaseUrl)));
    return (st.bavail * st.bsize) / 2 ** 20;
  } catch {
    return null;
  }
}

function freeText(databaseUrl: string): string {
  const mb = freeMegabytes(databaseUrl);
  return mb === null ? "" : ` (${mb.toFixed(0)} MB free on it)`;
}

export interface StorageView {
  status: "ok" | "degraded" | "down";
  /** free MB on the database file's volume (null on PostgreSQL) */
  freeMb: number | null;
  minFreeMb: number;
  /** the last write that failed for space, while space is short */
  lastFull: { at: string; message: string } | null;
  /** the first damage this process saw (until a restart) */
  damaged: { firstSeenAt: string; message: string } | null;
  message?: string;
}

/**
 * The storage part of /api/health. The free space is the volume's, or less the room below the
 * file's page cap (`capRoomMb`: SQLITE_MAX_PAGE_COUNT, a quota) when that is smaller. A failed
 * write for space is forgotten once the free space is MIN_FREE_MB again (and at least 1 MB).
 */
export function storageView(databaseUrl: string, minFreeMb: number, capRoomMb: number | null): StorageView {
  const s = seen();
  const volumeMb = freeMegabytes(databaseUrl);
  const freeMb = volumeMb === null ? capRoomMb : capRoomMb === null ? volumeMb : Math.min(volumeMb, capRoomMb);
  const short = freeMb !== null && freeMb < minFreeMb;
  if (s.full && (freeMb === null ? false : freeMb >= Math.max(minFreeMb, 1))) s.full = null;
  const view: StorageView = {
    status: s.damaged ? "down" : s.full || short ? "degraded" : "ok",
    freeMb: freeMb === null ? null : Math.round(freeMb * 10) / 10,
    minFreeMb,
    lastFull: s.full ? { at: s.full.at.toISOString(), message: s.full.message } : null,
    damaged: s.damaged ? { firstSeenAt: s.damaged.at.toISOString(), message: s.damaged.message } : null,
  };
  if (s.damaged) view.message = `The database is damaged (${s.damaged.message}, first seen ${view.damaged!.firstSeenAt}): run npm run pipeline -- check-db, restore the last backup if it fails, then restart.`;
  else if (s.full) view.message = `The last write failed for lack of space (${s.full.message}): free space on the database's volume.`;
  else if (short) view.message = `Only ${view.freeMb} MB free on the database's volume (MIN_FREE_MB ${minFreeMb}): free space before writes fail.`;
  return view;
}

/** Forget what was seen (tests). */
export function forgetStorageProblems(): void {
  g.__draStorageSeen = { full: null, damaged: null };
}
