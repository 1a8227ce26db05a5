import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { POST as postRun } from "./route";
import { getRun } from "@/lib/db/runs";
import { createTestDb, type TestDb } from "@/lib/testing/temp-db";
import { loadConfig } from "@/lib/config";
import { waitForBackgroundRuns } from "@/lib/pipeline/background";
import { beginRun, runFullProcess } from "@/lib/pipeline/full";

/*
 * One run at a time, across processes: the CLI (a real subprocess) and the POST /api/runs
 * handler (this process) share the database lock. A killed run's lock lapses after
 * LOCK_TTL_SECONDS.
 */

const ROOT = path.join(__dirname, "../../..");
const noParams = { params: Promise.resolve({}) };

let t: TestDb;
let sourceDir: string;
const children: ChildProcess[] = [];

/** The demo source files, and (big) the same rows again under other client ids: a run that trains ~6,000 rows. */
function fillSource({ big }: { big: boolean }) {
  for (const f of fs.readdirSync(path.join(ROOT, "data/sourcedata"))) {
    const content = fs.readFileSync(path.join(ROOT, "data/sourcedata", f), "utf8");
    fs.writeFileSync(path.join(sourceDir, f), content);
    if (big) {
      const [header, ...lines] = content.trimEnd().split("\n");
      const col = header.split(",").indexOf("corporation");
      const copy = lines.map((l) => l.split(",").map((v, i) => (i === col ? `copy-${v}` : v)).join(","));
      fs.writeFileSync(path.join(sourceDir, `copy-${f}`), [header, ...copy].join("\n") + "\n");
    }
  }
}

beforeEach(() => {
  t = createTestDb();
  sourceDir = path.join(t.dir, "source");
  fs.mkdirSync(sourceDir);
  Object.assign(process.env, {
    SOURCE_DIR: sourceDir,
    TEST_DATA: path.join(ROOT, "data/testdata/testdata.csv"),
    REPORT_DIR: path.join(t.dir, "reports"),
    LOCK_TTL_SECONDS: "900",
    // runs in this process refresh the dependency cache in the background: keep npm offline
    npm_config_registry: "http://127.0.0.1:9/",
  });
  delete process.env.ADMIN_TOKEN;
  delete process.env.ALERT_WEBHOOK_URL;
});
afterEach(async () => {
  for (const c of children.splice(0)) {
    if (c.exitCode !== null || c.signalCode !== null || !c.pid) continue;
    try {
      process.kill(-c.pid, "SIGKILL");
    } catch {
      /* already gone */
    }
  }
  await t.cleanup();
});

/** `npm run pipeline -- full` as a subprocess in its own process group (so a kill reaches tsx's child too). */
function cli(env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), path.join(ROOT, "scripts/pipeline.ts"), "full"], {
    cwd: ROOT,
    detached: true,
    env: { ...process.env, DATABASE_URL: t.url, SOURCE_DIR: sourceDir, npm_config_registry: "http://127.0.0.1:9/", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (c) => (stdout += c));
  child.stderr!.on("data", (c) => (stderr += c));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
  return { child, done };
}

async function waitFor<T>(fn: () => Promise<T | null | undefined>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const v = await fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("timed out waiting");
}

const startViaHttp = () => postRun(new Request("http://localhost/api/runs", { method: "POST" }), noParams);

describe("pipeline lock", () => {
  it("10 concurrent POST /api/runs: exactly one starts (202), nine are refused (409)", async () => {
    fillSource({ big: false });
    const responses = await Promise.all(Array.from({ length: 10 }, () => startViaHttp()));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([202, ...Array(9).fill(409)]);
    for (const r of responses.filter((x) => x.status === 409)) expect((await r.json()).error.code).toBe("conflict:pipeline");
    await waitForBackgroundRuns();
    expect(await t.db.pipelineRun.count()).toBe(1);
    expect(await t.db.pipelineRun.findFirst()).toMatchObject({ status: "succeeded" });
  }, 90_000);

  it("CLI running → POST /api/runs is refused with 409 and a clear message; the CLI run completes", async () => {
    fillSource({ big: false });
    const { done } = cli();
    const lock = await waitFor(() => t.db.pipelineLock.findFirst({ where: { id: 1, runId: { not: null } } }));
    const res = await startViaHttp();
    expect(res.status).toBe(409);
    const body = await res.json();
    expect(body.error.code).toBe("conflict:pipeline");
    expect(body.error.message).toMatch(new RegExp(`A pipeline run is already in progress \\(run ${lock.runId}, started by .+\\); wait for it to finish`));
    const r = await done;
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ id: lock.runId, status: "succeeded", outcome: "redeployed" });
    expect(await t.db.pipelineLock.count()).toBe(0);
  }, 90_000);

  it("a run the server started is in progress (it holds the lock) → the CLI exits 1 with a clear message", async () => {
    // The server's run takes the lock first (beginRun, as POST /api/runs does before it answers
    // 202) and is finished below, after the CLI tried: no race with how long a run takes.
    fillSource({ big: false });
    const held = await beginRun(t.db, "api", { LOCK_TTL_SECONDS: 900 });
    const r = await cli().done;
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`A pipeline run is already in progress \\(run ${held.id}, started by .+\\).*conflict:pipeline`));
    const config = loadConfig();
    const done = await runFullProcess({ db: t.db, trigger: "api" }, config, held, { dependencies: "skip" });
    expect(done).toMatchObject({ id: held.id, status: "succeeded", outcome: "redeployed", trigger: "api" });
    expect(await t.db.pipelineRun.count()).toBe(1);
  }, 90_000);

  it("a killed run blocks the next start only until its lock expires; it is then marked failed", async () => {
    fillSource({ big: false });
    const { child, done } = cli({ LOCK_TTL_SECONDS: "3" });
    const lock = await waitFor(() => t.db.pipelineLock.findFirst({ where: { id: 1, runId: { not: null } } }));
    process.kill(-child.pid!, "SIGKILL");
    await done;
    const held = await t.db.pipelineLock.findUnique({ where: { id: 1 } });
    expect(held?.runId).toBe(lock.runId);
    if (held!.expiresAt.getTime() > Date.now() + 200) {
      const refused = await startViaHttp();
      expect(refused.status).toBe(409);
      expect((await refused.json()).error.message).toMatch(/its lock expires at/);
    }
    await new Promise((r) => setTimeout(r, Math.max(0, held!.expiresAt.getTime() - Date.now() + 100)));
    const res = await startViaHttp();
    expect(res.status).toBe(202);
    const { run } = await res.json();
    const killed = await getRun(t.db, { id: lock.runId! });
    expect(killed).toMatchObject({ status: "failed", error: expect.stringMatching(/lock expired .* \(process killed\?\)/) });
    await waitForBackgroundRuns();
    expect(await getRun(t.db, { id: run.id })).toMatchObject({ status: "succeeded" });
  }, 90_000);

  it("a stale lock (past expiry) left by a crashed process does not block", async () => {
    const crashed = await t.db.pipelineRun.create({ data: { trigger: "cli", status: "running" } });
    await t.db.pipelineLock.create({ data: { id: 1, runId: crashed.id, owner: "elsewhere:1", expiresAt: new Date(Date.now() - 1000) } });
    const res = await startViaHttp();
    expect(res.status).toBe(202);
    await waitForBackgroundRuns();
    expect(await getRun(t.db, { id: crashed.id })).toMatchObject({ status: "failed" });
    const { run } = await res.json();
    expect(await getRun(t.db, { id: run.id })).toMatchObject({ status: "succeeded", outcome: "no-new-data" });
  });

  it("POST /api/runs needs the token when ADMIN_TOKEN is set", async () => {
    process.env.ADMIN_TOKEN = "s3cret-token";
    try {
      const res = await startViaHttp();
      expect(res.status).toBe(401);
      expect(await t.db.pipelineRun.count()).toBe(0);
    } finally {
      delete process.env.ADMIN_TOKEN;
    }
  });
});
