import fs from "node:fs";
import path from "node:path";
import { sqlitePath } from "../config";
import { databaseUrlOf, type Db } from "../db/client";
import { isPostgres } from "../db/adapters";
import { currentSchema, setStoredTestData, storeSchema, storedTestData } from "../db/stored-schema";
import { AppError } from "../errors";
import { prepareSource } from "../ingestion/csv-pieces";
import { headerNamesOf } from "../csv/csv-text";
import { findNewFiles } from "../ingestion/ingest";
import type { DataSchema } from "../schema/types";
import { createRng } from "../stats/random";
import type { PeriodGranularity } from "../time/periods";
import type { FullConfig, FullProcessOptions, RunView } from "./full";
import { replayFiles } from "./replay";
import { splitByPeriod, type SplitPeriod } from "./split-periods";

/*
 * Backfill by period (issue 18): `npm run pipeline -- replay FILE.csv --by month` and the set-up
 * page. The history file is cut on the schema's time column (lib/pipeline/split-periods.ts), and
 * the real full process runs once per period, oldest first: the first period trains and deploys
 * the first model, every later one is scored, drift-checked, and retrains when the trigger fires —
 * what would have happened had the product been running. Each run's facts carry its period.
 *
 * Models are scored on a labelled hold-out. When none is given (`testData`), none is stored for
 * the database and TEST_DATA does not fit the schema, HOLDOUT_SHARE of the first period's rows
 * (a seeded draw) are held out of training, written next to the database and stored as its test
 * data (StoredSchema.testData): the later periods are the future a model never saw.
 */

export interface ReplayFileOptions {
  /** null: the whole file is one period (no time column needed) */
  by: PeriodGranularity | null;
  /** MIN_PERIOD_ROWS: shorter periods are merged into the next */
  minPeriodRows: number;
  /** the name the periods' files (ledger entries) are named after: `<name>_2024-03.csv`; default the file's */
  name?: string;
  /** stored first when the database has none (conflict:schema when it stores another) */
  schema?: DataSchema;
  /** a labelled hold-out CSV; absent: the stored one, TEST_DATA when it fits, else a share of the first period */
  testData?: string | null;
  /** the periods as cut (short ones merged), before the first run */
  onSplit?: (periods: ReplayPeriod[]) => void;
  onRun?: (period: ReplayPeriod, run: RunView) => void;
  fullOptions?: FullProcessOptions;
}

export type ReplayPeriod = Omit<SplitPeriod, "file">;

export interface ReplayFileResult {
  by: PeriodGranularity | null;
  periods: ReplayPeriod[];
  merges: string[];
  testData: { path: string; rows: number; heldOut: boolean };
  runs: { period: string; run: RunView }[];
  message: string;
}

const HOLDOUT_SHARE = 0.2;
const HOLDOUT_SEED = 20261207;

/** Where a database keeps its files: the SQLite file's folder; for PostgreSQL the folder that holds REPORT_DIR. */
function dataDirOf(databaseUrl: string, reportDir: string): string {
  return isPostgres(databaseUrl) ? path.dirname(path.resolve(reportDir)) : path.dirname(path.resolve(sqlitePath(databaseUrl)));
}

/** Whether a CSV's header names every column the schema needs to score (id, features, label). */
function fitsSchema(file: string, schema: DataSchema): boolean {
  if (!fs.existsSync(file)) return false;
  const fd = fs.openSync(file, "r");
  try {
    const buf = Buffer.alloc(64 * 1024);
    const names = headerNamesOf(buf.subarray(0, fs.readSync(fd, buf, 0, buf.length, 0)));
    return names !== null && [schema.id, schema.label, ...schema.features.map((f) => f.name)].every((c) => c === null || names.includes(c.toLowerCase()));
  } finally {
    fs.closeSync(fd);
  }
}

/** Move a seeded HOLDOUT_SHARE of `period`'s records into `testFile` (the rest stay); the rows held out. */
function holdOut(period: SplitPeriod, header: string, testFile: string): number {
  const text = fs.readFileSync(period.file, "utf8").slice(header.length);
  // records as split wrote them: one per line unless a quoted cell holds a newline
  const records: string[] = [];
  let start = 0;
  let quotes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) quotes++;
    else if (c === 10 && quotes % 2 === 0) {
      records.push(text.slice(start, i + 1));
      start = i + 1;
    }
  }
  if (start < text.length) records.push(`${text.slice(start)}\n`);
  const rng = createRng(HOLDOUT_SEED);
  const kept: string[] = [];
  const held: string[] = [];
  for (const r of records) (rng() < HOLDOUT_SHARE ? held : kept).push(r);
  fs.writeFileSync(period.file, header + kept.join(""));
  fs.writeFileSync(testFile, header + held.join(""));
  period.rows = kept.length;
  return held.length;
}

/** The hold-out the runs score on: given, stored, TEST_DATA when it fits, else held out of the first period. */
async function chooseTestData(
  db: Db,
  { given, configured, schema, first, header, testFile }: { given?: string | null; configured: string; schema: DataSchema; first: SplitPeriod; header: string; testFile: string },
): Promise<{ path: string; rows: number; heldOut: boolean }> {
  const stored = await storedTestData(db);
  // the same file replayed again holds the same rows out (a seeded draw), so its periods match the ledger
  const existing = given ?? (stored === testFile ? null : stored) ?? (fitsSchema(configured, schema) ? configured : null);
  if (existing) {
    if (!fs.existsSync(existing)) throw new AppError("conflict:test_data", `The test data file ${existing} does not exist.`);
    if (given && given !== stored) await setStoredTestData(db, path.resolve(given));
    return { path: existing, rows: -1, heldOut: false };
  }
  const rows = holdOut(first, header, testFile);
  if (rows < 2) throw new AppError("unprocessable:replay", `The first period (${first.label}) has too few rows to hold ${Math.round(HOLDOUT_SHARE * 100)} % out as test data; give a test file (--test FILE).`);
  await setStoredTestData(db, testFile);
  return { path: testFile, rows, heldOut: true };
}

/** Replay a history file period by period through the full process (see the top of this file). */
export async function replayFile(ctx: { db: Db; trigger: string }, config: FullConfig, file: string, options: ReplayFileOptions): Promise<ReplayFileResult> {
  if (!fs.existsSync(file)) throw new AppError("unprocessable:replay", `${file} does not exist.`);
  // the schema the periods are read with is the database's from now on (the hold-out is named beside it)
  if (options.schema) await storeSchema(ctx.db, options.schema);
  const schema = await currentSchema(ctx.db);
  if (!options.schema) await storeSchema(ctx.db, schema);
  if (options.by !== null && schema.time === null) {
    throw new AppError("unprocessable:replay", `Replaying by ${options.by} needs the schema's time column, and this schema has none (time: null). Leave out --by to replay the file as one period, or set the time column in a new database's schema.`);
  }
  const sha = (await prepareSource({ path: file }, { split: false })).sha256.slice(0, 12);
  const dataDir = dataDirOf(databaseUrlOf(ctx.db), config.REPORT_DIR);
  const stage = path.join(dataDir, `replay-${sha}`);
  fs.rmSync(stage, { recursive: true, force: true });
  try {
    const split = await splitByPeriod(file, stage, { schema, by: options.by, minPeriodRows: options.minPeriodRows, name: options.name });
    if (split.rows < 2 * options.minPeriodRows) {
      throw new AppError("unprocessable:replay", `${path.basename(file)} has ${split.rows} data rows; a replay needs at least 2 × MIN_PERIOD_ROWS = ${2 * options.minPeriodRows} (one period to train on, one to check).`);
    }
    const testData = await chooseTestData(ctx.db, { given: options.testData, configured: config.TEST_DATA, schema, first: split.periods[0], header: split.header, testFile: path.join(dataDir, `holdout-${sha}.csv`) });
    options.onSplit?.(split.periods.map(publicPeriod));
    const byName = new Map(split.periods.map((p) => [path.basename(p.file), p]));
    // a replay stopped half-way resumes: periods whose content is in the ledger are skipped
    const fresh = new Set(await findNewFiles(ctx.db, stage));
    const names = [...byName.keys()].filter((n) => fresh.has(n));
    const runs: { period: string; run: RunView }[] = [];
    await replayFiles(ctx, { ...config, SOURCE_DIR: stage, TEST_DATA: testData.path }, names, options.fullOptions, (name, run) => {
      const period = byName.get(name)!;
      runs.push({ period: period.key, run });
      options.onRun?.(publicPeriod(period), run);
    });
    const periods = split.periods.map(publicPeriod);
    const failed = runs.find((r) => r.run.status !== "succeeded");
    return {
      by: options.by,
      periods,
      merges: split.merges,
      testData,
      runs,
      message: `${periods.length} period(s) of ${path.basename(file)}${options.by ? ` by ${options.by}` : ""}: ${runs.length} run(s) (${runs.map((r) => r.run.outcome ?? r.run.status).join(", ")})${failed ? `; stopped at ${failed.period}: ${failed.run.error ?? failed.run.status}` : ""}${split.merges.length ? `; ${split.merges.join("; ")}` : ""}${testData.heldOut ? `; ${testData.rows} rows of the first period held out as test data (${testData.path})` : ""}`,
    };
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
}

function publicPeriod({ file: _file, ...p }: SplitPeriod): ReplayPeriod {
  return p;
}
