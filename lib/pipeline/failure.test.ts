import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../config";
import { listAlerts } from "../db/alerts";
import { getRun } from "../db/runs";
import { createTestDb, type TestDb } from "../testing/temp-db";
import { beginRun, runFullProcess } from "./full";

/* A failed run is recorded (failed step, reason) and raises an alert through the webhook (127.0.0.1). */

const TINY = path.join(__dirname, "../../data/samples/tiny");
const received: unknown[] = [];
let server: http.Server;
let hook: string;
let t: TestDb;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let data = "";
    req.on("data", (c) => (data += c));
    req.on("end", () => {
      received.push(JSON.parse(data));
      res.writeHead(204).end();
    });
  });
  hook = await new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/alerts`)));
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});
beforeEach(() => {
  t = createTestDb();
  received.length = 0;
  Object.assign(process.env, { SOURCE_DIR: TINY, TEST_DATA: path.join(t.dir, "missing-testdata.csv"), REPORT_DIR: path.join(t.dir, "reports"), ALERT_WEBHOOK_URL: hook });
});
afterEach(async () => {
  delete process.env.ALERT_WEBHOOK_URL;
  await t.cleanup();
});

describe("a failing run", () => {
  it("is stored as failed with the failed step and reason, releases the lock, and alerts the webhook", async () => {
    const run = await runFullProcess({ db: t.db, trigger: "cli" }, loadConfig(), undefined, { dependencies: "skip" });
    expect(run.status).toBe("failed");
    expect(run.outcome).toBeNull();
    expect(run.steps.map((s) => [s.name, s.status])).toEqual([
      ["ingest", "succeeded"],
      ["train", "succeeded"],
      ["score", "failed"],
    ]);
    expect(run.reason).toMatch(/^failed at step score: The test data file .*missing-testdata\.csv does not exist/);
    expect(await t.db.pipelineLock.count()).toBe(0);
    const [alert] = await listAlerts(t.db);
    expect(alert).toMatchObject({ kind: "run-failed", runId: run.id, delivered: true });
    expect(received).toEqual([expect.objectContaining({ kind: "run-failed", runId: run.id, message: expect.stringMatching(/failed at step score/) })]);
  }, 30_000);

  it("a run that died (expired lock) is marked failed and alerted when the next run takes the lock", async () => {
    fs.mkdirSync(path.join(t.dir, "empty"));
    process.env.SOURCE_DIR = path.join(t.dir, "empty");
    const dead = await t.db.pipelineRun.create({ data: { trigger: "schedule", status: "running" } });
    await t.db.pipelineLock.create({ data: { id: 1, runId: dead.id, owner: "host:1", expiresAt: new Date(Date.now() - 1) } });
    const next = await beginRun(t.db, "cli", loadConfig());
    expect(await getRun(t.db, { id: dead.id })).toMatchObject({ status: "failed", error: expect.stringMatching(/lock expired/) });
    expect((await listAlerts(t.db))[0]).toMatchObject({ kind: "run-failed", runId: dead.id, delivered: true });
    const finished = await runFullProcess({ db: t.db, trigger: "cli" }, loadConfig(), next, { dependencies: "skip" });
    expect(finished).toMatchObject({ status: "succeeded", outcome: "no-new-data" });
  });
});
