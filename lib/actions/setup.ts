import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { z } from "zod";
import { sqlitePath, type Config } from "../config";
import { databaseUrlOf, type Db } from "../db/client";
import { listDatasets } from "../db/datasets";
import { getRunLock } from "../db/runs";
import { readStoredSchema } from "../db/stored-schema";
import { AppError, isAppError } from "../errors";
import { headerNamesOf } from "../csv/csv-text";
import { sha256 } from "../ingestion/ingest";
import { runInWorker } from "../jobs/run-in-worker";
import type { FullConfig } from "../pipeline/full";
import { inspectSetupCsv, type SetupInspectOptions, type SetupInspection } from "../schema/inspect";
import { parseSchema } from "../schema/parse";
import type { DataSchema } from "../schema/types";
import type { PeriodGranularity } from "../time/periods";
import type { SetupStateResponse } from "../validations/setup";
import type { SetupJobInput, SetupProgress } from "./setup-job";

/*
 * The set-up of a first dataset (the /setup page) as lib calls: inspect an upload, then start the
 * set-up — the upload is saved beside the database, and a worker thread stores the schema and
 * replays the file (lib/actions/setup-job.ts). The set-up's state (running, done, failed, the
 * periods replayed) is kept in this server process's memory, per database: a reload of the page
 * finds it; a restart of the server forgets it, while what it wrote (the schema, the runs, the
 * model) stays in the database, where GET /api/setup's `stored` and GET /api/runs show it.
 */

type SetupState = z.infer<typeof SetupStateResponse>;
type Memory = Omit<SetupState, "stored">;

const g = globalThis as unknown as { __draSetups?: Map<string, Memory>; __draSetupJobs?: Set<Promise<void>> };
g.__draSetups ??= new Map();
g.__draSetupJobs ??= new Set();

/** Above this size the inspection runs on a worker thread (as a monitored batch does, lib/batches/submit.ts). */
export const IN_THREAD_INSPECT_BYTES = 1024 * 1024;

/** POST /api/setup/inspect: the column report, proposed schema, leaks and refusals of an upload. */
export async function inspectUpload(db: Db, content: Buffer, options: SetupInspectOptions): Promise<SetupInspection> {
  if (content.length <= IN_THREAD_INSPECT_BYTES) return inspectSetupCsv(content, options);
  return runInWorker({ kind: "inspect", databaseUrl: databaseUrlOf(db), csv: content, options });
}

/** A state with nothing started (fresh arrays each time: a set-up's memory is filled in place). */
const idle = (): Memory => ({ state: "idle", message: null, file: null, by: null, startedAt: null, finishedAt: null, progress: { done: 0, total: null }, periods: [], runs: [] });

/** GET /api/setup: whether a schema is stored, and the state of the set-up this process ran last on this database. */
export async function setupStateView(db: Db): Promise<SetupState> {
  const memory = g.__draSetups!.get(databaseUrlOf(db)) ?? idle();
  return { stored: (await readStoredSchema(db)) !== null, ...memory };
}

export interface SetupInput {
  name: string;
  content: Buffer;
  /** the schema field as sent: JSON of the schema file form */
  schema: string;
  by: PeriodGranularity | null;
}

/**
 * POST /api/setup: check the request, claim the set-up (409 while one runs, when a schema is stored
 * or data exists, or while a pipeline run holds the lock), save the upload and start the worker.
 * Resolves with the state to poll (GET /api/setup) as soon as the job has started.
 */
export async function startSetup(db: Db, config: Config, input: SetupInput): Promise<SetupState> {
  const schema = schemaOf(input.schema);
  if (input.by !== null && schema.time === null) {
    throw new AppError("unprocessable:schema", `"by": "${input.by}" replays the file by period, which needs a time column: set the schema's "time", or send no "by" (the whole file is one period).`);
  }
  checkHeader(input.content, schema, input.name);
  const url = databaseUrlOf(db);
  const running = g.__draSetups!.get(url);
  if (running?.state === "running") {
    throw new AppError("conflict:pipeline", `A set-up is already running (started ${running.startedAt}, file ${running.file}); wait for it to finish (GET /api/setup).`);
  }
  const previous = running;
  const memory: Memory = { ...idle(), state: "running", file: input.name, by: input.by, startedAt: new Date().toISOString(), message: "checking the database" };
  g.__draSetups!.set(url, memory); // claimed before the first await: a second request meanwhile gets 409
  try {
    await checkEmpty(db);
    const file = saveUpload(url, input.content);
    memory.message = "replaying the file";
    startJob(db, memory, { file, name: input.name, by: input.by, minPeriodRows: config.MIN_PERIOD_ROWS, schema, config: fullConfigOf(config) });
    return { stored: false, ...memory };
  } catch (e) {
    if (previous) g.__draSetups!.set(url, previous);
    else g.__draSetups!.delete(url);
    throw e;
  }
}

/** The schema field: JSON of the schema file form, checked by the one schema validator (422 naming the field). */
function schemaOf(text: string): DataSchema {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new AppError("unprocessable:schema", `The field "schema" is not valid JSON (${(e as Error).message}); send the schema file form: { "id", "label", "positive", "time", "features": { "name": "numeric" | "categorical" } }.`);
  }
  return parseSchema(json, 'the field "schema"');
}

/** Every column the schema names must be in the file's header (matched case-insensitively, as the readers do). */
function checkHeader(content: Buffer, schema: DataSchema, name: string): void {
  const header = headerNamesOf(content);
  if (header === null) throw new AppError("bad_request:csv", `${name}: the header line is not valid CSV.`);
  const end = content.indexOf(0x0a);
  const first = content.subarray(0, end < 0 ? content.length : end).toString("utf8");
  const named = [schema.id, schema.label, schema.time, ...schema.features.map((f) => f.name)].filter((c): c is string => c !== null);
  const missing = named.filter((c) => !header.includes(c.toLowerCase()));
  if (missing.length > 0) {
    throw new AppError("unprocessable:csv", `${name} has no column ${missing.map((m) => `"${m}"`).join(", ")}, which the schema names; its header is ${first.slice(0, 300)}`, missing.map((column) => ({ row: 1, column, problem: "the schema names this column; the file's header does not" })));
  }
}

/** 409 unless the database is empty: no stored schema, no data, no run holding the lock. */
async function checkEmpty(db: Db): Promise<void> {
  if ((await readStoredSchema(db)) !== null) {
    throw new AppError("conflict:schema", "A schema is already stored in this database, so the set-up is done (GET /api/schema shows it). To start over with other data, point DATABASE_URL at a new database file.");
  }
  if ((await listDatasets(db, { take: 1 })).length > 0) {
    throw new AppError("conflict:schema", "This database already holds data (see the Data page), so a first dataset cannot be set up here. To start over, point DATABASE_URL at a new database file.");
  }
  const lock = await getRunLock(db);
  if (lock && lock.expiresAt > new Date()) {
    throw new AppError("conflict:pipeline", `A pipeline run is in progress${lock.runId ? ` (run ${lock.runId})` : ""}; wait for it to finish, then set up.`);
  }
}

/** The upload, kept as `setup/<sha256 prefix>.csv` beside the SQLite file (on PostgreSQL in the temp folder): the replay reads it from there. */
function saveUpload(databaseUrl: string, content: Buffer): string {
  const dir = databaseUrl.startsWith("file:") ? path.join(path.dirname(sqlitePath(databaseUrl)), "setup") : path.join(os.tmpdir(), "dra-setup");
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${sha256(content).slice(0, 16)}.csv`);
  fs.writeFileSync(file, content);
  return file;
}

function fullConfigOf(c: Config): FullConfig {
  return { SOURCE_DIR: c.SOURCE_DIR, TEST_DATA: c.TEST_DATA, LOCK_TTL_SECONDS: c.LOCK_TTL_SECONDS, DRIFT_TRIGGER: c.DRIFT_TRIGGER, ALERT_WEBHOOK_URL: c.ALERT_WEBHOOK_URL, REPORT_DIR: c.REPORT_DIR };
}

/** The worker, its progress folded into `memory`; the promise is kept so tests can wait for it (waitForSetups). */
function startJob(db: Db, memory: Memory, input: SetupJobInput): void {
  const onProgress = (data: unknown) => {
    const p = data as SetupProgress;
    if (p.kind === "total") memory.progress.total = p.total;
    else {
      memory.periods.push(p.period);
      memory.runs.push({ period: p.period.key, runId: p.run.id, status: p.run.status, outcome: p.run.outcome, reason: p.run.reason });
      memory.progress.done += 1 + p.period.merged.length;
      memory.message = `replayed ${p.period.label}`;
    }
  };
  const job = runInWorker({ kind: "setup", databaseUrl: databaseUrlOf(db), ...input }, { onProgress })
    .then((result) => {
      const failed = result.runs.find((r) => r.run.status !== "succeeded");
      Object.assign(memory, { state: failed ? "failed" : "done", message: failed ? `the run of ${failed.period} failed: ${failed.run.reason ?? failed.run.error ?? "see the run"}` : result.message });
      if (!failed && memory.progress.total !== null) memory.progress.done = memory.progress.total;
    })
    .catch((e: unknown) => {
      Object.assign(memory, { state: "failed", message: isAppError(e) ? e.message : String(e) });
      console.error("[setup] failed:", memory.message);
    })
    .finally(() => {
      memory.finishedAt = new Date().toISOString();
      g.__draSetupJobs!.delete(job);
    });
  g.__draSetupJobs!.add(job);
}

/** Resolve when every set-up this process started has finished (tests, before their database goes). */
export async function waitForSetups(): Promise<void> {
  while (g.__draSetupJobs!.size > 0) await Promise.all([...g.__draSetupJobs!]);
}
