import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../config";
import { countRecords } from "../db/datasets";
import { createTestDb, type TestDb } from "../testing/temp-db";
import { runFullProcess } from "./full";

/*
 * SIGKILL of `npm run pipeline -- full` (a real subprocess), then the next run: nothing half
 * written, one deployed model, the killed run marked failed, its data checked by the next run.
 */

const ROOT = path.join(__dirname, "../..");
const TINY = path.join(ROOT, "data/samples/tiny");
const HEADER = "corporation,lastmonth_activity,lastyear_activity,number_of_employees,exited";

let t: TestDb;
let sourceDir: string;
const children: ChildProcess[] = [];
const servers: http.Server[] = [];

beforeEach(() => {
  t = createTestDb();
  sourceDir = path.join(t.dir, "source");
  fs.mkdirSync(sourceDir);
  for (const f of ["batch1.csv", "batch2.csv", "batch3.csv"]) fs.copyFileSync(path.join(TINY, f), path.join(sourceDir, f));
  Object.assign(process.env, { SOURCE_DIR: sourceDir, TEST_DATA: path.join(TINY, "testdata.csv"), REPORT_DIR: path.join(t.dir, "reports"), LOCK_TTL_SECONDS: "2", DRIFT_TRIGGER: "latest" });
  delete process.env.ALERT_WEBHOOK_URL;
});
afterEach(async () => {
  for (const c of children.splice(0)) if (c.pid && c.exitCode === null && c.signalCode === null) killGroup(c);
  for (const s of servers.splice(0)) s.closeAllConnections(), s.close();
  process.env.LOCK_TTL_SECONDS = "900";
  delete process.env.ALERT_WEBHOOK_URL;
  await t.cleanup();
});

function killGroup(c: ChildProcess) {
  try {
    process.kill(-c.pid!, "SIGKILL");
  } catch {
    /* gone */
  }
}

/** `pipeline full` in its own process group; resolves when it has exited. */
function cli(env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), path.join(ROOT, "scripts/pipeline.ts"), "full"], {
    cwd: ROOT,
    detached: true,
    env: { ...process.env, DATABASE_URL: t.url, SOURCE_DIR: sourceDir, npm_config_registry: "http://127.0.0.1:9/", ...env },
    stdio: "ignore",
  });
  children.push(child);
  return { child, exited: new Promise<void>((resolve) => child.on("exit", () => resolve())) };
}

async function waitFor<T>(fn: () => Promise<T | null | undefined>, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const v = await fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error("timed out waiting");
}

/** A run (other than `except`) whose step `name` has `status`. */
const runWithStep = (name: string, status: string, except: number) => () =>
  t.db.pipelineRun.findFirst({ where: { id: { not: except }, status: "running", steps: { contains: `"name":"${name}","status":"${status}"` } } });

/** n rows under new client ids; `shifted` rows make the deployed model's F1 drop (drift). */
function bigCsv(file: string, n: number, shifted: boolean) {
  const lines = [HEADER];
  for (let i = 0; i < n; i++) {
    const lm = (i * 7919) % 3000;
    const exited = shifted ? (lm > 1500 ? 1 : 0) : (i * 31) % 7 === 0 ? 1 : 0;
    lines.push(`big-${i},${lm},${(i * 104729) % 30000},${1 + (i % 900)},${exited}`);
  }
  fs.writeFileSync(file, lines.join("\n") + "\n");
}

const full = () => runFullProcess({ db: t.db, trigger: "cli" }, loadConfig(), undefined, { dependencies: "skip" });

async function counts() {
  const [datasets, records, snapshots, columns, blobs, rejected, deployments, models] = await Promise.all([
    t.db.dataset.count(),
    countRecords(t.db).then((c) => c.rows),
    t.db.dataSnapshot.count(),
    t.db.datasetColumns.count(),
    t.db.columnBlob.count(),
    t.db.rejectedRow.count(),
    t.db.deployment.count(),
    t.db.modelVersion.count(),
  ]);
  return { datasets, records, snapshots, columns, blobs, rejected, deployments, models };
}

describe("SIGKILL of a full run", () => {
  it("during the ingestion of a large file: nothing of the file is stored; the next run marks it failed and ingests the file", async () => {
    const first = await full();
    expect(first.outcome).toBe("redeployed");
    const before = await counts();
    bigCsv(path.join(sourceDir, "big.csv"), 400_000, false);

    const { child, exited } = cli();
    const killed = await waitFor(runWithStep("ingest", "running", first.id));
    await new Promise((r) => setTimeout(r, 300)); // well inside the file's one transaction (400,000 rows)
    killGroup(child);
    await exited;

    expect(await counts()).toEqual(before);
    expect(await t.db.dataset.findFirst({ where: { name: "big.csv" } })).toBeNull();
    expect((await t.db.pipelineRun.findUnique({ where: { id: killed.id } }))?.status).toBe("running"); // until its lock expires

    await new Promise((r) => setTimeout(r, 2200)); // LOCK_TTL_SECONDS=2
    const next = await full();
    expect(next.status).toBe("succeeded");
    expect(next.outcome).not.toBe("no-new-data");
    expect(await t.db.pipelineRun.findUnique({ where: { id: killed.id } })).toMatchObject({ status: "failed", error: expect.stringMatching(/lock expired/) });
    const big = await t.db.dataset.findFirstOrThrow({ where: { name: "big.csv" } });
    expect(big).toMatchObject({ rowsAccepted: 400_000, ingestedByRunId: next.id, checkedByRunId: next.id });
    expect(await t.db.deployment.count()).toBeGreaterThanOrEqual(before.deployments);
  }, 120_000);

  it("after its ingestion, while it waits on a drift alert's webhook: the next run scores and drift-checks the killed run's file", async () => {
    const first = await full();
    expect(first.outcome).toBe("redeployed");
    // a webhook that accepts the alert and never answers: the run stays at its drift alert
    const hang = http.createServer(() => undefined);
    servers.push(hang);
    await new Promise<void>((resolve) => hang.listen(0, "127.0.0.1", () => resolve()));
    const hook = `http://127.0.0.1:${(hang.address() as AddressInfo).port}/hook`;
    bigCsv(path.join(sourceDir, "shifted.csv"), 50_000, true);

    const { child, exited } = cli({ ALERT_WEBHOOK_URL: hook });
    const killed = await waitFor(runWithStep("drift", "succeeded", first.id));
    killGroup(child);
    await exited;

    const shifted = await t.db.dataset.findFirstOrThrow({ where: { name: "shifted.csv" } });
    expect(shifted).toMatchObject({ rowsAccepted: 50_000, ingestedByRunId: killed.id, checkedByRunId: null });
    const live = await t.db.deployment.findMany({ orderBy: { id: "desc" } });
    expect(live[0].modelVersionId).toBe((await t.db.deployment.findFirstOrThrow({ orderBy: { id: "asc" } })).modelVersionId);

    await new Promise((r) => setTimeout(r, 2200));
    const next = await full();
    expect(next.status).toBe("succeeded");
    expect(next.outcome).not.toBe("no-new-data");
    expect(next.reason).toContain(`shifted.csv (ingested by run ${killed.id}, which did not finish)`);
    expect(await t.db.dataset.findUniqueOrThrow({ where: { id: shifted.id } })).toMatchObject({ checkedByRunId: next.id });
    expect(await t.db.pipelineRun.findUnique({ where: { id: killed.id } })).toMatchObject({ status: "failed" });
  }, 120_000);
});
