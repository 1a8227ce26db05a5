import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { performance } from "node:perf_hooks";
import { quantiles } from "../lib/stats/quantile";

/*
 * npx tsx scripts/bench-lists.ts [--rows 10000] [--calls 200]
 *
 * Latency of the list routes (runs, scores, drift, alerts, quarantine, models, datasets) with a
 * long history: a temporary database gets --rows runs, scores, drift checks, alerts and
 * quarantined rows (and a tenth as many model versions and ledger entries), then each route
 * handler is called in this process (no HTTP, no Next.js) --calls times per request, after 10
 * warm-up calls, timed from the call to having read the whole body. Prints the median and p99
 * per request, and exits 1 when a p99 is above the 100 ms target of issue 8.
 */

const USAGE = "usage: npx tsx scripts/bench-lists.ts [--rows N] [--calls N]";
const TARGET_MS = 100;

type Handler = (request: Request, context: unknown) => Promise<Response>;

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { rows: { type: "string", default: "10000" }, calls: { type: "string", default: "200" } } });
  const rows = Number(values.rows);
  const calls = Number(values.calls);
  if (!Number.isInteger(rows) || rows < 10 || !Number.isInteger(calls) || calls < 1) {
    console.error(USAGE);
    return 2;
  }

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dra-bench-lists-"));
  process.env.DATABASE_URL = `file:${path.join(dir, "bench.db")}`;
  delete process.env.ADMIN_TOKEN;
  try {
    const { applyMigrations } = await import("../lib/db/migrate");
    const { disconnectAll, getDb } = await import("../lib/db/client");
    const { seedHistory } = await import("../lib/testing/seed-history");
    applyMigrations(process.env.DATABASE_URL);
    const db = getDb(process.env.DATABASE_URL);
    const seeded = performance.now();
    const many = Math.max(10, Math.round(rows / 10));
    await seedHistory(db, { models: many, datasets: many, runs: rows, scores: rows, driftChecks: rows, alerts: rows, rejectedRows: rows });
    console.log(
      `seeded ${rows} runs, scores, drift checks, alerts, quarantined rows and ${many} model versions and ledger entries in ${Math.round(performance.now() - seeded)} ms (${dir})`,
    );

    const route = async (p: string) => ((await import(`../app/api/${p}/route`)) as { GET: Handler }).GET;
    const mid = Math.round(rows / 2);
    const requests: [Handler, string][] = [
      [await route("runs"), "/api/runs"],
      [await route("runs"), `/api/runs?limit=100&before=${mid}`],
      [await route("runs"), "/api/runs?limit=1000"],
      [await route("scores"), "/api/scores"],
      [await route("scores"), `/api/scores?limit=100&before=${mid}`],
      [await route("scores"), "/api/scores?limit=1000"],
      [await route("drift"), "/api/drift"],
      [await route("drift"), `/api/drift?limit=100&before=${mid}`],
      [await route("drift"), `/api/drift?runId=${mid}`],
      [await route("alerts"), "/api/alerts"],
      [await route("alerts"), `/api/alerts?open=true&before=${mid}`],
      [await route("diagnostics/quarantine"), "/api/diagnostics/quarantine"],
      [await route("diagnostics/quarantine"), `/api/diagnostics/quarantine?dataset=1&before=${mid}`],
      [await route("models"), "/api/models"],
      [await route("models"), `/api/models?limit=100&before=${Math.round(many / 2)}`],
      [await route("datasets"), "/api/datasets"],
      [await route("datasets"), `/api/datasets?limit=100&before=${Math.round(many / 2)}`],
    ];

    console.log(`\n${calls} calls each (after 10 warm-up calls), in-process route handlers`);
    console.log(`${"request".padEnd(52)} ${"items".padStart(6)} ${"median ms".padStart(10)} ${"p99 ms".padStart(8)}`);
    const results: { request: string; items: number; medianMs: number; p99Ms: number }[] = [];
    for (const [handler, url] of requests) {
      let items = 0;
      const once = async () => {
        const started = performance.now();
        const res = await handler(new Request(`http://localhost${url}`), undefined);
        const text = await res.text();
        const ms = performance.now() - started;
        if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${text}`);
        const body = JSON.parse(text) as Record<string, unknown>;
        items = Object.values(body).find(Array.isArray)?.length ?? 0;
        return ms;
      };
      for (let i = 0; i < 10; i++) await once();
      const ms: number[] = [];
      for (let i = 0; i < calls; i++) ms.push(await once());
      const [medianMs, p99Ms] = quantiles(ms, [0.5, 0.99]);
      results.push({ request: url, items, medianMs, p99Ms });
      console.log(`${url.padEnd(52)} ${String(items).padStart(6)} ${medianMs.toFixed(2).padStart(10)} ${p99Ms.toFixed(2).padStart(8)}`);
    }
    const slow = results.filter((r) => r.p99Ms > TARGET_MS);
    console.log(slow.length ? `\n${slow.length} request(s) above ${TARGET_MS} ms at p99: ${slow.map((r) => r.request).join(", ")}` : `\nevery p99 ≤ ${TARGET_MS} ms`);
    console.log(JSON.stringify({ rows, calls, results }));
    await disconnectAll();
    return slow.length ? 1 : 0;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
