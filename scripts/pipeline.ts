/**
 * Cron-friendly CLI for the pipeline steps:
 *   npm run pipeline -- ingest | train | score [--model ID] | deploy [--model ID] [--reason TEXT] | full
 *                       | replay [DIR]   (one full-process run per new CSV of DIR, default SOURCE_DIR, in name order)
 *                       | replay FILE.csv [--by day|week|month|quarter|year] [--test TEST.csv]
 *                         (a history file cut on the schema's time column, one run per period, oldest first)
 *   npm run pipeline -- timing [--iterations N] | dependencies | report
 *   npm run pipeline -- schema infer FILE.csv --label COL [--id COL] [--time COL] [--positive V]
 *                       (a proposed SCHEMA_FILE on stdout, the column report on stderr)
 *                     | schema check [FILE]   (FILE default: SCHEMA_FILE, else data/schema.json)
 *   npm run pipeline -- check-db [--full] [--timeout S]   (is the database file sound? no migration is run first)
 *   npm run pipeline -- backup FILE   (a consistent copy of the SQLite file while others write)
 * Exit code 0 on success, 1 on failure with the reason on stderr, 2 on a usage error.
 */
import fs from "node:fs";
import { loadConfig } from "../lib/config";
import { disconnectAll, getDb } from "../lib/db/client";
import { applyMigrations } from "../lib/db/migrate";
import { storageError } from "../lib/db/storage-health";
import { isAppError } from "../lib/errors";
import { ingestFolder } from "../lib/ingestion/ingest";
import { cliActor, setProcessActor } from "../lib/actor";
import { recordAudit } from "../lib/auth/audit";
import { checkConfiguredSchema, currentSchema } from "../lib/db/stored-schema";
import { PERIOD_GRANULARITIES, type PeriodGranularity } from "../lib/time/periods";
import type { Db } from "../lib/db/client";
import type { Config } from "../lib/config";

/*
 * Only what every command (and `ingest`, the one cron runs most) needs is imported here; each
 * other command loads its modules when it runs (`await import`, lazily initialised within the CLI
 * bundle), so that a start does not load training, reports, the dependency check and their npm
 * packages (ml-matrix, semver, csv-parse, child_process) it will not use.
 */
const USAGE = "usage: npm run pipeline -- <ingest|train|score|deploy|full|replay [DIR]|replay FILE.csv [--by day|week|month|quarter|year] [--test FILE]|timing|dependencies|report|schema infer|schema check|check-db [--full]|backup FILE> [--model ID] [--reason TEXT] [--iterations N]";

/** check-db and backup work on the file as it is, without migrations (a damaged file must not be written). */
async function fileCommand([command, ...args]: string[]): Promise<number> {
  if (command === "backup") {
    if (!args[0] || args[0].startsWith("--")) {
      process.stderr.write(`backup needs the file to write: npm run pipeline -- backup FILE\n${USAGE}\n`);
      return 2;
    }
    const { backupDatabase } = await import("../lib/db/backup");
    log(await backupDatabase(loadConfig().DATABASE_URL, args[0]));
    return 0;
  }
  return checkDbCommand(args);
}

/** check-db: exit 1 when the file is not sound, with what to do. */
async function checkDbCommand(args: string[]): Promise<number> {
  const timeout = Number(flag(args, "timeout") ?? 600);
  const { checkDatabase } = await import("../lib/db/check-db");
  const r = await checkDatabase(loadConfig().DATABASE_URL, { full: args.includes("--full"), timeoutS: Number.isFinite(timeout) && timeout > 0 ? timeout : 600 });
  log(r);
  if (!r.ok) process.stderr.write(`error: ${r.problems[0] ?? "the check failed"}. ${r.advice}\n`);
  return r.ok ? 0 : 1;
}

/** replay FILE.csv [--by G] [--test FILE]: the history file period by period (lib/pipeline/replay-file.ts). */
async function replayFileCommand(db: Db, config: Config, [file, ...args]: string[]): Promise<number> {
  const { replayFile } = await import("../lib/pipeline/replay-file");
  const by = flag(args, "by") ?? null;
  if (by !== null && !(PERIOD_GRANULARITIES as readonly string[]).includes(by)) {
    process.stderr.write(`--by must be one of ${PERIOD_GRANULARITIES.join(", ")} (got "${by}")\n${USAGE}\n`);
    return 2;
  }
  if (by !== null && (await currentSchema(db)).time === null) {
    process.stderr.write(`--by ${by} needs the schema's time column, and the schema has none (time: null): leave out --by to replay the file as one period\n${USAGE}\n`);
    return 2;
  }
  const r = await replayFile({ db, trigger: "cli" }, config, file, {
    by: by as PeriodGranularity | null,
    minPeriodRows: config.MIN_PERIOD_ROWS,
    testData: flag(args, "test") ?? null,
    fullOptions: { dependencies: "skip" },
    onRun: (period, run) => process.stderr.write(`${period.label} (${period.rows} rows) → run ${run.id} ${run.status}${run.outcome ? ` / ${run.outcome}` : ""}\n`),
  });
  for (const m of r.merges) process.stderr.write(`note: ${m}\n`);
  log({ by: r.by, periods: r.periods, testData: r.testData, runs: r.runs.map(({ period, run }) => ({ period, runId: run.id, status: run.status, outcome: run.outcome, reason: run.reason })), message: r.message });
  const failed = r.runs.find((x) => x.run.status !== "succeeded");
  if (failed) process.stderr.write(`error: the run for ${failed.period} failed: ${failed.run.reason ?? failed.run.error ?? failed.run.status}\n`);
  return failed ? 1 : 0;
}

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

function storageErrorOfCli(e: unknown) {
  try {
    return storageError(e, loadConfig().DATABASE_URL);
  } catch {
    return null;
  }
}

function log(obj: unknown) {
  process.stdout.write(`${JSON.stringify(obj, null, 2)}\n`);
}

/** The commands that change something, and the action their audit event names. */
const AUDITED: Record<string, string> = { ingest: "ingest", train: "train", deploy: "deploy", full: "run", replay: "replay", report: "report", dependencies: "dependencies.refresh" };

/** Run a command as the OS user (lib/actor.ts); a change that succeeded goes into the audit trail. */
async function main(argv: string[]): Promise<number> {
  setProcessActor(cliActor());
  const code = await runCommand(argv);
  const action = AUDITED[argv[0]];
  if (code === 0 && action) await recordAudit(getDb(loadConfig().DATABASE_URL), { action, target: `npm run pipeline -- ${argv.join(" ")}`.slice(0, 500), detail: { command: argv } });
  return code;
}

/** One command of the pipeline CLI, run on a migrated database whose schema was checked. */
type Command = (c: { db: Db; config: Config; args: string[]; ctx: { db: Db; trigger: string } }) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  ingest: async ({ db, config }) => {
    const r = await ingestFolder(db, config.SOURCE_DIR, { exclude: [config.TEST_DATA] });
    log({
      ingested: r.ingested.map((i) => ({ name: i.dataset.name, rowsRead: i.dataset.rowsRead, accepted: i.dataset.rowsAccepted, duplicates: i.dataset.duplicates, rejected: i.dataset.rejected, imputed: i.dataset.imputed })),
      skipped: r.skipped,
      failed: r.failed,
    });
    if (r.failed.length) {
      process.stderr.write(`error: ${r.failed.length} file(s) could not be ingested: ${r.failed.map((f) => `${f.name}: ${f.message}`).join("; ")}\n`);
      return 1;
    }
    return 0;
  },
  train: async ({ config, ctx }) => {
    const { scoreStep, trainStep } = await import("../lib/pipeline/steps");
    // the same preconditions as POST /api/train: refused before anything is written
    const m = await trainStep(ctx, { testPath: config.TEST_DATA });
    const s = await scoreStep(ctx, m, config.TEST_DATA);
    log({ model: { id: m.id, version: m.version, trainedRows: m.trainedRows, trainingMs: Math.round(m.trainingMs), f1: s.f1 } });
    return 0;
  },
  score: async ({ db, config, args, ctx }) => {
    const [{ requireDeployedModel, requireModelVersion }, { scoreStep }] = await Promise.all([import("../lib/db/models"), import("../lib/pipeline/steps")]);
    const id = flag(args, "model");
    const model = id ? await requireModelVersion(db, Number(id)) : (await requireDeployedModel(db)).modelVersion;
    const s = await scoreStep(ctx, model, config.TEST_DATA);
    log({ modelVersion: model.version, dataset: s.datasetName, f1: s.f1, precision: s.precision, recall: s.recall, accuracy: s.accuracy, confusion: { tp: s.tp, fp: s.fp, tn: s.tn, fn: s.fn } });
    return 0;
  },
  deploy: async ({ db, args, ctx }) => {
    const [{ listModelVersions, requireModelVersion }, { deployStep }] = await Promise.all([import("../lib/db/models"), import("../lib/pipeline/steps")]);
    const id = flag(args, "model");
    const models = await listModelVersions(db);
    const target = id ? await requireModelVersion(db, Number(id)) : models[models.length - 1];
    if (!target) {
      process.stderr.write("error: there is no trained model to deploy; run `npm run pipeline -- train` first\n");
      return 1;
    }
    const d = await deployStep(ctx, target.id, flag(args, "reason") ?? `deployed from the CLI`);
    log({ deployment: { id: d.id, modelVersion: d.modelVersion.version, deployedAt: d.deployedAt, reason: d.reason } });
    return 0;
  },
  full: async ({ db, config }) => {
    // The CLI process ends with the run, so a stale dependency cache is refreshed inline, bounded to 10 s.
    const { runFullProcess } = await import("../lib/pipeline/full");
    const run = await runFullProcess({ db, trigger: "cli" }, config, undefined, { dependencies: "await", dependencyTimeoutMs: 10_000 });
    log(run);
    if (run.status !== "succeeded") process.stderr.write(`error: ${run.reason ?? run.error ?? "the run failed"}\n`);
    return run.status === "succeeded" ? 0 : 1;
  },
  replay: async ({ db, config, args }) => {
    if (args[0] && !args[0].startsWith("--") && fs.existsSync(args[0]) && fs.statSync(args[0]).isFile()) return replayFileCommand(db, config, args);
    // A backfill: every new CSV of DIR through the full process, one run each, in name order.
    const dir = args[0] && !args[0].startsWith("--") ? args[0] : config.SOURCE_DIR;
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
      process.stderr.write(`error: ${dir} is not a folder\n`);
      return 1;
    }
    const { replayFolder } = await import("../lib/pipeline/replay");
    const replayed = await replayFolder({ db, trigger: "cli" }, { ...config, SOURCE_DIR: dir }, { dependencies: "skip" }, (file, run) =>
      process.stderr.write(`${file} → run ${run.id} ${run.status}${run.outcome ? ` / ${run.outcome}` : ""}\n`),
    );
    log({ replayed: replayed.map(({ file, run }) => ({ file, runId: run.id, status: run.status, outcome: run.outcome, reason: run.reason })) });
    const failed = replayed.find((r) => r.run.status !== "succeeded");
    if (failed) process.stderr.write(`error: the run for ${failed.file} failed: ${failed.run.reason ?? failed.run.error ?? failed.run.status}\n`);
    return failed ? 1 : 0;
  },
  timing: async ({ db, config, args }) => {
    const raw = flag(args, "iterations");
    const iterations = raw === undefined ? 3 : Number(raw);
    if (!Number.isInteger(iterations) || iterations < 1) {
      process.stderr.write(`--iterations must be a positive integer, got "${raw}"\n${USAGE}\n`);
      return 2;
    }
    const { runTimingCheck } = await import("../lib/diagnostics/timing-check");
    log({ timingCheck: await runTimingCheck(db, { sourceDir: config.SOURCE_DIR, testData: config.TEST_DATA, iterations }) });
    return 0;
  },
  dependencies: async ({ db }) => {
    const { refreshDependencyCache } = await import("../lib/diagnostics/dependencies");
    const { checkedAt, dependencies } = await refreshDependencyCache(db, { timeoutMs: 20_000 });
    log({ checkedAt, dependencies });
    return 0;
  },
  report: async ({ db, config }) => {
    const { generateReport } = await import("../lib/report/model-report");
    const r = await generateReport(db, { reportDir: config.REPORT_DIR, testData: config.TEST_DATA });
    log({ report: r });
    return 0;
  },};

async function runCommand(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (!command || command === "--help" || command === "-h") {
    process.stderr.write(`${USAGE}\n`);
    return command ? 0 : 2;
  }
  const run = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!run) {
    process.stderr.write(`unknown command "${command}"\n${USAGE}\n`);
    return 2;
  }
  const config = loadConfig();
  applyMigrations(config.DATABASE_URL);
  const db = getDb(config.DATABASE_URL);
  await checkConfiguredSchema(db);
  return run({ db, config, args, ctx: { db, trigger: "cli" } });
}

const argv = process.argv.slice(2);
// `schema` works on files only: no configuration, migration or database (a schema is chosen before the database exists)
const stdio = { out: (text: string) => process.stdout.write(text), err: (text: string) => process.stderr.write(text), env: process.env };
(argv[0] === "schema" ? import("../lib/schema/command").then(({ schemaCommand }) => schemaCommand(argv.slice(1), stdio)) : argv[0] === "check-db" || argv[0] === "backup" ? fileCommand(argv) : main(argv))
  .then(async (code) => {
    await disconnectAll();
    process.exit(code);
  })
  .catch(async (thrown) => {
    // A full volume or a damaged file gets its own words (lib/db/storage-health.ts), not a stack trace.
    const e = storageErrorOfCli(thrown) ?? thrown;
    process.stderr.write(`error: ${isAppError(e) ? `${e.message} (${e.code})` : (e as Error).stack ?? String(e)}\n`);
    await disconnectAll().catch(() => undefined);
    process.exit(1);
  });
