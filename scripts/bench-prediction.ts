import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { quantiles } from "../lib/stats/quantile";
import { runCli } from "./lib/cli";

/*
 * npm run bench:prediction -- [--base-url http://localhost:3000 | --in-process] [--runs 20] [--token T]
 *
 * Latency of POST /api/prediction with a 1-row, a 1,000-row and a 10,000-row JSON body (and a
 * 10,000-row CSV upload): median, p95 and p99 over N runs (after 2 warm-up calls), measured
 * from sending the request to having read the whole response. --in-process calls the route handler directly on a temporary database
 * (the source data ingested, a model trained and deployed) — no HTTP, no Next.js.
 */

const USAGE = "usage: npm run bench:prediction -- [--base-url URL | --in-process] [--runs N] [--token ADMIN_TOKEN]";

/** JSON text, or a CSV sent as a multipart upload in the field `file`. */
type Payload = { json: string } | { csv: string };
type Send = (payload: Payload) => Promise<{ status: number; rows: number }>;

function init(payload: Payload, headers: Record<string, string> = {}): RequestInit {
  if ("json" in payload) return { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: payload.json };
  const form = new FormData();
  form.append("file", new Blob([payload.csv], { type: "text/csv" }), "bench.csv");
  return { method: "POST", headers, body: form };
}

function csv(n: number): string {
  const lines = rows(n).map((r) => `${r.corporation},${r.lastmonth_activity},${r.lastyear_activity},${r.number_of_employees}`);
  return ["corporation,lastmonth_activity,lastyear_activity,number_of_employees", ...lines].join("\n") + "\n";
}

function rows(n: number) {
  return Array.from({ length: n }, (_, i) => ({
    corporation: `bench-${i}`,
    lastmonth_activity: (i * 37) % 3000,
    lastyear_activity: (i * 911) % 25000,
    number_of_employees: (i * 13) % 1500,
  }));
}

async function measure(send: Send, body: Payload, expectRows: number, runs: number) {
  for (let i = 0; i < 2; i++) await send(body);
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const r = await send(body);
    ms.push(performance.now() - start);
    if (r.status !== 200 || r.rows !== expectRows) throw new Error(`prediction answered ${r.status} with ${r.rows} predictions (expected 200 with ${expectRows})`);
  }
  const [median, p95, p99] = quantiles(ms, [0.5, 0.95, 0.99]);
  return { runs, median, p95, p99, min: Math.min(...ms), max: Math.max(...ms) };
}

async function inProcessSender(): Promise<{ send: Send; cleanup: () => void }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dra-bench-"));
  process.env.DATABASE_URL = `file:${path.join(dir, "bench.db")}`;
  const { loadConfig } = await import("../lib/config");
  const { applyMigrations } = await import("../lib/db/migrate");
  const { getDb } = await import("../lib/db/client");
  const { ingestFolder } = await import("../lib/ingestion/ingest");
  const { trainStep, scoreStep, deployStep } = await import("../lib/pipeline/steps");
  const config = loadConfig();
  applyMigrations(config.DATABASE_URL);
  const db = getDb(config.DATABASE_URL);
  const ingested = await ingestFolder(db, config.SOURCE_DIR, { exclude: [config.TEST_DATA] });
  const model = await trainStep({ db, trigger: "bench" });
  await scoreStep({ db, trigger: "bench" }, model, config.TEST_DATA);
  await deployStep({ db, trigger: "bench" }, model.id, "benchmark");
  console.log(`in-process: ${ingested.ingested.length} files from ${config.SOURCE_DIR}, model v${model.version} on ${model.trainedRows} rows, database ${dir}`);
  const { POST } = await import("../app/api/prediction/route");
  const send: Send = async (payload) => {
    const res = await POST(new Request("http://localhost/api/prediction", init(payload)), undefined);
    const json = (await res.json()) as { predictions?: unknown[] };
    return { status: res.status, rows: json.predictions?.length ?? 0 };
  };
  return { send, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

function httpSender(baseUrl: string, token?: string): Send {
  const url = new URL("/api/prediction", baseUrl);
  return async (payload) => {
    const res = await fetch(url, init(payload, token ? { authorization: `Bearer ${token}` } : {}));
    const json = (await res.json()) as { predictions?: unknown[] };
    return { status: res.status, rows: json.predictions?.length ?? 0 };
  };
}

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        "base-url": { type: "string", default: "http://localhost:3000" },
        "in-process": { type: "boolean", default: false },
        runs: { type: "string", default: "20" },
        token: { type: "string" },
      },
    }));
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) {
    console.error(`--runs must be a positive integer\n${USAGE}`);
    return 2;
  }
  let send: Send;
  let cleanup = () => {};
  if (values["in-process"]) {
    ({ send, cleanup } = await inProcessSender());
  } else {
    send = httpSender(values["base-url"], values.token ?? process.env.ADMIN_TOKEN);
    try {
      await fetch(new URL("/api/health", values["base-url"]));
    } catch (e) {
      console.error(`Cannot reach the server at ${values["base-url"]} (${(e as Error).message}). Start it with \`npm start\`, or use --in-process.`);
      return 1;
    }
  }
  try {
    const where = values["in-process"] ? "in-process route handler" : `${values["base-url"]}/api/prediction`;
    console.log(`POST /api/prediction, ${runs} runs each after 2 warm-ups, ${where}; node ${process.version}, ${os.cpus().length} CPU(s)`);
    const cases: [string, number, Payload][] = [
      ["JSON", 1, { json: JSON.stringify({ rows: rows(1) }) }],
      ["JSON", 1_000, { json: JSON.stringify({ rows: rows(1_000) }) }],
      ["JSON", 10_000, { json: JSON.stringify({ rows: rows(10_000) }) }],
      ["CSV upload", 10_000, { csv: csv(10_000) }],
    ];
    for (const [kind, n, payload] of cases) {
      const r = await measure(send, payload, n, runs);
      const kib = ("json" in payload ? payload.json : payload.csv).length / 1024;
      console.log(
        `${kind.padEnd(10)} ${String(n).padStart(6)} row(s), ${kib.toFixed(0).padStart(5)} KiB: median ${r.median.toFixed(2)} ms, p95 ${r.p95.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms (min ${r.min.toFixed(1)}, max ${r.max.toFixed(1)})`,
      );
    }
    return 0;
  } finally {
    cleanup();
  }
}

runCli(() => main(process.argv.slice(2)));
