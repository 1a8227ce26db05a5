import fs from "node:fs";
import path from "node:path";
import { sqlitePath } from "../config";
import { AppError } from "../errors";
import { isPostgres, redactUrl } from "./adapters";
import type { Db } from "./client";

/*
 * What the database's storage has said: a full volume (SQLite's SQLITE_FULL, PostgreSQL's
 * disk_full) and a damaged file (SQLITE_CORRUPT, SQLITE_NOTADB, SQLITE_IOERR, PostgreSQL's
 * data_corrupted / index_corrupted / io_error). An error of either kind, wherever a query fails
 * (a route, a job's worker thread, the CLI), becomes an AppError of its own —
 * insufficient_storage:disk_full (507) or unavailable:database_damaged (503) — and is recorded
 * here, per process, so that /api/health reports it (lib/reads/core.ts healthView): degraded
 * while the volume is short of MIN_FREE_MB or the last write failed for space, down (503) from
 * the first damage seen until a restart. A worker thread's sightings travel back to the thread
 * that started its job with the job's answer (storageSightings / adoptStorageSightings).
 * A write refused because the database takes none (PostgreSQL's read_only_sql_transaction: a
 * standby, a server in recovery; SQLite's SQLITE_READONLY) answers 503
 * unavailable:database_read_only; /api/health asks PostgreSQL pg_is_in_recovery() itself.
 *
 * Where the codes are: better-sqlite3 and pg throw errors with `code` (SQLITE_FULL, or the
 * SQLSTATE, e.g. 53100). Through Prisma on SQLite, a PrismaClientKnownRequestError whose `code`
 * is SQLite's (model and raw queries alike); on PostgreSQL, a model query throws a
 * DriverAdapterError whose `cause` holds `code` / `originalCode`, a raw query ($queryRaw,
 * $executeRaw) a PrismaClientKnownRequestError P2010 whose `meta.driverAdapterError.cause` holds
 * them. Checked against real errors of both databases in storage-health.test.ts.
 */

export type StorageProblem = "full" | "damaged" | "read_only";

const FULL_CODES = new Set(["SQLITE_FULL", "53100", "ENOSPC"]);
const FULL_TEXT = /database or disk is full|no space left on device|could not extend file|disk full/i;
const DAMAGED_CODES = /^(SQLITE_CORRUPT|SQLITE_NOTADB|SQLITE_IOERR)|^(XX001|XX002|58030)$/;
const DAMAGED_TEXT = /database disk image is malformed|file is not a database|disk I\/O error|invalid page in block|could not read block/i;
const READ_ONLY_CODES = /^SQLITE_READONLY|^25006$/;

/** The app's own codes for them (an AppError from a worker thread is already worded). */
const PROBLEM_OF_APP_CODE = new Map<unknown, StorageProblem>([
  ["insufficient_storage:disk_full", "full"],
  ["unavailable:database_damaged", "damaged"],
  ["unavailable:database_read_only", "read_only"],
]);

/** The problem one error object's own codes and message name (not its causes'). */
function ownProblem(o: { code?: unknown; message?: unknown; originalCode?: unknown }): StorageProblem | null {
  const codes = [o.code, o.originalCode].filter((c): c is string => typeof c === "string");
  const text = typeof o.message === "string" ? o.message : "";
  const own = codes.map((c) => PROBLEM_OF_APP_CODE.get(c)).find(Boolean);
  if (own) return own;
  if (codes.some((c) => FULL_CODES.has(c)) || FULL_TEXT.test(text)) return "full";
  if (codes.some((c) => DAMAGED_CODES.test(c)) || DAMAGED_TEXT.test(text)) return "damaged";
  if (codes.some((c) => READ_ONLY_CODES.test(c))) return "read_only";
  return null;
}

/** Which storage problem an error (or any error in its cause chain, or a Prisma raw query's driver error) is, if any. */
function storageProblemOf(e: unknown): StorageProblem | null {
  const queue: unknown[] = [e];
  for (let seen = 0; queue.length > 0 && seen < 12; seen++) {
    const x = queue.shift();
    if (!x || typeof x !== "object") continue;
    const o = x as { code?: unknown; message?: unknown; cause?: unknown; originalCode?: unknown; meta?: { driverAdapterError?: unknown } };
    const problem = ownProblem(o);
    if (problem) return problem;
    queue.push(o.cause, o.meta?.driverAdapterError);
  }
  return null;
}

/** Whether `e` is a full volume, a damaged or a read-only database rather than a fault of the request or the file. */
export function isStorageFailure(e: unknown): boolean {
  return storageProblemOf(e) !== null;
}

interface Seen {
  /** the last write that failed for space (cleared when space is back, or a later write succeeded) */
  full: { at: Date; message: string } | null;
  /** the first damage seen by this process (kept until a restart) */
  damaged: { at: Date; message: string } | null;
  /** the last write of data (an ingested file) that succeeded */
  wroteAt: Date | null;
}

const g = globalThis as unknown as { __draStorageSeen?: Seen; __draRecovery?: Map<string, { at: number; answer: Promise<boolean | null> }> };
const seen = (): Seen => (g.__draStorageSeen ??= { full: null, damaged: null, wroteAt: null });

/**
 * The AppError a storage failure deserves (and record it), or null when `e` is no storage
 * failure. `databaseUrl` names the file and its volume in the message.
 */
export function storageError(e: unknown, databaseUrl: string): AppError | null {
  const problem = storageProblemOf(e);
  if (!problem) return null;
  if (e instanceof AppError && PROBLEM_OF_APP_CODE.has(e.code)) {
    recordStorageProblem(problem, e.message); // from a worker thread: already worded
    return e;
  }
  const why = e instanceof Error ? e.message.split("\n").filter(Boolean).pop()! : String(e);
  recordStorageProblem(problem, why);
  if (problem === "full") {
    const where = isPostgres(databaseUrl)
      ? `the PostgreSQL server of ${redactUrl(databaseUrl)} is out of disk space (${why})`
      : `the volume that holds ${sqlitePath(databaseUrl)} is full${freeText(databaseUrl)}`;
    return new AppError(
      "insufficient_storage:disk_full",
      `Nothing was stored: ${where}. Free space there (old backups, reports, logs), or move the database to a larger volume, then try again.`,
    );
  }
  if (problem === "read_only") {
    return new AppError(
      "unavailable:database_read_only",
      isPostgres(databaseUrl)
        ? `Nothing was stored: the PostgreSQL server of ${redactUrl(databaseUrl)} takes no writes (${why}) — a standby, or a server in recovery. Point DATABASE_URL at the primary, or wait until this server is promoted.`
        : `Nothing was stored: ${sqlitePath(databaseUrl)} cannot be written (${why}). Make the file and its folder writable by the server (a read-only volume or file permissions).`,
    );
  }
  return new AppError(
    "unavailable:database_damaged",
    `The database ${redactUrl(databaseUrl)} is damaged (${why}): stop the server, run npm run pipeline -- check-db, and restore the last backup if it fails.`,
  );
}

/** Record a storage problem this process met (the worker threads' come back with their job's answer). A read-only database is not recorded: health asks the server. */
function recordStorageProblem(problem: StorageProblem, message: string): void {
  const s = seen();
  if (problem === "full") s.full = { at: new Date(), message };
  else if (problem === "damaged") s.damaged ??= { at: new Date(), message };
}

/**
 * A write of data succeeded (a file's rows committed): the last write no longer failed for space.
 * On PostgreSQL, whose free space the app cannot see, this is what ends a `degraded` after a
 * disk_full; on SQLite the free space on the volume says it too.
 */
export function noteWriteSucceeded(): void {
  const s = seen();
  s.wroteAt = new Date();
  s.full = null;
}

/** What this thread has seen, as plain data: a worker thread sends it with its job's answer. */
export type StorageSightings = Seen;

export function storageSightings(): StorageSightings {
  return { ...seen() };
}

/** Take in what a worker thread saw: its damage (the first sighting stays), its space failure or a write that succeeded since. */
export function adoptStorageSightings(theirs: StorageSightings | undefined): void {
  if (!theirs) return;
  const s = seen();
  if (theirs.damaged && (!s.damaged || theirs.damaged.at < s.damaged.at)) s.damaged = theirs.damaged;
  // the worker's last write outcome: a failure for space, or (none since) a write that succeeded
  if (theirs.full) {
    if (!s.full || theirs.full.at >= s.full.at) s.full = theirs.full;
  } else if (theirs.wroteAt && s.full && theirs.wroteAt >= s.full.at) s.full = null;
  if (theirs.wroteAt && (!s.wroteAt || theirs.wroteAt > s.wroteAt)) s.wroteAt = theirs.wroteAt;
}

/** How long /api/health reuses PostgreSQL's answer to pg_is_in_recovery() (it is polled by load balancers). */
export const RECOVERY_CHECK_MS = 5_000;

/**
 * Whether the PostgreSQL server is in recovery (a hot standby, or a primary being restored): it
 * serves reads and refuses every write. Asked at most once per RECOVERY_CHECK_MS per database
 * (concurrent health checks share one question); null on SQLite or when the server did not answer.
 */
export async function serverInRecovery(db: Pick<Db, "$queryRaw">, databaseUrl: string, now: number = Date.now()): Promise<boolean | null> {
  if (!isPostgres(databaseUrl)) return null;
  const cache = (g.__draRecovery ??= new Map());
  const hit = cache.get(databaseUrl);
  if (hit && now - hit.at < RECOVERY_CHECK_MS) return hit.answer;
  const answer = db
    .$queryRaw<{ inRecovery: boolean }[]>`SELECT pg_is_in_recovery() AS "inRecovery"`
    .then((rows) => rows[0]?.inRecovery === true)
    .catch(() => {
      cache.delete(databaseUrl); // no answer: ask again next time
      return null;
    });
  cache.set(databaseUrl, { at: now, answer });
  return answer;
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
  /** PostgreSQL's pg_is_in_recovery(): true on a standby, which takes no writes; null on SQLite */
  inRecovery: boolean | null;
  message?: string;
}

/**
 * The storage part of /api/health. The free space is the volume's, or less the room below the
 * file's page cap (`capRoomMb`: SQLITE_MAX_PAGE_COUNT, a quota) when that is smaller. A failed
 * write for space is forgotten once the free space is MIN_FREE_MB again (and at least 1 MB), or
 * once a later write succeeded. A server in recovery is `degraded`: reads work, writes fail.
 */
export function storageView(
  databaseUrl: string,
  { minFreeMb, capRoomMb, inRecovery }: { minFreeMb: number; capRoomMb: number | null; inRecovery: boolean | null },
): StorageView {
  const s = seen();
  const volumeMb = freeMegabytes(databaseUrl);
  const freeMb = volumeMb === null ? capRoomMb : capRoomMb === null ? volumeMb : Math.min(volumeMb, capRoomMb);
  const short = freeMb !== null && freeMb < minFreeMb;
  if (s.full && (freeMb === null ? false : freeMb >= Math.max(minFreeMb, 1))) s.full = null;
  const view: StorageView = {
    status: s.damaged ? "down" : s.full || short || inRecovery ? "degraded" : "ok",
    freeMb: freeMb === null ? null : Math.round(freeMb * 10) / 10,
    minFreeMb,
    lastFull: s.full ? { at: s.full.at.toISOString(), message: s.full.message } : null,
    damaged: s.damaged ? { firstSeenAt: s.damaged.at.toISOString(), message: s.damaged.message } : null,
    inRecovery,
  };
  if (s.damaged) view.message = `The database is damaged (${s.damaged.message}, first seen ${view.damaged!.firstSeenAt}): run npm run pipeline -- check-db, restore the last backup if it fails, then restart.`;
  else if (inRecovery) view.message = "The PostgreSQL server is in recovery (a standby, or a primary being restored): reads work, every write fails (503 unavailable:database_read_only) until it is promoted or DATABASE_URL names the primary.";
  else if (s.full) view.message = `The last write failed for lack of space (${s.full.message}): free space on the database's volume.`;
  else if (short) view.message = `Only ${view.freeMb} MB free on the database's volume (MIN_FREE_MB ${minFreeMb}): free space before writes fail.`;
  return view;
}

/** Forget what was seen and PostgreSQL's cached recovery answer, as a restart does (tests). */
export function forgetStorageProblems(): void {
  g.__draStorageSeen = { full: null, damaged: null, wroteAt: null };
  g.__draRecovery?.clear();
}
