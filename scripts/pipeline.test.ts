import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import Database from "better-sqlite3";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { disconnectAll } from "../lib/db/client";
import { listDatasets } from "../lib/db/datasets";
import { closeSqliteConnections } from "../lib/db/sqlite";
import { getCurrentDeployment } from "../lib/db/models";
import { storedRows } from "../lib/testing/stored-rows";
import { useTestDb } from "../lib/testing/temp-db";

const run = promisify(execFile);
const ROOT = path.join(__dirname, "..");
const TINY = path.join(ROOT, "data/samples/tiny");

const t = useTestDb();

/** The CLI as `npm run pipeline` runs it: scripts/cli.cjs and its cached bundle. */
function cli(args: string[], env: Record<string, string> = {}) {
  return run(process.execPath, [path.join(ROOT, "scripts/cli.cjs"), "pipeline", ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: t.url, SOURCE_DIR: TINY, TEST_DATA: path.join(TINY, "testdata.csv"), ...env },
  });
}

describe("npm run pipeline", () => {
  it("full: ingests another folder (duplicates across files, stray non-CSV files), trains, scores, deploys; again ingests nothing", async () => {
    // Files cut into pieces of 64 bytes, parsed on the bundle's parse threads (parse-worker.cjs).
    const first = JSON.parse((await cli(["full"], { INGEST_PARALLEL_MIN_BYTES: "0", INGEST_PIECE_BYTES: "64", INGEST_THREADS: "2" })).stdout);
    expect(first.status).toBe("succeeded");
    expect(first.outcome).toBe("redeployed");
    expect(first.steps.map((s: { name: string }) => s.name)).toEqual(expect.arrayContaining(["ingest", "train", "score", "deploy"]));
    const datasets = await listDatasets(t.db);
    expect(datasets.filter((d) => d.role === "source").map((d) => d.name)).toEqual(["batch1.csv", "batch2.csv", "batch3.csv"]);
    const records = (await storedRows(t.db)).length;
    expect(records).toBe(44 - 4);
    expect((await getCurrentDeployment(t.db))?.modelVersion.version).toBe(1);

    const second = JSON.parse((await cli(["full"])).stdout);
    expect(second.status).toBe("succeeded");
    expect(second.outcome).toBe("no-new-data");
    expect((await storedRows(t.db)).length).toBe(records);
    expect((await listDatasets(t.db)).length).toBe(datasets.length);
  });

  it("replay DIR: one full-process run per new CSV, in name order; again replays nothing; a missing folder exits 1", async () => {
    const out = JSON.parse((await cli(["replay", TINY])).stdout);
    expect(out.replayed.map((r: { file: string }) => r.file)).toEqual(["batch1.csv", "batch2.csv", "batch3.csv"]);
    expect(out.replayed.map((r: { status: string }) => r.status)).toEqual(["succeeded", "succeeded", "succeeded"]);
    expect(out.replayed[0].outcome).toBe("redeployed");
    // each run ingested its own file only
    const datasets = await listDatasets(t.db);
    expect(out.replayed.map((r: { runId: number }) => datasets.filter((d) => d.ingestedByRunId === r.runId).map((d) => d.name))).toEqual([["batch1.csv"], ["batch2.csv"], ["batch3.csv"]]);
    expect(JSON.parse((await cli(["replay", TINY])).stdout).replayed).toEqual([]);
    await expect(cli(["replay", path.join(TINY, "no-such-folder")])).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/is not a folder/) });
  });

  it("train refuses data it cannot train on with the API's error (POST /api/train: 409 conflict:no_training_data), writing nothing", async () => {
    await expect(cli(["train"])).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/There are no training records yet.*\(conflict:no_training_data\)/) });
    expect(await t.db.modelVersion.count()).toBe(0);
    expect(await t.db.stepTiming.count()).toBe(0);
  });

  it("each step runs alone; a failure exits non-zero with a clear message", async () => {
    await expect(cli(["score"])).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/No model is deployed/) });
    await cli(["ingest"]);
    const trained = JSON.parse((await cli(["train"])).stdout);
    expect(trained.model.version).toBe(1);
    expect(trained.model.f1).toBeGreaterThanOrEqual(0);
    const deployed = JSON.parse((await cli(["deploy", "--model", String(trained.model.id), "--reason", "by hand"])).stdout);
    expect(deployed.deployment).toMatchObject({ modelVersion: 1, reason: "by hand" });
    const scored = JSON.parse((await cli(["score"])).stdout);
    expect(scored.modelVersion).toBe(1);
    await expect(cli(["explode"])).rejects.toMatchObject({ code: 2 });
    await expect(cli(["full"], { DRIFT_TRIGGER: "banana" })).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/DRIFT_TRIGGER/) });
  });

  it("check-db: exit 0 on a sound file; exit 1 naming the damage and what to do when pages in the middle are overwritten", async () => {
    await cli(["ingest"]);
    const sound = JSON.parse((await cli(["check-db"])).stdout);
    expect(sound).toMatchObject({ check: "quick_check", ok: true, problems: [] });
    expect(JSON.parse((await cli(["check-db", "--full"])).stdout)).toMatchObject({ check: "integrity_check", ok: true });

    await disconnectAll();
    closeSqliteConnections();
    const fd = fs.openSync(t.file, "r+");
    const size = fs.fstatSync(fd).size;
    for (let off = 2 * 4096; off < size; off += 4096) fs.writeSync(fd, Buffer.alloc(4096, 0x5a), 0, 4096, off);
    fs.closeSync(fd);
    fs.rmSync(`${t.file}-wal`, { force: true });
    fs.rmSync(`${t.file}-shm`, { force: true });
    const damaged = await cli(["check-db"]).then(
      () => null,
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    expect(damaged?.code).toBe(1);
    expect(JSON.parse(damaged!.stdout)).toMatchObject({ ok: false, problems: [expect.stringMatching(/malformed|not a database|corrupt/i)] });
    expect(damaged!.stderr).toMatch(/restore the last backup/);
  });

  it("backup FILE: consistent copies while an ingestion writes (each copy passes check-db and holds whole files only)", async () => {
    const src = fs.mkdtempSync(path.join(os.tmpdir(), "dra-backup-src-"));
    for (let f = 0; f < 4; f++) {
      const lines = ["corporation,lastmonth_activity,lastyear_activity,number_of_employees,exited"];
      for (let i = 0; i < 60_000; i++) lines.push(`f${f}c${i},${(i * 13) % 997},${(i * 7 + f) % 10007},${i % 313},${(i + f) % 2}`);
      fs.writeFileSync(path.join(src, `part${f}.csv`), `${lines.join("\n")}\n`);
    }
    await cli(["ingest"]); // the tiny files first: a database with a schema and data
    const ingesting = cli(["ingest"], { SOURCE_DIR: src });
    let finished = false;
    void ingesting.finally(() => (finished = true)).catch(() => undefined);
    const copies: string[] = [];
    while (!finished && copies.length < 20) {
      const file = path.join(src, `copy-${copies.length}.db`);
      const out = JSON.parse((await cli(["backup", file])).stdout);
      expect(out).toMatchObject({ file, pages: expect.any(Number) });
      copies.push(file);
    }
    await ingesting;
    expect(copies.length).toBeGreaterThan(0);
    for (const file of copies) {
      expect(JSON.parse((await cli(["check-db", "--full"], { DATABASE_URL: `file:${file}` })).stdout)).toMatchObject({ ok: true });
      const db = new Database(file, { readonly: true });
      const ledger = db.prepare(`SELECT count(*) AS n, coalesce(sum("rowsAccepted"), 0) AS rows FROM "Dataset" WHERE "role" = 'source'`).get() as { n: number; rows: number };
      const stored = db.prepare(`SELECT count(*) AS n, coalesce(sum("rows"), 0) AS rows FROM "DatasetColumns"`).get() as { n: number; rows: number };
      db.close();
      expect(stored.rows).toBe(ledger.rows); // every file in the copy whole, or not at all
    }
    await expect(cli(["backup"])).rejects.toMatchObject({ code: 2 });
    fs.rmSync(src, { recursive: true, force: true });
  });
});
