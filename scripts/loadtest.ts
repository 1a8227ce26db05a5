/**
 * npm run loadtest [-- --seconds 30] [--rows 200000] [--keep DIR]
 *
 * A load test of the production build, on 127.0.0.1 only, bounded in time: autocannon with 16
 * connections for `--seconds` each on
 *   1. POST /api/prediction with 1 row — in the middle of this phase a new data file arrives, a
 *      full run starts (POST /api/runs) and a training (POST /api/train) runs beside it,
 *   2. POST /api/prediction with 100 rows,
 *   3. GET /api/scoring,
 * and the server's resident memory sampled every second (after a 10 s warm-up). Prints
 * requests/s, p50, p99 and errors per phase, the run's outcome and steps, and the RSS of the
 * first and the last 10 s.
 * Exits 1 when a request failed (errors, timeouts, non-2xx) or the server died.
 *
 * The data (`--rows` training rows in 10 files, a 20,000-row test file) comes from the bench's
 * generator; the database and the files live in a temporary folder (kept with --keep).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { generateBenchData, generateFreshCsv } from "./bench-data";
import { freePort, kB, listeningPid, processTree, procStatus, serverEnv, sleep, waitForHttp } from "./lib/processes";
import { buildIsCurrent, sourceStamp, STAMP_FILE } from "./source-stamp";

const ROOT = path.resolve(__dirname, "..");
const HOST = "127.0.0.1";
const NEXT = path.join(ROOT, "node_modules", "next", "dist", "bin", "next");
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");

const { values } = parseArgs({ options: { seconds: { type: "string", default: "30" }, rows: { type: "string", default: "200000" }, keep: { type: "string" } } });
const SECONDS = Math.max(5, Math.min(120, Number(values.seconds)));
const ROWS = Math.max(10_000, Math.min(2_000_000, Number(values.rows)));

const log = (m: string) => process.stderr.write(`[loadtest ${new Date().toISOString().slice(11, 19)}] ${m}\n`);

interface Phase {
  name: string;
  requestsPerS: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  total: number;
}

async function cannon(name: string, url: string, init: { method: "GET" | "POST"; body?: string }): Promise<Phase> {
  log(`${name}: 16 connections, ${SECONDS} s`);
  const r = await autocannon({
    url,
    method: init.method,
    headers: init.body ? { "content-type": "application/json" } : undefined,
    body: init.body,
    connections: 16,
    duration: SECONDS,
    timeout: 10,
  });
  return { name, requestsPerS: Math.round(r.requests.average), p50Ms: r.latency.p50, p99Ms: r.latency.p99, errors: r.errors, timeouts: r.timeouts, non2xx: r.non2xx, total: r.requests.total };
}

function rowsOf(file: string, n: number): Record<string, string | number>[] {
  const [header, ...lines] = fs.readFileSync(file, "utf8").trimEnd().split("\n").slice(0, n + 1);
  const cols = header.split(",");
  return lines.map((l) => {
    const cells = l.split(",");
    const row: Record<string, string | number> = {};
    cols.forEach((c, i) => {
      if (c !== "exited") row[c] = c === "corporation" ? cells[i] : Number(cells[i] || 0);
    });
    return row;
  });
}

/** Data prepared by a first start, a build when the sources changed, and the server (scripts/serve.ts) answering. */
async function startServer(dir: string): Promise<{ child: ChildProcess; base: string; pid: number }> {
  const env = {
    ...process.env,
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: `file:${path.join(dir, "app.db")}`,
    SOURCE_DIR: path.join(dir, "data", "source"),
    TEST_DATA: path.join(dir, "data", "test.csv"),
    REPORT_DIR: path.join(dir, "reports"),
    PIPELINE_CRON: "",
    ADMIN_TOKEN: "",
    npm_config_registry: "http://127.0.0.1:9/", // the run's dependency check stays offline and quick
  };
  log("set-up: ingest, train, deploy");
  const boot = spawnSync(TSX, [path.join(ROOT, "scripts", "first-start.ts")], { cwd: ROOT, env, encoding: "utf8", timeout: 600_000 });
  if (boot.status !== 0) throw new Error(`first start failed: ${boot.stderr.slice(-800)}`);
  const stamp = sourceStamp();
  if (!buildIsCurrent(stamp)) {
    log("next build (the sources changed since the last build)");
    const b = spawnSync(process.execPath, [NEXT, "build"], { cwd: ROOT, env, encoding: "utf8", timeout: 900_000 });
    if (b.status !== 0) throw new Error(`next build failed: ${(b.stdout + b.stderr).slice(-1500)}`);
    fs.writeFileSync(STAMP_FILE, stamp);
  }
  const port = await freePort(HOST);
  const base = `http://${HOST}:${port}`;
  const child = spawn(TSX, [path.join(ROOT, "scripts", "serve.ts"), "--hostname", HOST, "--port", String(port)], { cwd: ROOT, env: serverEnv({ ...env, PORT: String(port) }), detached: true, stdio: "ignore" });
  if (!(await waitForHttp(`${base}/api/health`, 120, child))) {
    if (child.pid) process.kill(-child.pid, "SIGKILL");
    throw new Error("the server did not answer /api/health within 120 s");
  }
  const pid = listeningPid(processTree(child.pid!), port) ?? child.pid!;
  return { child, base, pid };
}

/** A third into phase 1: new data arrives, a full run starts, and a training runs beside it. */
async function runAndTrainMidway(base: string, dir: string) {
  await sleep((SECONDS * 1000) / 3);
  await generateFreshCsv(path.join(dir, "data", "source", "zz-arrived.csv"), Math.round(ROWS / 10), 4242);
  const started = await fetch(`${base}/api/runs`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
  const { run } = (await started.json()) as { run: { id: number } };
  log(`run ${run.id} started (${started.status}); training through POST /api/train beside it`);
  const trained = await fetch(`${base}/api/train`, { method: "POST" });
  const model = trained.ok ? ((await trained.json()) as { model: { version: number; trainedRows: number; trainingMs: number } }).model : null;
  let view: { status: string; outcome: string | null; steps: { name: string; status: string; ms: number }[]; reason: string | null } | null = null;
  for (let i = 0; i < 600; i++) {
    view = await (await fetch(`${base}/api/runs/${run.id}`)).json();
    if (view!.status !== "running") break;
    await sleep(250);
  }
  return { runId: run.id, startStatus: started.status, trainStatus: trained.status, model, run: view };
}

/** The phases' table and the RSS lines; `failed` when a target was missed or the server died. */
function reportLines(phases: Phase[], rss: { t: number; mb: number }[], during: Awaited<ReturnType<typeof runAndTrainMidway>>, alive: boolean): { lines: string[]; failed: boolean } {
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
  const end = rss.length ? rss[rss.length - 1].t : 0;
  const first = mean(rss.filter((s) => s.t <= 10).map((s) => s.mb));
  const last = mean(rss.filter((s) => s.t >= end - 10).map((s) => s.mb));
  const floorFirst = Math.min(...rss.filter((s) => s.t <= 10).map((s) => s.mb));
  const floorLast = Math.min(...rss.filter((s) => s.t >= end - 10).map((s) => s.mb));
  const failed = phases.some((p) => p.errors + p.timeouts + p.non2xx > 0) || !alive || during.startStatus !== 202 || during.trainStatus !== 201;

  const lines = [
    `## npm run loadtest -- --seconds ${SECONDS} --rows ${ROWS}   (${new Date().toISOString().slice(0, 16)}Z, ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(2)})`,
    "",
    "| phase (16 connections, " + SECONDS + " s) | requests/s | p50 | p99 | errors · timeouts · non-2xx | requests |",
    "|---|---:|---:|---:|---|---:|",
    ...phases.map((p) => `| ${p.name} | ${p.requestsPerS.toLocaleString("en")} | ${p.p50Ms} ms | ${p.p99Ms} ms | ${p.errors} · ${p.timeouts} · ${p.non2xx} | ${p.total.toLocaleString("en")} |`),
    "",
    `- in the middle of phase 1: run ${during.runId} (POST /api/runs → ${during.startStatus}) ended ${during.run?.status} / ${during.run?.outcome}; steps: ${during.run?.steps.map((s) => `${s.name} ${Math.round(s.ms)} ms`).join(", ")}`,
    `- POST /api/train beside it → ${during.trainStatus}${during.model ? `: v${during.model.version} on ${during.model.trainedRows.toLocaleString("en")} rows, fit ${Math.round(during.model.trainingMs)} ms` : ""}`,
    `- server RSS: first 10 s ${first.toFixed(0)} MB, last 10 s ${last.toFixed(0)} MB (${last >= first ? "+" : ""}${(last - first).toFixed(0)} MB), peak ${Math.max(...rss.map((s) => s.mb)).toFixed(0)} MB; server ${alive ? "alive" : "DIED"}`,
    // the garbage collector's saw-tooth is tens of MB wide: the lowest reading of each window is the floor a leak would raise
    `- server RSS floor (lowest 1 s reading): first 10 s ${floorFirst.toFixed(0)} MB, last 10 s ${floorLast.toFixed(0)} MB (${floorLast >= floorFirst ? "+" : ""}${(floorLast - floorFirst).toFixed(0)} MB)`,
    `- server RSS, mean of each 10 s: ${Array.from({ length: Math.ceil(end / 10) }, (_, i) => mean(rss.filter((s) => s.t > i * 10 && s.t <= (i + 1) * 10).map((s) => s.mb)).toFixed(0)).join(", ")} MB`,
    `- targets (issue 9): zero errors and dropped connections — ${failed ? "NOT MET" : "met"}; p99 ≤ 50 ms for 1-row predictions — ${phases[0].p99Ms <= 50 ? "met" : "NOT MET"} (${phases[0].p99Ms} ms)`,
  ];
  return { lines, failed };
}

async function main(): Promise<number> {
  const dir = values.keep ? path.resolve(values.keep) : fs.mkdtempSync(path.join(os.tmpdir(), "dra-loadtest-"));
  fs.mkdirSync(dir, { recursive: true });
  let server: { child: ChildProcess; base: string; pid: number } | null = null;
  const stop = () => {
    if (server?.child.pid && server.child.exitCode === null) {
      try {
        process.kill(-server.child.pid, "SIGKILL");
      } catch {
        /* gone */
      }
    }
  };
  process.on("SIGINT", () => (stop(), process.exit(130)));
  try {
    log(`data: ${ROWS.toLocaleString("en")} rows in ${dir}`);
    await generateBenchData(path.join(dir, "data"), { rows: ROWS });
    server = await startServer(dir);
    const { base, pid } = server;
    log(`server on ${base} (pid ${pid})`);

    // A warm-up (not reported) first, of each kind of request measured: the heap of a cold server
    // grows in its first seconds of load and with each code path it first runs, and that is not
    // the growth over time the RSS comparison is about.
    log("warm-up: 4 s each of 1-row and 100-row predictions and GET /api/scoring (not reported)");
    const json = { "content-type": "application/json" };
    await autocannon({ url: `${base}/api/prediction`, method: "POST", headers: json, body: JSON.stringify({ rows: rowsOf(path.join(dir, "data", "test.csv"), 1) }), connections: 16, duration: 4 });
    await autocannon({ url: `${base}/api/prediction`, method: "POST", headers: json, body: JSON.stringify({ rows: rowsOf(path.join(dir, "data", "test.csv"), 100) }), connections: 16, duration: 4 });
    await autocannon({ url: `${base}/api/scoring`, method: "GET", connections: 16, duration: 4 });

    const rss: { t: number; mb: number }[] = [];
    const t0 = Date.now();
    const sampler = setInterval(() => rss.push({ t: (Date.now() - t0) / 1000, mb: kB(procStatus(pid)?.VmRSS) / 1024 }), 1000);

    const test = path.join(dir, "data", "test.csv");
    const one = JSON.stringify({ rows: rowsOf(test, 1) });
    const hundred = JSON.stringify({ rows: rowsOf(test, 100) });
    const phases: Phase[] = [];

    // In the middle of phase 1: new data, a full run, and a training beside it.
    const middle = runAndTrainMidway(base, dir);
    phases.push(await cannon("POST /api/prediction, 1 row (a run and a training in the middle)", `${base}/api/prediction`, { method: "POST", body: one }));
    const during = await middle;
    phases.push(await cannon("POST /api/prediction, 100 rows", `${base}/api/prediction`, { method: "POST", body: hundred }));
    phases.push(await cannon("GET /api/scoring", `${base}/api/scoring`, { method: "GET" }));
    // the first phase's load again, so that the first and the last 10 s of RSS are the same work
    phases.push(await cannon("POST /api/prediction, 1 row, again (after the run and the training)", `${base}/api/prediction`, { method: "POST", body: one }));
    clearInterval(sampler);
    const alive = server.child.exitCode === null && server.child.signalCode === null;

    const { lines, failed } = reportLines(phases, rss, during, alive);
    process.stdout.write(lines.join("\n") + "\n");
    return failed ? 1 : 0;
  } finally {
    stop();
    if (!values.keep) fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`loadtest failed: ${(e as Error).message}\n`);
    process.exit(1);
  },
);
