/**
 * npm run bench [-- --rows N] [--out file.json] [--skip-http] [--keep DIR] [--seed S] [--database postgresql://…]
 * npm run bench -- --schema wide [--rows N] [--out file.json] [--keep DIR] [--seed S]
 *
 * --schema wide: the "wide" data (8 numeric and 4 categorical features) instead of the course
 * data, at N rows only (default 1,000,000), SQLite only, no HTTP part: generated data, a migrated
 * database, `ingest` and `train` as whole processes against scripts/bench_reference_wide.py, with
 * F1 and ROC AUC (scripts/bench-wide.ts says what is compared with what). JSON default
 * tmp/bench-wide-result.json.
 *
 * --database: run on PostgreSQL instead of a SQLite file per scale. The URL names a server and a
 * database the user may CREATE DATABASE from; each scale gets a fresh database `bench_<rows>`
 * beside it (dropped first when it exists, kept afterwards), migrated before the timed steps
 * (the SQLite steps migrate their new file inside the first step, ~1 s). The list-route seeding of the HTTP
 * part writes SQLite directly and is skipped there.
 *
 * The scale benchmark of issue 8, on generated data (scripts/bench-data.ts; fixed seed):
 *  1. data: 10 source CSVs of N/10 rows (5 % cross-file duplicates, 1 % empty feature cells), a
 *     20,000-row labelled test file, one more 100,000-row file; at N = 1,000,000 also the same at N/10.
 *  2. the pipeline CLI (scripts/pipeline.ts), each step a whole process on a fresh database:
 *     `ingest` (rows/s), `train` (time, F1), `deploy`, then the new file into SOURCE_DIR and `full`;
 *     then start-up: `ingest` with nothing new, 5 times, beside `node -e 0` (issue 20).
 *  3. pandas / scikit-learn (/usr/bin/python3, Debian's python3-pandas python3-sklearn) doing the
 *     same ingestion and training in the same run (scripts/bench_reference.py), with the ratios.
 *  4. HTTP (unless --skip-http): the production server (`next build` when the sources changed,
 *     `scripts/cli.cjs serve` (the server of `npm start`) on a free 127.0.0.1 port) on the largest
 *     database: prediction of 1 and 1,000 rows, autocannon (16 connections, 10 s, 1 row) against
 *     it, against the runtime's ceiling (a bare node:http server, CEILING_SERVER) and against a
 *     Flask app (scripts/bench_flask.py), the list routes with 10,000 seeded runs/scores/drift checks/alerts,
 *     and the server's peak RSS while the N source rows are POSTed to /api/ingest as one CSV.
 *  5. a markdown table with each figure's target (issue 8, "Targets") and met / not met, and JSON
 *     (--out, default tmp/bench-result.json, rewritten after every step).
 * Whole processes are timed from spawn to exit; peak RSS is /usr/bin/time's %M (or, without it,
 * the highest VmHWM polled in /proc over the process tree). Every step has a time limit; a step
 * whose smaller-scale run extrapolates past its limit is skipped at the larger scale and says so.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import Database from "better-sqlite3";
import pg from "pg";
import { redactUrl } from "../lib/db/adapters";
import { generateBenchData, generateFreshCsv, type BenchDataManifest } from "./bench-data";
import { runWideBench, type BenchKit } from "./bench-wide";
import { freePort, kB, listeningPid, processTree, procStatus, serverEnv, sleep, waitForHttp } from "./lib/processes";
import { buildIsCurrent, sourceStamp, STAMP_FILE } from "./source-stamp";

const ROOT = path.resolve(__dirname, "..");
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");

/**
 * The pipeline CLI as `npm run pipeline` runs it (scripts/cli.cjs: the cached bundle), without
 * npm's own start-up; the bundle is built before the first timed step (buildCli).
 */
function pipelineCommand(...args: string[]): [string, string[]] {
  return [process.execPath, [path.join(ROOT, "scripts", "cli.cjs"), "pipeline", ...args]];
}

/** Build the CLI's bundle when the sources changed, untimed (`--help` does nothing else). */
function buildCli(): void {
  spawnSync(...pipelineCommand("--help"), { cwd: ROOT, stdio: "ignore" });
}
const NEXT = path.join(ROOT, "node_modules", "next", "dist", "bin", "next");
/** Debian's interpreter (the apt packages); BENCH_PYTHON only to try the "skipped" path. */
const PY = process.env.BENCH_PYTHON || "/usr/bin/python3";
const TIME = "/usr/bin/time";
const HOST = "127.0.0.1";
const FEATURES = ["lastmonth_activity", "lastyear_activity", "number_of_employees"] as const;

/** Time limits (seconds) of each whole-process step at the scale it runs at. */
const LIMIT = { ingest: 150, train: 150, full: 90, deploy: 60, dependencies: 30, python: 120, build: 420, upload: 150 };
/** Issue 8's targets. */
const TARGET = {
  ingestVsPandas: 1.05,
  trainVsSklearn: 0.5,
  f1Delta: 0.002,
  fullS: 3,
  rpsVsFlask: 5,
  /** issue 20: ≥ this share of the bare runtime's requests/s on the same request, p99 ≤ p99Ms */
  ofCeiling: 0.4,
  p99Ms: 5,
  /** issue 20: `ingest` with nothing new, a whole process */
  startupS: 0.4,
  predict1000Ms: 20,
  listMs: 100,
  serverRssMB: 1024,
  maxUploadMBDefault: 50,
  benchMinutes: 10,
};
/** The HTTP part abandons the upload when the server's process tree passes this RSS. */
const RSS_ABORT_MB = 8192;
const USAGE = "usage: npm run bench -- [--rows N] [--out file.json] [--skip-http] [--keep DIR] [--seed S] [--database postgresql://…] [--schema course|wide]";

// ---------------------------------------------------------------------------------------------
// Small helpers

const r2 = (x: number) => Math.round(x * 100) / 100;
const fmtInt = (x: number) => Math.round(x).toLocaleString("en-US");
const fmtS = (s: number) => (s < 10 ? s.toFixed(2) : s.toFixed(1)) + " s";
const fmtMs = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms.toFixed(1)) + " ms";
const fmtMB = (mb: number | null | undefined) => (mb == null ? "RSS ?" : `${Math.round(mb)} MB`);
const fmtRate = (r: number) => (r >= 10_000 ? `${fmtInt(r / 1000)}k` : fmtInt(r)) + " rows/s";

/** Type-7 quantile (numpy's default, the app's lib/stats/quantile definition). */
function quantile(values: readonly number[], p: number): number {
  const s = Float64Array.from(values).sort();
  if (s.length === 0) return NaN;
  const h = (s.length - 1) * p;
  const lo = Math.floor(h);
  return lo + 1 < s.length ? s[lo] + (h - lo) * (s[lo + 1] - s[lo]) : s[lo];
}

function log(msg: string) {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
}

/** The JSON object a CLI printed on stdout (pretty-printed, possibly after other lines). */
function parseJsonOutput(stdout: string): unknown {
  const text = stdout.trim();
  try {
    return JSON.parse(text);
  } catch {
    for (let i = text.lastIndexOf("\n{"); i >= 0; i = text.lastIndexOf("\n{", i - 1)) {
      try {
        return JSON.parse(text.slice(i + 1));
      } catch {
        /* an earlier start */
      }
    }
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Processes: spawn, time, peak RSS, kill

const live = new Set<ChildProcess>();

/** Kills a detached child's whole process group (TERM, then KILL after graceMs). */
async function killGroup(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return void live.delete(child);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    /* already gone */
  }
  const t = setTimeout(() => {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      /* gone */
    }
  }, graceMs);
  await Promise.race([exited, sleep(graceMs + 2000)]);
  clearTimeout(t);
  live.delete(child);
}

export interface Measured {
  label: string;
  command: string;
  ok: boolean;
  exitCode: number | null;
  timedOut: boolean;
  wallS: number;
  /** peak resident set size of the largest process of the tree, MB */
  rssMB: number | null;
  stdout: string;
  stderrTail: string;
  json?: unknown;
}

/** BENCH_RSS=proc forces the /proc polling used where /usr/bin/time is missing. */
const HAVE_TIME = fs.existsSync(TIME) && process.env.BENCH_RSS !== "proc";

/** Runs a whole process (detached: its own process group), timed from spawn to exit. */
async function measure(label: string, cmd: string, args: string[], opts: { env: NodeJS.ProcessEnv; timeoutS: number }): Promise<Measured> {
  const rssFile = path.join(os.tmpdir(), `bench-rss-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const argv = HAVE_TIME ? [TIME, "-f", "%e %M", "-o", rssFile, cmd, ...args] : [cmd, ...args];
  const command = [cmd, ...args].map((a) => a.replace(ROOT + path.sep, "")).join(" ");
  log(`${label}: ${command}`);
  const start = performance.now();
  const child = spawn(argv[0], argv.slice(1), { cwd: ROOT, env: opts.env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  live.add(child);
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d) => (stdout += d));
  child.stderr!.on("data", (d) => {
    stderr += d;
    if (stderr.length > 200_000) stderr = stderr.slice(-100_000);
  });
  let polledKB = 0;
  const poll = HAVE_TIME
    ? undefined
    : setInterval(() => {
        for (const p of processTree(child.pid!)) polledKB = Math.max(polledKB, kB(procStatus(p)?.VmHWM));
      }, 50);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    log(`${label}: over its ${opts.timeoutS} s limit, killed`);
    void killGroup(child, 1000);
  }, opts.timeoutS * 1000);
  const exitCode = await new Promise<number | null>((resolve) => {
    child.on("close", (code) => resolve(code));
    child.on("error", () => resolve(null));
  });
  const wallS = (performance.now() - start) / 1000;
  clearTimeout(timer);
  if (poll) clearInterval(poll);
  live.delete(child);
  let rssMB: number | null = polledKB ? polledKB / 1024 : null;
  if (HAVE_TIME) {
    try {
      const last = fs.readFileSync(rssFile, "utf8").trim().split("\n").pop() ?? "";
      const m = /^([\d.]+) (\d+)$/.exec(last);
      if (m) rssMB = Number(m[2]) / 1024;
    } catch {
      /* killed before time wrote it */
    }
    fs.rmSync(rssFile, { force: true });
  }
  const ok = exitCode === 0 && !timedOut;
  const m: Measured = { label, command, ok, exitCode, timedOut, wallS: Math.round(wallS * 1000) / 1000, rssMB: rssMB == null ? null : Math.round(rssMB), stdout, stderrTail: stderr.slice(-2000), json: parseJsonOutput(stdout) };
  log(`${label}: ${ok ? "ok" : timedOut ? "TIMED OUT" : `FAILED (exit ${exitCode})`} in ${fmtS(wallS)}, ${fmtMB(m.rssMB)}${ok ? "" : `\n${stderr.slice(-1500)}`}`);
  return m;
}

// ---------------------------------------------------------------------------------------------
// The report

export type Status = "met" | "not met" | "skipped" | "failed" | "";
export interface Row {
  step: string;
  rows: string;
  ours: string;
  reference: string;
  ratio: string;
  target: string;
  status: Status;
}

const table: Row[] = [];
const notes: string[] = [];
const result: Record<string, unknown> = {};

function row(r: Partial<Row> & { step: string }) {
  table.push({ rows: "", ours: "", reference: "", ratio: "", target: "", status: "", ...r });
}
const verdict = (ok: boolean): Status => (ok ? "met" : "not met");

function markdown(): string {
  const head = "| step | rows | this project | pandas / scikit-learn / Flask | ratio | target | |\n|---|---:|---|---|---:|---|---|";
  const esc = (s: string) => s.replace(/\|/g, "\\|");
  const body = table.map((r) => `| ${[r.step, r.rows, r.ours, r.reference, r.ratio, r.target, r.status].map(esc).join(" | ")} |`).join("\n");
  return `${head}\n${body}`;
}

let outFile = "";
function save() {
  if (!outFile) return;
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, `${JSON.stringify({ ...result, table, notes }, null, 2)}\n`);
}

// ---------------------------------------------------------------------------------------------
// The pipeline CLI and the Python reference at one scale

interface ScaleResult {
  rows: number;
  dir: string;
  env: NodeJS.ProcessEnv;
  dbFile: string;
  data: BenchDataManifest;
  ingest?: Measured & { rowsPerS?: number; correct?: boolean; detail?: string };
  train?: Measured & { f1?: number; trainedRows?: number };
  deploy?: Measured;
  full?: Measured & { outcome?: string; status?: string; steps?: { name: string; status: string; ms: number }[] };
  pyIngest?: Measured & { rowsPerS?: number; rowsOut?: number };
  pyTrain?: Measured & { f1?: number; coefficients?: Record<string, number>; intercept?: number; model?: string };
  /** whole-process start-up: `ingest` with every file already stored, and `node -e 0` (the runtime's own start), medians of STARTUP_RUNS */
  startup?: { ingestS: number[]; floorS: number[]; ok: boolean };
  skipped: string[];
}

const STARTUP_RUNS = 5;

function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...extra };
  // Nothing from the caller's deployment: no token, no schedule, no webhook, default drift trigger.
  for (const k of ["ADMIN_TOKEN", "PIPELINE_CRON", "ALERT_WEBHOOK_URL", "DRIFT_TRIGGER", "REPORT_DIR", "LOCK_TTL_SECONDS", "PORT"]) delete env[k];
  return env;
}

/** Python without the OpenBLAS overrides (/work/.library/env/README.md): they slow current numpy down. */
function pyEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  return env;
}

/** Skips a larger-scale step when the smaller scale's time, scaled linearly, is past the limit. */
function tooSlow(prev: Measured | undefined, factor: number, limitS: number): string | undefined {
  if (!prev) return undefined;
  if (!prev.ok) return `it ${prev.timedOut ? "timed out" : "failed"} at the smaller scale`;
  const est = prev.wallS * factor;
  return est > limitS ? `${fmtS(prev.wallS)} at the smaller scale × ${factor} ≈ ${fmtS(est)} > its ${limitS} s limit` : undefined;
}

async function runScale(s: ScaleResult, prev: ScaleResult | undefined, python: boolean, httpScale: boolean): Promise<void> {
  const factor = prev ? s.rows / prev.rows : 1;
  const tsx = (cmd: string, ...a: string[]): [string, string[]] => pipelineCommand(cmd, ...a);

  // --- ours: ingest
  const why = tooSlow(prev?.ingest, factor, LIMIT.ingest);
  if (why) s.skipped.push(`ingest, train, full: ${why}`);
  else {
    const m = await measure(`ingest ${fmtInt(s.rows)}`, ...tsx("ingest"), { env: s.env, timeoutS: LIMIT.ingest });
    const out = m.json as { ingested?: { accepted: number; duplicates: number; rejected: number; rowsRead: number }[] } | undefined;
    const files = out?.ingested ?? [];
    const sum = (k: "accepted" | "duplicates" | "rejected" | "rowsRead") => files.reduce((a, f) => a + (f[k] ?? 0), 0);
    const expectDup = s.rows - s.data.distinctSourceRows;
    const correct = m.ok && files.length === 10 && sum("accepted") === s.data.distinctSourceRows && sum("duplicates") === expectDup && sum("rejected") === 0;
    s.ingest = { ...m, rowsPerS: m.ok ? s.rows / m.wallS : undefined, correct, detail: `${files.length} files, ${fmtInt(sum("accepted"))} accepted, ${fmtInt(sum("duplicates"))} duplicates, ${fmtInt(sum("rejected"))} rejected (expected ${fmtInt(s.data.distinctSourceRows)} / ${fmtInt(expectDup)} / 0)` };
    if (m.ok && !correct) notes.push(`ingest at ${fmtInt(s.rows)}: counts differ from the generated data: ${s.ingest.detail}`);
  }
  save();

  // --- python: ingest (same data, CSV → CSV)
  const pyDedup = path.join(s.dir, "py-dedup.csv");
  if (python) {
    const m = await measure(`pandas ingest ${fmtInt(s.rows)}`, PY, [path.join(ROOT, "scripts", "bench_reference.py"), "ingest", "--source", s.data.sourceDir, "--out", pyDedup], { env: pyEnv(), timeoutS: LIMIT.python });
    const j = m.json as { rowsOut?: number } | undefined;
    s.pyIngest = { ...m, rowsPerS: m.ok ? s.rows / m.wallS : undefined, rowsOut: j?.rowsOut };
  }
  save();

  // --- ours: train
  if (s.ingest?.ok) {
    const whyT = tooSlow(prev?.train, factor, LIMIT.train);
    if (whyT) s.skipped.push(`train, full: ${whyT}`);
    else {
      const m = await measure(`train ${fmtInt(s.rows)}`, ...tsx("train"), { env: s.env, timeoutS: LIMIT.train });
      const j = m.json as { model?: { f1?: number; trainedRows?: number } } | undefined;
      s.train = { ...m, f1: j?.model?.f1, trainedRows: j?.model?.trainedRows };
    }
  } else if (s.ingest) s.skipped.push("train, full: the ingest did not finish");
  save();

  // --- python: train (liblinear on the deduplicated CSV)
  if (python && s.pyIngest?.ok) {
    const model = path.join(s.dir, "sklearn-model.pkl");
    const m = await measure(`sklearn train ${fmtInt(s.rows)}`, PY, [path.join(ROOT, "scripts", "bench_reference.py"), "train", "--data", pyDedup, "--test", s.data.testFile, ...(httpScale ? ["--model-out", model] : [])], { env: pyEnv(), timeoutS: LIMIT.python });
    const j = m.json as { f1?: number; coefficients?: Record<string, number>; intercept?: number } | undefined;
    s.pyTrain = { ...m, f1: j?.f1, coefficients: j?.coefficients, intercept: j?.intercept, model: httpScale && m.ok ? model : undefined };
  }
  save();

  // --- ours: deploy, then one new 100k-row file and the full process
  if (s.train?.ok) {
    s.deploy = await measure(`deploy ${fmtInt(s.rows)}`, ...tsx("deploy", "--reason", "npm run bench"), { env: s.env, timeoutS: LIMIT.deploy });
    if (s.deploy.ok) {
      const whyF = tooSlow(prev?.full, 1, LIMIT.full);
      if (whyF) s.skipped.push(`full: ${whyF}`);
      else {
        // Untimed: fill the dependency-status cache (`npm outdated`, ≤ 20 s), as a server or cron
        // that ran within the hour has; otherwise `full` would run npm outdated inline.
        const dep = await measure(`dependencies ${fmtInt(s.rows)} (cache warm-up, untimed)`, ...tsx("dependencies"), { env: s.env, timeoutS: LIMIT.dependencies });
        if (!dep.ok) notes.push(`the dependency-cache warm-up before \`full\` failed at ${fmtInt(s.rows)} rows (exit ${dep.exitCode}); \`full\` may run npm outdated inline`);
        fs.copyFileSync(s.data.newFile, path.join(s.data.sourceDir, "new-100k.csv"));
        const m = await measure(`full ${fmtInt(s.rows)} + 100,000`, ...tsx("full"), { env: s.env, timeoutS: LIMIT.full });
        const j = m.json as { status?: string; outcome?: string; steps?: { name: string; status: string; ms: number }[] } | undefined;
        s.full = { ...m, status: j?.status, outcome: j?.outcome ?? undefined, steps: j?.steps?.map((x) => ({ name: x.name, status: x.status, ms: Math.round(x.ms) })) };
      }
    } else s.skipped.push("full: deploy failed");
  }
  save();

  // --- ours: start-up, as a whole process: `ingest` when every file is already stored
  if (s.ingest?.ok) {
    const startup = { ingestS: [] as number[], floorS: [] as number[], ok: true };
    for (let i = 0; i < STARTUP_RUNS; i++) {
      const floor = await measure(`node -e 0 (${i + 1}/${STARTUP_RUNS})`, process.execPath, ["-e", "0"], { env: s.env, timeoutS: 30 });
      const m = await measure(`ingest with nothing new ${fmtInt(s.rows)} (${i + 1}/${STARTUP_RUNS})`, ...tsx("ingest"), { env: s.env, timeoutS: LIMIT.ingest });
      const j = m.json as { ingested?: unknown[] } | undefined;
      startup.ok &&= m.ok && j?.ingested?.length === 0;
      startup.ingestS.push(m.wallS);
      startup.floorS.push(floor.wallS);
    }
    s.startup = startup;
  }
  save();
}

function reportScale(s: ScaleResult, python: boolean, isTargetScale: boolean) {
  const n = fmtInt(s.rows);
  const scaleNote = isTargetScale ? "" : " (target is for 1M)";
  const t = (x: string) => x + scaleNote;
  // ingest
  if (s.ingest) {
    const i = s.ingest;
    const ours = i.ok ? `${fmtS(i.wallS)} · ${fmtRate(i.rowsPerS!)} · ${fmtMB(i.rssMB)}${i.correct ? "" : " · counts WRONG"}` : i.timedOut ? `timed out after ${fmtS(i.wallS)}` : `failed (exit ${i.exitCode})`;
    const p = s.pyIngest;
    const ref = p?.ok ? `${fmtS(p.wallS)} · ${fmtRate(p.rowsPerS!)} · ${fmtMB(p.rssMB)}` : python ? "failed" : "skipped";
    const ratio = i.ok && p?.ok ? i.rowsPerS! / p.rowsPerS! : undefined;
    row({ step: "ingest (read, dedupe, store) vs read_csv+concat+drop_duplicates+to_csv", rows: n, ours, reference: ref, ratio: ratio ? `${ratio.toFixed(2)}×` : "", target: t(`≥ ${TARGET.ingestVsPandas}× pandas rows/s`), status: ratio ? verdict(ratio >= TARGET.ingestVsPandas) : !i.ok ? "failed" : p ? "" : "skipped" });
  } else row({ step: "ingest", rows: n, ours: "skipped", status: "skipped" });
  // train
  if (s.train) {
    const m = s.train;
    const ours = m.ok ? `${fmtS(m.wallS)} · ${fmtMB(m.rssMB)}` : m.timedOut ? `timed out after ${fmtS(m.wallS)}` : `failed (exit ${m.exitCode})`;
    const p = s.pyTrain;
    const ref = p?.ok ? `${fmtS(p.wallS)} · ${fmtMB(p.rssMB)}` : python ? "failed" : "skipped";
    const ratio = m.ok && p?.ok ? m.wallS / p.wallS : undefined;
    row({ step: "train (read, fit, score test file, store) vs read_csv + liblinear fit + f1_score", rows: fmtInt(s.train.trainedRows ?? s.data.distinctSourceRows), ours, reference: ref, ratio: ratio ? `${ratio.toFixed(2)}×` : "", target: t(`≤ ${TARGET.trainVsSklearn}× sklearn time`), status: ratio ? verdict(ratio <= TARGET.trainVsSklearn) : !m.ok ? "failed" : p ? "" : "skipped" });
    const f1 = m.f1;
    const pf1 = p?.f1;
    const d = f1 !== undefined && pf1 !== undefined ? f1 - pf1 : undefined;
    row({ step: "F1 on the 20,000-row test file", rows: "20,000", ours: f1 === undefined ? "–" : f1.toFixed(4), reference: pf1 === undefined ? "–" : `${pf1.toFixed(4)} (liblinear, C=1)`, ratio: d === undefined ? "" : `Δ ${d >= 0 ? "+" : ""}${d.toFixed(4)}`, target: `within ${TARGET.f1Delta} of liblinear`, status: d === undefined ? (!m.ok ? "failed" : p ? "" : "skipped") : verdict(Math.abs(d) <= TARGET.f1Delta) });
  } else row({ step: "train", rows: n, ours: "skipped", status: "skipped" });
  // full
  if (s.full) {
    const m = s.full;
    const steps = m.steps?.map((x) => `${x.name} ${x.ms}`).join(", ");
    const ours = m.ok ? `${fmtS(m.wallS)} · ${fmtMB(m.rssMB)} · ${m.outcome ?? "?"}` : m.timedOut ? `timed out after ${fmtS(m.wallS)}` : `failed (exit ${m.exitCode}; ${m.status ?? "?"})`;
    row({ step: `full process after one new 100,000-row file${steps ? ` (steps ms: ${steps})` : ""}`, rows: `${n} + 100,000`, ours, target: t(`≤ ${TARGET.fullS} s`), status: m.ok ? verdict(m.wallS <= TARGET.fullS) : "failed" });
  } else row({ step: "full process after one new 100,000-row file", rows: `${n} + 100,000`, ours: "skipped", target: `≤ ${TARGET.fullS} s`, status: "skipped" });
  if (s.startup) {
    const { ingestS, floorS, ok } = s.startup;
    const median = quantile(ingestS, 0.5);
    row({ step: `start-up: \`ingest\` with nothing new, a whole process (median of ${ingestS.length}; min ${fmtS(Math.min(...ingestS))}, max ${fmtS(Math.max(...ingestS))})`, rows: n, ours: ok ? fmtS(median) : "failed", reference: `node -e 0: ${fmtS(quantile(floorS, 0.5))}`, target: `≤ ${TARGET.startupS} s`, status: ok ? verdict(median <= TARGET.startupS) : "failed" });
  }
  for (const k of s.skipped) notes.push(`at ${n} rows, skipped ${k}`);
}

// ---------------------------------------------------------------------------------------------
// HTTP

interface Latency {
  n: number;
  medianMs: number;
  p99Ms: number;
  maxMs: number;
  non200: number;
  /** the server's own time from its Server-Timing header (the first `dur=`), when it sends one */
  serverTimingMedianMs?: number;
  serverTimingP99Ms?: number;
}

async function sequential(url: string, init: () => RequestInit, n: number, warm: number, check?: (status: number, body: string) => boolean): Promise<Latency> {
  const ms: number[] = [];
  const st: number[] = [];
  let non200 = 0;
  for (let i = 0; i < warm + n; i++) {
    const t = performance.now();
    const r = await fetch(url, { ...init(), signal: AbortSignal.timeout(30_000) });
    const body = await r.text();
    const dt = performance.now() - t;
    if (i < warm) continue;
    ms.push(dt);
    if (r.status !== 200 || (check && !check(r.status, body))) non200++;
    const timing = r.headers.get("server-timing");
    const dur = timing ? /dur=([\d.]+)/.exec(timing) : null;
    if (dur) st.push(Number(dur[1]));
  }
  return { n, medianMs: r2(quantile(ms, 0.5)), p99Ms: r2(quantile(ms, 0.99)), maxMs: r2(Math.max(...ms)), non200, serverTimingMedianMs: st.length ? r2(quantile(st, 0.5)) : undefined, serverTimingP99Ms: st.length ? r2(quantile(st, 0.99)) : undefined };
}

interface Cannon {
  requestsPerS: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
  timeouts: number;
  total: number;
}

async function cannon(url: string, body: string, durationS: number): Promise<Cannon> {
  const r = await autocannon({ url, method: "POST", headers: { "content-type": "application/json" }, body, connections: 16, duration: durationS, timeout: 10 });
  return { requestsPerS: Math.round(r.requests.average), p50Ms: r.latency.p50, p99Ms: r.latency.p99, errors: r.errors, non2xx: r.non2xx, timeouts: r.timeouts, total: r.requests.total };
}

function testRows(file: string, n: number): Record<string, string | number>[] {
  const lines = fs.readFileSync(file, "utf8").split("\n", n + 1);
  const head = lines[0].split(",");
  return lines.slice(1, n + 1).map((l) => {
    const c = l.split(",");
    const o: Record<string, string | number> = {};
    head.forEach((h, i) => {
      if (h === "corporation") o[h] = c[i];
      else if ((FEATURES as readonly string[]).includes(h)) o[h] = Number(c[i]);
    });
    return o;
  });
}

/** Copies the run history 10,000 times (runs, scores, drift checks, alerts) into the bench database. */
function seedHistory(dbFile: string, n: number): Record<string, number> {
  const db = new Database(dbFile);
  db.pragma("busy_timeout = 10000");
  const cols = (t: string) => db.prepare(`PRAGMA table_info("${t}")`).all() as { name: string; type: string; notnull: number; dflt_value: unknown; pk: number }[];
  const latest = (t: string) => db.prepare(`SELECT * FROM "${t}" ORDER BY id DESC LIMIT 1`).get() as Record<string, unknown> | undefined;
  const base = Date.now();
  /** a timestamp in the template's storage format (Prisma's SQLite: ISO text, or epoch ms) */
  const stamp = (template: unknown, i: number) => {
    const t = new Date(base + i * 100);
    if (typeof template === "number") return t.getTime();
    return t.toISOString().replace("Z", "+00:00");
  };
  /** INSERT of the given columns; NOT NULL columns without a default that are missing get 0 / "". */
  const statements = new Map<string, Database.Statement>();
  const insert = (t: string, values: Record<string, unknown>): number => {
    const c = cols(t).filter((x) => !x.pk && (values[x.name] !== undefined || (x.notnull && x.dflt_value === null)));
    const key = `${t}:${c.map((x) => x.name).join(",")}`;
    let stmt = statements.get(key);
    if (!stmt) {
      stmt = db.prepare(`INSERT INTO "${t}" (${c.map((x) => `"${x.name}"`).join(",")}) VALUES (${c.map(() => "?").join(",")})`);
      statements.set(key, stmt);
    }
    const args = c.map((x) => {
      const v = values[x.name];
      if (v === undefined) return /INT|REAL|NUM|FLOAT|DOUBLE|BOOL/i.test(x.type) ? 0 : "";
      return typeof v === "boolean" ? Number(v) : v;
    });
    return Number(stmt.run(args).lastInsertRowid);
  };
  const counts: Record<string, number> = {};
  const runT = latest("PipelineRun") ?? { trigger: "bench", status: "succeeded", outcome: "no-drift", steps: "[]", startedAt: stamp("", 0), finishedAt: stamp("", 0) };
  const scoreT = latest("Score");
  const driftT = latest("DriftCheck");
  const alertT = latest("Alert") ?? { kind: "drift", message: "seeded by npm run bench", delivered: 0, acknowledged: 0, createdAt: stamp("", 0) };
  db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const runId = insert("PipelineRun", { ...runT, trigger: "bench", reason: `seeded by npm run bench (${i + 1}/${n})`, startedAt: stamp(runT.startedAt, i), finishedAt: stamp(runT.startedAt, i + 1) });
      if (scoreT) insert("Score", { ...scoreT, runId, createdAt: stamp(scoreT.createdAt, i + 1) });
      if (driftT) insert("DriftCheck", { ...driftT, runId, createdAt: stamp(driftT.createdAt, i + 1) });
      insert("Alert", { ...alertT, runId, message: `seeded by npm run bench (${i + 1}/${n})`, acknowledged: 0, createdAt: stamp(alertT.createdAt, i + 1) });
    }
  })();
  for (const t of ["PipelineRun", "Score", "DriftCheck", "Alert"]) counts[t] = (db.prepare(`SELECT count(*) AS n FROM "${t}"`).get() as { n: number }).n;
  db.close();
  return counts;
}

interface Loop {
  concurrency: number;
  seconds: number;
  requests: number;
  requestsPerS: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

/** 16 fetch loops for `seconds`: per-request latency as a client sees it, new connection or not. */
async function fetchLoop(url: string, body: string, seconds: number, concurrency = 16): Promise<Loop> {
  const ms: number[] = [];
  let errors = 0;
  const end = performance.now() + seconds * 1000;
  const worker = async () => {
    while (performance.now() < end) {
      const t = performance.now();
      try {
        const r = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body, signal: AbortSignal.timeout(10_000) });
        await r.text();
        if (r.status !== 200) errors++;
      } catch {
        errors++;
      }
      ms.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { concurrency, seconds, requests: ms.length, requestsPerS: Math.round(ms.length / seconds), p50Ms: r2(quantile(ms, 0.5)), p99Ms: r2(quantile(ms, 0.99)), errors };
}

interface Upload {
  kind: string;
  rows: number;
  mb: number;
  status?: number;
  wallS?: number;
  error?: string;
  /** VmHWM of the listening server process after the upload (its lifetime peak) */
  serverHwmMB?: number;
  /** the highest VmRSS sum over the server's process tree sampled every 100 ms during the upload */
  treeRssMaxMB?: number;
  hwmBeforeMB?: number;
  counts?: { read: number; accepted: number; duplicates: number; rejected: number };
  body?: string;
}

interface HttpResult {
  build?: { built: boolean; wallS?: number; ok: boolean };
  serverPid?: number;
  predict1?: Latency;
  predict1000?: Latency;
  oursCannon?: Cannon;
  /** the same autocannon run against the runtime's ceiling (CEILING_SERVER) */
  ceilingCannon?: Cannon;
  /** autocannon's own figures against Flask (its request count and latency are wrong for a server that closes every connection, see flaskServedPerS) */
  flaskCannon?: Cannon;
  /** predictions Flask itself counted during the 10 s autocannon run, per second */
  flaskServedPerS?: number;
  oursLoop?: Loop;
  flaskLoop?: Loop;
  flaskPredict1?: Latency;
  seeded?: Record<string, number>;
  routes?: Record<string, Latency>;
  uploads?: Upload[];
  error?: string;
}

async function runHttp(s: ScaleResult, uploads: { kind: string; file: string; rows: number }[], flaskModel: string | undefined, flaskOk: boolean): Promise<HttpResult> {
  const h: HttpResult = {};
  result.http = h; // saved with every save() from here on
  if (!(await buildIfStale(h))) return h;
  // --- seed the history (before the server starts: nothing caches it); SQLite only
  if (s.dbFile) {
    h.seeded = seedHistory(s.dbFile, 10_000);
    log(`seeded history: ${JSON.stringify(h.seeded)}`);
  } else notes.push("PostgreSQL: the list routes run without the 10,000 seeded runs/scores/drift checks/alerts (the seeding writes SQLite directly)");

  const port = await freePort(HOST);
  const base = `http://${HOST}:${port}`;
  const uploadMB = Math.max(...uploads.map((u) => fs.statSync(u.file).size / 1024 / 1024));
  const env = cleanEnv({ ...(s.env as Record<string, string>), PORT: String(port), MAX_UPLOAD_MB: String(Math.max(TARGET.maxUploadMBDefault, Math.ceil(uploadMB * 1.5))) });
  log(`serving (scripts/cli.cjs serve) on ${base} (database ${redactUrl(String((s.env as Record<string, string>).DATABASE_URL))})`);
  // as `npm start` runs it: from the CLI's bundle (scripts/cli.cjs), not compiled by tsx
  const server = spawn(process.execPath, [path.join(ROOT, "scripts", "cli.cjs"), "serve", "--port", String(port), "--hostname", HOST], { cwd: ROOT, env: serverEnv(env), detached: true, stdio: ["ignore", "pipe", "pipe"] });
  live.add(server);
  let serverLog = "";
  server.stdout!.on("data", (d) => (serverLog = (serverLog + d).slice(-20_000)));
  server.stderr!.on("data", (d) => (serverLog = (serverLog + d).slice(-20_000)));
  try {
    if (!(await waitForHttp(`${base}/api/health`, 90, server))) throw new Error(`the server did not answer /api/health within 90 s:\n${serverLog.slice(-1500)}`);
    const pid = listeningPid(processTree(server.pid!), port) ?? server.pid!;
    h.serverPid = pid;
    log(`server answering; listening pid ${pid}`);
    const rows1 = testRows(s.data.testFile, 1);
    const rows1000 = testRows(s.data.testFile, 1000);
    const body1 = JSON.stringify({ rows: rows1 });
    const body1000 = JSON.stringify({ rows: rows1000 });
    const post = (body: string) => () => ({ method: "POST", headers: { "content-type": "application/json" }, body }) as RequestInit;
    const predictions = (n: number) => (_: number, b: string) => {
      try {
        return (JSON.parse(b) as { predictions?: unknown[] }).predictions?.length === n;
      } catch {
        return false;
      }
    };

    // --- prediction latency, sequential
    log("prediction: 1 row × 200, 1,000 rows × 100 (sequential)");
    h.predict1 = await sequential(`${base}/api/prediction`, post(body1), 200, 20, predictions(1));
    h.predict1000 = await sequential(`${base}/api/prediction`, post(body1000), 100, 10, predictions(1000));
    save();

    // --- autocannon, ours then Flask
    log("autocannon: 16 connections, 10 s, 1 row → /api/prediction (after 2 s of warm-up)");
    await cannon(`${base}/api/prediction`, body1, 2);
    h.oursCannon = await cannon(`${base}/api/prediction`, body1, 10);
    log(`ours: ${JSON.stringify(h.oursCannon)}`);
    h.ceilingCannon = await measureCeiling(body1);
    if (flaskModel && flaskOk) await measureFlask(h, { base, flaskModel, body1, post, predictions });
    if (!h.oursLoop) {
      log("fetch loop: 16 concurrent, 5 s, 1 row → ours");
      h.oursLoop = await fetchLoop(`${base}/api/prediction`, body1, 5);
    }
    save();

    h.routes = await measureListRoutes(base);
    save();
    h.uploads = [];
    await measureUploads(h.uploads, { base, pid, uploads });
  } catch (e) {
    h.error = (e as Error).message;
    log(`HTTP part failed: ${h.error}`);
  } finally {
    await killGroup(server);
  }
  return h;
}

/** Build when the sources changed (as `npm start` decides); false when the build failed (h.error says why). */
async function buildIfStale(h: HttpResult): Promise<boolean> {
  const stamp = sourceStamp();
  if (!buildIsCurrent(stamp)) {
    const b = await measure("next build (sources changed since the last build)", process.execPath, [NEXT, "build"], { env: cleanEnv({}), timeoutS: LIMIT.build });
    h.build = { built: true, wallS: b.wallS, ok: b.ok };
    if (!b.ok) {
      h.error = `next build failed (exit ${b.exitCode}${b.timedOut ? ", timed out" : ""}): ${(b.stdout.slice(-1200) + b.stderrTail.slice(-600)).trim()}`;
      return false;
    }
    fs.writeFileSync(STAMP_FILE, stamp);
  } else h.build = { built: false, ok: true };
  return true;
}

/*
 * The runtime's ceiling for this request (issue 20): a bare node:http server, started alone, that
 * reads the same JSON body, parses it and answers one logistic prediction per row — no routing,
 * access check, validation, limits, metrics or database. What the product reaches of it is what
 * its own work costs; the rest is Node's HTTP and the client on the same two cores.
 */
const CEILING_SERVER = `
const http = require("node:http");
const [port, weights] = [Number(process.argv[1]), JSON.parse(process.argv[2])];
http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    let body;
    try { body = JSON.parse(Buffer.concat(chunks).toString("utf8")); } catch { res.writeHead(400).end(); return; }
    const predictions = (body.rows || []).map((r) => {
      let z = weights.intercept;
      for (const [name, w] of Object.entries(weights.coefficients)) z += w * r[name];
      const probability = 1 / (1 + Math.exp(-z));
      return { probability, predicted: probability >= 0.5 ? 1 : 0 };
    });
    const out = JSON.stringify({ predictions });
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(out) });
    res.end(out);
  });
}).listen(port, "${HOST}");`;

/** autocannon (2 s warm-up, then 10 s) against CEILING_SERVER (fixed weights: any weights cost the same). */
async function measureCeiling(body1: string): Promise<Cannon | undefined> {
  const port = await freePort(HOST);
  const weights = { coefficients: Object.fromEntries(FEATURES.map((f) => [f, 1e-4])), intercept: 0 };
  const ceiling = spawn(process.execPath, ["-e", CEILING_SERVER, String(port), JSON.stringify(weights)], { cwd: ROOT, detached: true, stdio: ["ignore", "ignore", "pipe"] });
  live.add(ceiling);
  try {
    if (!(await waitForHttp(`http://${HOST}:${port}/`, 10, ceiling))) {
      notes.push("the bare node:http ceiling server did not start: no ceiling figure");
      return undefined;
    }
    log("autocannon: 16 connections, 10 s, 1 row → the bare node:http ceiling (after 2 s of warm-up)");
    await cannon(`http://${HOST}:${port}/`, body1, 2);
    const c = await cannon(`http://${HOST}:${port}/`, body1, 10);
    log(`ceiling: ${JSON.stringify(c)}`);
    return c;
  } finally {
    await killGroup(ceiling);
  }
}

/** Flask serving the same model: sequential latency, autocannon, and the 16 fetch loops against both servers. */
async function measureFlask(
  h: HttpResult,
  { base, flaskModel, body1, post, predictions }: { base: string; flaskModel: string; body1: string; post: (body: string) => () => RequestInit; predictions: (n: number) => (status: number, body: string) => boolean },
): Promise<void> {
  const fport = await freePort(HOST);
  const flask = spawn(PY, [path.join(ROOT, "scripts", "bench_flask.py"), "--model", flaskModel, "--port", String(fport)], { cwd: ROOT, env: pyEnv(), detached: true, stdio: ["ignore", "ignore", "pipe"] });
  live.add(flask);
  try {
    let flaskErr = "";
    flask.stderr!.on("data", (d) => (flaskErr = (flaskErr + d).slice(-5000)));
    const fbase = `http://${HOST}:${fport}`;
    if (await waitForHttp(`${fbase}/health`, 30, flask)) {
      h.flaskPredict1 = await sequential(`${fbase}/prediction`, post(body1), 200, 20, predictions(1));
      log("autocannon: 16 connections, 10 s, 1 row → Flask /prediction (after 2 s of warm-up)");
      await cannon(`${fbase}/prediction`, body1, 2);
      const served = async () => ((await (await fetch(`${fbase}/count`)).json()) as { served: number }).served;
      const before = await served();
      const t = performance.now();
      h.flaskCannon = await cannon(`${fbase}/prediction`, body1, 10);
      h.flaskServedPerS = Math.round(((await served()) - before) / ((performance.now() - t) / 1000));
      log(`flask: ${JSON.stringify(h.flaskCannon)}; Flask counted ${h.flaskServedPerS} predictions/s`);
      log("fetch loops: 16 concurrent, 5 s, 1 row → Flask, then ours (latency as a client sees it)");
      h.flaskLoop = await fetchLoop(`${fbase}/prediction`, body1, 5);
      h.oursLoop = await fetchLoop(`${base}/api/prediction`, body1, 5);
    } else notes.push(`the Flask app did not start: ${flaskErr.slice(-500)}`);
  } finally {
    await killGroup(flask);
  }
}

/** The list routes with 10,000 runs, scores, drift checks and alerts seeded. */
async function measureListRoutes(base: string): Promise<Record<string, Latency>> {
  const routes = ["/api/health", "/api/runs", "/api/scores", "/api/models", "/api/datasets", "/api/drift", "/api/alerts", "/api/diagnostics/quarantine"];
  const measured: Record<string, Latency> = {};
  for (const r of routes) {
    log(`GET ${r} × 50`);
    measured[r] = await sequential(`${base}${r}`, () => ({ method: "GET" }), 50, 3);
  }
  return measured;
}

/**
 * Peak RSS of the server while N rows are uploaded as one CSV: first the N source rows again
 * (all already stored: the issue's re-upload), then N rows that are all new.
 */
async function measureUploads(done: Upload[], { base, pid, uploads }: { base: string; pid: number; uploads: { kind: string; file: string; rows: number }[] }): Promise<void> {
  const hwm = () => kB(procStatus(pid)?.VmHWM) / 1024;
  // the listening server and whatever it spawns (workers are threads: already in its RSS)
  const treeRss = () => processTree(pid).reduce((a, p) => a + kB(procStatus(p)?.VmRSS), 0) / 1024;
  for (const u of uploads) {
    const mb = fs.statSync(u.file).size / 1024 / 1024;
    const up: Upload = { kind: u.kind, rows: u.rows, mb: r2(mb), hwmBeforeMB: Math.round(hwm()) };
    done.push(up);
    let treeMax = 0;
    // A guard for a shared 24 GiB machine: past RSS_ABORT_MB the upload is abandoned (and the
    // server killed below), and the figure is reported as what it reached.
    const abort = new AbortController();
    const poll = setInterval(() => {
      treeMax = Math.max(treeMax, treeRss());
      if (treeMax > RSS_ABORT_MB && !abort.signal.aborted) abort.abort(new Error(`server RSS passed ${RSS_ABORT_MB} MB: upload abandoned, server killed`));
    }, 100);
    log(`POST /api/ingest (${u.kind}): ${fmtInt(u.rows)} rows, ${mb.toFixed(1)} MB (limit ${LIMIT.upload} s)`);
    const t = performance.now();
    try {
      const form = new FormData();
      form.append("file", await fs.openAsBlob(u.file, { type: "text/csv" }), path.basename(u.file));
      const res = await fetch(`${base}/api/ingest`, { method: "POST", body: form, signal: AbortSignal.any([abort.signal, AbortSignal.timeout(LIMIT.upload * 1000)]) });
      const text = await res.text();
      up.status = res.status;
      up.body = text.slice(0, 400);
      try {
        const d = (JSON.parse(text) as { datasets?: { rowsRead: number; rowsAccepted: number; duplicates: number; rejected: number }[] }).datasets?.[0];
        if (d) up.counts = { read: d.rowsRead, accepted: d.rowsAccepted, duplicates: d.duplicates, rejected: d.rejected };
      } catch {
        /* not JSON: kept in body */
      }
    } catch (e) {
      up.error = abort.signal.aborted ? String((abort.signal.reason as Error).message) : (e as Error).name === "TimeoutError" ? `no answer within ${LIMIT.upload} s` : (e as Error).message;
    }
    up.wallS = Math.round(performance.now() - t) / 1000;
    clearInterval(poll);
    treeMax = Math.max(treeMax, treeRss());
    up.serverHwmMB = Math.round(hwm());
    up.treeRssMaxMB = Math.round(treeMax);
    log(`upload (${u.kind}): ${up.status ?? up.error} in ${fmtS(up.wallS)}, server VmHWM ${up.serverHwmMB} MB, tree max ${up.treeRssMaxMB} MB ${JSON.stringify(up.counts ?? {})}`);
    save();
    if (up.error) break;
  }
}

function reportHttp(h: HttpResult, isTargetScale: boolean) {
  if (h.build?.built) notes.push(`next build ran first (the sources had changed): ${h.build.ok ? fmtS(h.build.wallS ?? 0) : "FAILED"}`);
  if (h.error) notes.push(`HTTP part: ${h.error}`);
  const lat = (l?: Latency) =>
    l
      ? `${l.serverTimingMedianMs !== undefined ? `server median ${fmtMs(l.serverTimingMedianMs)} · p99 ${fmtMs(l.serverTimingP99Ms!)}; round trip ` : ""}median ${fmtMs(l.medianMs)} · p99 ${fmtMs(l.p99Ms)}${l.non200 ? ` · ${l.non200} bad answers` : ""}`
      : "–";
  if (h.predict1) row({ step: "POST /api/prediction 1 row, sequential", rows: "1", ours: lat(h.predict1), reference: h.flaskPredict1 ? `Flask ${lat(h.flaskPredict1)}` : "" });
  if (h.predict1000) {
    const m = h.predict1000.serverTimingMedianMs ?? h.predict1000.medianMs;
    row({ step: "POST /api/prediction 1,000 rows, sequential", rows: "1,000", ours: lat(h.predict1000), target: `≤ ${TARGET.predict1000Ms} ms server time (median; ${h.predict1000.serverTimingMedianMs !== undefined ? "Server-Timing" : "round trip: no Server-Timing header"})`, status: h.predict1000.non200 ? "failed" : verdict(m <= TARGET.predict1000Ms) });
  }
  if (h.oursCannon) {
    const o = h.oursCannon;
    const f = h.flaskCannon;
    const errs = o.errors + o.non2xx;
    const ours = `${fmtInt(o.requestsPerS)} req/s · p50 ${o.p50Ms} ms · p99 ${o.p99Ms} ms · ${errs} errors`;
    const fr = h.flaskServedPerS;
    const ref = f && fr !== undefined ? `Flask ${fmtInt(fr)} req/s (counted by Flask) · ${f.errors + f.non2xx} errors` : "Flask skipped";
    const ratio = fr ? o.requestsPerS / fr : undefined;
    row({ step: "POST /api/prediction 1 row, autocannon 16 connections 10 s: throughput", rows: "1", ours, reference: ref, ratio: ratio ? `${ratio.toFixed(2)}×` : "", target: `≥ ${TARGET.rpsVsFlask}× Flask req/s`, status: ratio ? verdict(ratio >= TARGET.rpsVsFlask) : "" });
    const c = h.ceilingCannon;
    const share = c ? o.requestsPerS / c.requestsPerS : undefined;
    row({
      step: "… against the runtime's ceiling: a bare node:http server (same body parsed, one logistic prediction), same autocannon run",
      rows: "1",
      ours: `${fmtInt(o.requestsPerS)} req/s`,
      reference: c ? `ceiling ${fmtInt(c.requestsPerS)} req/s · p99 ${c.p99Ms} ms · ${c.errors + c.non2xx} errors` : "ceiling not measured",
      ratio: share ? `${Math.round(share * 100)} %` : "",
      target: `≥ ${Math.round(TARGET.ofCeiling * 100)} % of the ceiling`,
      status: share ? verdict(share >= TARGET.ofCeiling) : "",
    });
    row({ step: "… p99 latency", rows: "1", ours: `${o.p99Ms} ms`, target: `≤ ${TARGET.p99Ms} ms`, status: verdict(o.p99Ms <= TARGET.p99Ms) });
    row({ step: "… errors (errors + timeouts + non-2xx)", rows: "1", ours: String(errs), target: "0", status: verdict(errs === 0) });
    if (f && fr !== undefined)
      notes.push(`Flask: autocannon reported ${fmtInt(f.requestsPerS)} req/s, p50 ${f.p50Ms} ms, p99 ${f.p99Ms} ms; Flask itself counted ${fmtInt(fr)} predictions/s. Werkzeug closes the connection after every response, and autocannon's latency (and at times its count) is not to be trusted for such a server: the table uses Flask's own count for the ratio, and the fetch-loop row compares latency`);
  }
  if (h.oursLoop) {
    const l = (x: Loop) => `${fmtInt(x.requestsPerS)} req/s · p50 ${fmtMs(x.p50Ms)} · p99 ${fmtMs(x.p99Ms)} · ${x.errors} errors`;
    row({ step: "POST /api/prediction 1 row, 16 concurrent fetch loops 5 s (client in the bench process)", rows: "1", ours: l(h.oursLoop), reference: h.flaskLoop ? `Flask ${l(h.flaskLoop)}` : "" });
  }
  if (h.routes) {
    for (const [r, l] of Object.entries(h.routes)) row({ step: `GET ${r} (${h.seeded ? "10,000 runs, scores, drift checks, alerts" : "not seeded: PostgreSQL"})`, ours: lat(l), target: `≤ ${TARGET.listMs} ms (p99)`, status: l.non200 ? "failed" : verdict(l.p99Ms <= TARGET.listMs) });
  }
  for (const u of h.uploads ?? []) {
    const ok = u.status !== undefined && u.status < 300;
    const c = u.counts ? ` (${fmtInt(u.counts.accepted)} new, ${fmtInt(u.counts.duplicates)} duplicates)` : "";
    const ours = `${ok ? `${u.status} in ${fmtS(u.wallS ?? 0)}${c}` : u.error ?? `status ${u.status}`} · server peak RSS ${fmtMB(u.serverHwmMB)} (before ${fmtMB(u.hwmBeforeMB)}; process tree max ${fmtMB(u.treeRssMaxMB)})`;
    row({ step: `server peak RSS (VmHWM) during POST /api/ingest of one CSV: ${u.kind}`, rows: `${fmtInt(u.rows)} (${u.mb} MB)`, ours, target: `≤ 1 GiB${isTargetScale ? "" : " (target is for 1M)"}`, status: !ok ? "failed" : verdict(Math.max(u.serverHwmMB ?? 0, u.treeRssMaxMB ?? 0) <= TARGET.serverRssMB) });
    if (!ok && u.body) notes.push(`upload (${u.kind}) answered: ${u.body}`);
  }
  if (h.uploads?.length) {
    const mb = Math.max(...h.uploads.map((u) => u.mb));
    row({ step: `MAX_UPLOAD_MB's default (${TARGET.maxUploadMBDefault}) admits that CSV`, rows: fmtInt(h.uploads[0].rows), ours: `${mb} MB`, target: `≤ ${TARGET.maxUploadMBDefault} MB`, status: verdict(mb <= TARGET.maxUploadMBDefault) });
  }
}

// ---------------------------------------------------------------------------------------------

/** Which references this machine has (pandas/scikit-learn, Flask), written into the result with the host and the commit. */
function describeRun({ rows, seed, scales, work }: { rows: number; seed: number; scales: number[]; work: string }): { python: boolean; flaskOk: boolean } {
  const py = spawnSync(PY, ["-c", "import pandas, sklearn"], { env: pyEnv(), encoding: "utf8" });
  const python = py.status === 0;
  const flaskOk = python && spawnSync(PY, ["-c", "import flask"], { encoding: "utf8" }).status === 0;
  const git = (a: string[]) => spawnSync("git", a, { cwd: ROOT, encoding: "utf8" }).stdout?.trim();
  Object.assign(result, {
    command: `npm run bench -- ${process.argv.slice(2).join(" ")}`.trim(),
    startedAt: new Date().toISOString(),
    rows,
    seed,
    scales,
    workDir: work,
    host: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, loadavgAtStart: os.loadavg().map(r2) },
    git: { head: git(["rev-parse", "--short", "HEAD"]), uncommittedFiles: (git(["status", "--porcelain"]) ?? "").split("\n").filter(Boolean).length },
    measuredWith: HAVE_TIME ? "/usr/bin/time -f '%e %M' (wall from spawn to exit measured by the bench)" : "/proc/<pid>/status VmHWM polled every 50 ms over the process tree",
    python: python ? spawnSync(PY, ["-c", "import pandas, sklearn, numpy; print(pandas.__version__, sklearn.__version__, numpy.__version__)"], { env: pyEnv(), encoding: "utf8" }).stdout.trim() : `skipped: ${PY} cannot import pandas and sklearn (${(py.stderr ?? py.error?.message ?? "").trim().split("\n").pop()}); apt-get install python3-pandas python3-sklearn python3-flask`,
  });
  if (!python) notes.push(`pandas / scikit-learn skipped: ${PY} cannot import them (apt-get install python3-pandas python3-sklearn python3-flask)`);
  else if (!flaskOk) notes.push("the Flask comparison is skipped: python3-flask is not installed");
  if (!HAVE_TIME) notes.push(process.env.BENCH_RSS === "proc" ? "BENCH_RSS=proc: peak RSS polled from /proc (VmHWM over the process tree every 50 ms)" : `${TIME} is missing (apt-get install time): peak RSS polled from /proc instead`);
  return { python, flaskOk };
}

/** The generated data and a fresh database per scale. */
async function prepareScales(work: string, scales: number[], { seed, database }: { seed: number; database?: string }): Promise<ScaleResult[]> {
  const results: ScaleResult[] = [];
  for (const n of scales) {
    const dir = path.join(work, `rows-${n}`);
    fs.rmSync(dir, { recursive: true, force: true });
    const data = await generateBenchData(dir, { rows: n, seed });
    log(`data ${fmtInt(n)}: ${data.sourceFiles.length} files, ${fmtInt(data.distinctSourceRows)} distinct rows, ${fmtInt(data.emptyFeatureCells)} empty cells, test ${fmtInt(data.testRows)}, new ${fmtInt(data.newRows)} (${data.ms} ms)`);
    const dbFile = path.join(dir, "db", "bench.db");
    fs.mkdirSync(path.dirname(dbFile), { recursive: true });
    const databaseUrl = database ? await freshPgDatabase(database, `bench_${n}`) : `file:${dbFile}`;
    if (database) log(`database ${redactUrl(databaseUrl)} (fresh)`);
    results.push({ rows: n, dir, dbFile: database ? "" : dbFile, data, skipped: [], env: cleanEnv({ DATABASE_URL: databaseUrl, SOURCE_DIR: data.sourceDir, TEST_DATA: data.testFile }) });
  }
  return results;
}

/** The uploads: the N source rows again (the 10 files concatenated, one header), and N new rows. */
async function prepareUploads(work: string, big: ScaleResult, { seed, allStored }: { seed: number; allStored: boolean }): Promise<{ kind: string; file: string; rows: number }[]> {
  const again = path.join(work, "upload-source-again.csv");
  const parts = big.data.sourceFiles.map((f) => fs.readFileSync(path.join(big.data.sourceDir, f.file), "utf8"));
  fs.writeFileSync(again, parts.map((p, i) => (i === 0 ? p : p.slice(p.indexOf("\n") + 1))).join(""));
  const fresh = path.join(work, "upload-new-rows.csv");
  await generateFreshCsv(fresh, big.rows, seed);
  return [
    { kind: `the ${fmtInt(big.rows)} source rows again (10 files concatenated; ${allStored ? "all already stored" : "not all stored"})`, file: again, rows: big.rows },
    { kind: `${fmtInt(big.rows)} new rows`, file: fresh, rows: big.rows },
  ];
}

interface Options {
  rows: number;
  seed: number;
  schema: "course" | "wide";
  keep?: string;
  database?: string;
  skipHttp: boolean;
}

/** The command line as Options, or the exit code of a usage error (or of --help). */
function parseOptions(): Options | number {
  const { values } = parseArgs({
    options: {
      rows: { type: "string" },
      out: { type: "string" },
      "skip-http": { type: "boolean" },
      keep: { type: "string" },
      seed: { type: "string" },
      database: { type: "string" },
      schema: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return process.stdout.write(`${USAGE}\n`), 0;
  const rows = values.rows ? Number(values.rows.replace(/_/g, "")) : 1_000_000;
  const seed = values.seed ? Number(values.seed) : 42;
  const fail = (msg: string) => (process.stderr.write(`${msg}\n${USAGE}\n`), 2);
  if (!Number.isInteger(rows) || rows < 200 || rows % 100 !== 0) return fail(`--rows must be a multiple of 100, at least 200 (got ${values.rows})`);
  const schema = values.schema ?? "course";
  if (schema !== "course" && schema !== "wide") return fail(`--schema must be course or wide (got ${schema})`);
  if (schema === "wide" && values.database) return fail("--schema wide runs on a SQLite file only (no --database)");
  outFile = path.resolve(values.out ?? path.join(ROOT, "tmp", schema === "wide" ? "bench-wide-result.json" : "bench-result.json"));
  return { rows, seed, schema, keep: values.keep, database: values.database, skipHttp: values["skip-http"] ?? false };
}

/** The course schema: the pipeline CLI and the references at each scale, then the HTTP part. */
async function runCourse(work: string, scales: number[], o: Options, { python, flaskOk }: { python: boolean; flaskOk: boolean }): Promise<void> {
  const results = await prepareScales(work, scales, { seed: o.seed, database: o.database });
  result.data = results.map((s) => ({ ...s.data, ms: undefined }));
  for (let i = 0; i < results.length; i++) {
    await runScale(results[i], results[i - 1], python, i === results.length - 1);
    result.scales = results.map((s) => ({ rows: s.rows, ingest: strip(s.ingest), train: strip(s.train), deploy: strip(s.deploy), full: strip(s.full), pandasIngest: strip(s.pyIngest), sklearnTrain: strip(s.pyTrain), skipped: s.skipped }));
    save();
  }
  for (const s of results) reportScale(s, python, s.rows >= 1_000_000);
  const pyRef = results.at(-1)?.pyTrain;
  if (pyRef?.ok) result.sklearnReference = { rows: results.at(-1)!.rows, ...(pyRef.json as object) };

  if (o.skipHttp) return void notes.push("HTTP part skipped (--skip-http)");
  // The database of the largest scale that has a deployed model (else the largest).
  const s = [...results].reverse().find((x) => x.deploy?.ok) ?? results.at(-1)!;
  const big = results.at(-1)!;
  const uploads = await prepareUploads(work, big, { seed: o.seed, allStored: s === big });
  const http = await runHttp(s, uploads, s.pyTrain?.model, flaskOk);
  result.http = { database: `${fmtInt(s.rows)} rows`, ...http };
  reportHttp(http, big.rows >= 1_000_000);
  if (s !== big) notes.push(`the HTTP part ran on the ${fmtInt(s.rows)}-row database (no model was deployed at ${fmtInt(big.rows)})`);
}

/** What scripts/bench-wide.ts borrows from this file. */
const wideKit: BenchKit = {
  ...{ measure, row, notes, result, save, log, cliEnv: cleanEnv, pyEnv, strip },
  fmt: { s: fmtS, int: fmtInt, rate: fmtRate, mb: fmtMB },
  paths: { root: ROOT, tsx: TSX, python: PY },
  pipeline: pipelineCommand,
};

async function main(): Promise<number> {
  const t0 = performance.now();
  const o = parseOptions();
  if (typeof o === "number") return o;
  const work = o.keep ? path.resolve(o.keep) : fs.mkdtempSync(path.join(os.tmpdir(), "dra-bench-"));
  fs.mkdirSync(work, { recursive: true });
  const wide = o.schema === "wide";
  const scales = wide || o.rows < 1_000_000 ? [o.rows] : [o.rows / 10, o.rows];

  const refs = describeRun({ rows: o.rows, seed: o.seed, scales, work });
  buildCli();
  result.schema = o.schema;
  log(`schema ${o.schema}; work folder ${work}; scales ${scales.map(fmtInt).join(", ")}; python ${refs.python ? "yes" : "no"}; output ${outFile}`);

  let exit = 0;
  const onSignal = () => {
    for (const c of live) if (c.pid) try { process.kill(-c.pid, "SIGKILL"); } catch { /* gone */ }
    process.exit(130);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    if (wide) await runWideBench(wideKit, { work, rows: o.rows, seed: o.seed, python: refs.python });
    else await runCourse(work, scales, o, refs);
  } catch (e) {
    notes.push(`the bench stopped early: ${(e as Error).stack ?? e}`);
    exit = 1;
  } finally {
    for (const c of [...live]) await killGroup(c);
  }
  finish(o, t0, work);
  return exit;
}

/** The "whole bench" row, the table on stdout, the JSON; the work folder removed unless --keep. */
function finish(o: Options, t0: number, work: string): void {
  const totalS = (performance.now() - t0) / 1000;
  const course = o.schema === "course";
  row({ step: "whole bench", rows: fmtInt(o.rows), ours: fmtS(totalS), target: course ? `≤ ${TARGET.benchMinutes} min (on a fresh clone at 1M)` : "", status: course && o.rows >= 1_000_000 ? verdict(totalS <= TARGET.benchMinutes * 60) : "" });
  Object.assign(result, { totalS: r2(totalS), loadavgAtEnd: os.loadavg().map(r2) });
  save();

  const args = `--rows ${o.rows}${course ? "" : ` --schema ${o.schema}`}${o.database ? ` --database ${redactUrl(o.database)}` : ""}`;
  process.stdout.write(`\n## npm run bench -- ${args}   (${new Date().toISOString().slice(0, 16)}Z, ${os.cpus().length} cores, load ${(result.host as { loadavgAtStart: number[] }).loadavgAtStart[0]} at start)\n\n${markdown()}\n\n`);
  if (notes.length) process.stdout.write(`${notes.map((n) => `- ${n}`).join("\n")}\n\n`);
  process.stdout.write(`JSON: ${outFile}\n`);
  if (!o.keep) fs.rmSync(work, { recursive: true, force: true });
  else process.stdout.write(`data and databases kept in ${work}\n`);
}

/** DROP + CREATE DATABASE `name` on the server of `url`; the new database's URL. */
async function freshPgDatabase(url: string, name: string): Promise<string> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await c.query(`CREATE DATABASE "${name}"`);
  } finally {
    await c.end();
  }
  const u = new URL(url);
  u.pathname = `/${name}`;
  // Migrated here, untimed: the first CLI step would otherwise carry the migration (and, on
  // PostgreSQL, the 10 s the Prisma CLI lingers after applying one: lib/db/migrate.ts).
  const { applyMigrations } = await import("../lib/db/migrate");
  applyMigrations(u.toString());
  return u.toString();
}

/** A measured step without its bulky output, for the JSON. */
function strip<T extends Measured>(m: T | undefined) {
  if (!m) return undefined;
  const { stdout: _stdout, stderrTail, ...rest } = m;
  return { ...rest, stderrTail: m.ok ? undefined : stderrTail };
}

main()
  .then((code) => process.exit(code))
  .catch(async (e) => {
    process.stderr.write(`bench failed: ${(e as Error).stack ?? e}\n`);
    for (const c of [...live]) await killGroup(c);
    process.exit(1);
  });
