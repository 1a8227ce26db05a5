import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { POST as ingest } from "./route";
import { POST as predict } from "@/app/api/prediction/route";
import { loadConfig } from "@/lib/config";
import { countRecords } from "@/lib/db/datasets";
import { jsonRequest, multipartRequest } from "@/lib/testing/api";
import { createTestDb, type TestDb } from "@/lib/testing/temp-db";
import { runFullProcess } from "@/lib/pipeline/full";

/*
 * SQLite with several writers: the CLI's full process ingests a large file in another process
 * while this "server" ingests uploads (on worker threads) and answers predictions. WAL lets the
 * reads go on; the busy timeout makes each writer wait its turn: no "database is locked".
 */

const ROOT = path.join(__dirname, "../../..");
const TINY = path.join(ROOT, "data/samples/tiny");
const HEADER = "corporation,lastmonth_activity,lastyear_activity,number_of_employees,exited";
let t: TestDb;
let sourceDir: string;

beforeEach(() => {
  t = createTestDb();
  sourceDir = path.join(t.dir, "source");
  fs.mkdirSync(sourceDir);
  for (const f of ["batch1.csv", "batch2.csv", "batch3.csv"]) fs.copyFileSync(path.join(TINY, f), path.join(sourceDir, f));
  Object.assign(process.env, { SOURCE_DIR: sourceDir, TEST_DATA: path.join(TINY, "testdata.csv"), REPORT_DIR: path.join(t.dir, "reports") });
  delete process.env.ADMIN_TOKEN;
});
afterEach(async () => {
  await t.cleanup();
});

function csv(prefix: string, n: number): string {
  const lines = [HEADER];
  for (let i = 0; i < n; i++) lines.push(`${prefix}-${i},${(i * 7919) % 3000},${(i * 104729) % 30000},${1 + (i % 900)},${(i * 31) % 7 === 0 ? 1 : 0}`);
  return lines.join("\n") + "\n";
}

describe("concurrent writers", () => {
  it("the CLI's full process on a large file while uploads are ingested and predictions answered: every request succeeds, no SQLITE_BUSY", async () => {
    expect((await runFullProcess({ db: t.db, trigger: "cli" }, loadConfig(), undefined, { dependencies: "skip" })).outcome).toBe("redeployed");
    fs.writeFileSync(path.join(sourceDir, "big.csv"), csv("big", 300_000));
    const errors = vi.spyOn(console, "error");

    const child = spawn(process.execPath, [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), path.join(ROOT, "scripts/pipeline.ts"), "full"], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: t.url, npm_config_registry: "http://127.0.0.1:9/" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    const cliDone = new Promise<number | null>((resolve) => child.on("close", resolve));
    // start while the CLI's run is under way
    await new Promise((r) => setTimeout(r, 1500));

    const row = { corporation: "p", lastmonth_activity: 10, lastyear_activity: 100, number_of_employees: 5 };
    const uploads = Array.from({ length: 4 }, (_, k) => ingest(multipartRequest("/api/ingest", [{ name: `up-${k}.csv`, content: csv(`up${k}`, 20_000) }]), undefined));
    const predictions: Promise<Response>[] = [];
    for (let i = 0; i < 100; i++) {
      predictions.push(predict(jsonRequest("/api/prediction", { rows: [row] }), undefined));
      if (i % 10 === 0) await new Promise((r) => setTimeout(r, 50));
    }
    const [up, pr] = await Promise.all([Promise.all(uploads), Promise.all(predictions)]);
    expect(up.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    expect(pr.every((r) => r.status === 200)).toBe(true);
    expect(await cliDone, err).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ status: "succeeded" });
    expect(`${err}${errors.mock.calls.flat().join(" ")}`).not.toMatch(/SQLITE_BUSY|database is locked/);
    expect(await t.db.dataset.count({ where: { name: { in: ["big.csv", "up-0.csv", "up-1.csv", "up-2.csv", "up-3.csv"] } } })).toBe(5);
    expect((await countRecords(t.db)).rows).toBeGreaterThanOrEqual(300_000 + 4 * 20_000);
  }, 120_000);
});
