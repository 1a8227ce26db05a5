import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { disconnectAll, getDb } from "@/lib/db/client";
import { forgetStorageProblems } from "@/lib/db/storage-health";
import { waitForBackgroundRuns } from "@/lib/pipeline/background";
import { everyTableCount, inProcessFetch, multipartRequest, seedDeployedModel, useRouteTestDb } from "@/lib/testing/api";
import { apiAs } from "@/lib/testing/people";
import { startStandby } from "@/lib/testing/postgres-cluster";
import { damagedCopy, demoRows, fillVolume, healthNow, raiseOnLedgerWrite } from "@/lib/testing/storage";
import { testDatabaseKind } from "@/lib/testing/temp-db";
import { RunEntry } from "@/lib/validations/monitoring";

/*
 * The reliability battery, storage part (issue 20): the database's storage failing under the
 * server, end to end through the route handlers, on SQLite and (vitest's postgresql project) on
 * PostgreSQL. Each test has its own database.
 *
 * - Mid-file damage: the pages of three tables overwritten in a copy of the database (SQLite: the
 *   pages dbstat names; PostgreSQL: those tables' files in a FILE_COPY copy, so the server reads the
 *   damage from disk and answers XX001 "invalid page in block" — real damage on both), then a list
 *   read, a training (on a worker thread), /api/health; a restart on the damaged copy; the sound
 *   original (the restored backup) serving again.
 * - A full volume: an upload, a pipeline run, a prediction, /api/health, then space freed. SQLite's
 *   SQLITE_FULL is real (the file capped with SQLITE_MAX_PAGE_COUNT). PostgreSQL's disk_full cannot
 *   be provoked without filling the server's disk: a trigger on the ledger raises SQLSTATE 53100
 *   (lib/testing/storage.ts fillVolume), through the real COPY / INSERT path and driver.
 * - PostgreSQL only: each storage SQLSTATE at the route (507 / 503 and its code, recorded for
 *   /api/health or not), and a real hot standby (pg_basebackup): pg_is_in_recovery() in /api/health,
 *   a write answering 503 database_read_only.
 * - Backup while the server writes: scripts/pipeline.test.ts ("backup FILE: consistent copies while
 *   an ingestion writes"), with check-db on each copy. The page-3-onwards damage that stops the file
 *   from opening at all, and MIN_FREE_MB: app/api/health/storage.test.ts.
 */

const t = useRouteTestDb();
const fetchIt = inProcessFetch();
const api = apiAs(fetchIt);
const onPostgres = testDatabaseKind() === "postgresql";
const saved = { ...process.env };
/** The test database's client: the helpers close connections, and a closed PostgreSQL client does not reopen (t.db would be one). */
const db = () => getDb(t.url);

afterEach(() => {
  for (const k of ["SQLITE_MAX_PAGE_COUNT", "MIN_FREE_MB", "SOURCE_DIR", "REPORT_DIR"]) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
  forgetStorageProblems();
});

const upload = (csv: string, name: string): Promise<Response> => fetchIt(multipartRequest("/api/ingest", [{ name, content: csv }]));

async function errorOf(res: Response): Promise<{ code: string; message: string }> {
  return ((await res.json()) as { error: { code: string; message: string } }).error;
}

const ONE_CLIENT = { rows: [{ corporation: "probe", lastmonth_activity: 120, lastyear_activity: 900, number_of_employees: 14 }] };

async function predictOne(): Promise<{ status: number; probability: number }> {
  const res = await api("/api/prediction", { body: ONE_CLIENT });
  const body = (await res.json()) as { predictions?: { probability: number }[] };
  return { status: res.status, probability: body.predictions?.[0]?.probability ?? NaN };
}

/** The damage as each database words it. */
const DAMAGE = /malformed|invalid page in block/;

describe("mid-file damage, in a copy of the database", () => {
  it("a list read and a training answer 503 database_damaged, other tables still answer, /api/health is 503 naming the error and when it was first seen; a restart on the damaged copy finds it again; the sound original serves", async () => {
    process.env.MIN_FREE_MB = "0";
    await seedDeployedModel(t.db);
    const copy = await damagedCopy(t, ["Dataset", "DatasetColumns", "ColumnBlob"]);
    try {
      process.env.DATABASE_URL = copy.url;
      const before = Date.now();

      const list = await api("/api/datasets");
      expect(list.status).toBe(503);
      expect(await errorOf(list)).toMatchObject({ code: "unavailable:database_damaged", message: expect.stringMatching(/is damaged .*check-db.*backup/) });
      const afterList = Date.now();
      // the pages of other tables are sound: the damage is in the middle, not the whole file
      const runs = await api("/api/runs");
      expect(runs.status).toBe(200);

      // training reads the damaged columns on its worker thread: the same code, not internal:worker
      const train = await api("/api/train", { body: {} });
      expect(train.status).toBe(503);
      expect((await errorOf(train)).code).toBe("unavailable:database_damaged");

      const down = await healthNow();
      expect(down.status).toBe(503);
      expect(down.body).toMatchObject({ status: "degraded", database: "error", checks: { ledger: expect.stringMatching(DAMAGE), runs: "ok" } });
      expect(down.body.storage).toMatchObject({ status: "down", damaged: { message: expect.stringMatching(DAMAGE) } });
      const firstSeen = Date.parse(down.body.storage!.damaged!.firstSeenAt);
      // the list read's sighting, kept: not the training's (on its worker thread) nor the health check's
      expect(firstSeen).toBeGreaterThanOrEqual(before - 1);
      expect(firstSeen).toBeLessThanOrEqual(afterList);
      expect(down.body.message).toContain(down.body.storage!.damaged!.firstSeenAt);

      // a restart on the damaged copy: health's own probes find the damage again
      forgetStorageProblems();
      await disconnectAll();
      const again = await healthNow();
      expect(again.status).toBe(503);
      expect(again.body.storage).toMatchObject({ status: "down", damaged: { message: expect.stringMatching(DAMAGE) } });
      expect(Date.parse(again.body.storage!.damaged!.firstSeenAt)).toBeGreaterThan(firstSeen);
    } finally {
      await copy.drop();
    }

    // the backup restored (the original, sound) and a restart: served again
    process.env.DATABASE_URL = t.url;
    forgetStorageProblems();
    const ok = await healthNow();
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ status: "ok", database: "ok", storage: { status: "ok", damaged: null } });
    const list = await api("/api/datasets");
    expect(list.status).toBe(200);
    expect(((await list.json()) as { datasets: unknown[] }).datasets.length).toBe(await db().dataset.count());
  });
});

describe("a full volume", () => {
  it("an upload answers 507 disk_full and stores nothing, a run fails with disk_full recorded, a prediction answers as before, /api/health is degraded (200); with space freed health is ok and the upload is stored", async () => {
    process.env.MIN_FREE_MB = "0"; // degraded here only because writes failed (MIN_FREE_MB: storage.test.ts)
    await seedDeployedModel(t.db);
    const source = path.join(t.dir, "source");
    fs.mkdirSync(source);
    fs.writeFileSync(path.join(source, "new-month.csv"), demoRows(60_000, 1));
    Object.assign(process.env, { SOURCE_DIR: source, REPORT_DIR: path.join(t.dir, "reports") });
    const predicted = await predictOne();
    expect(predicted.status).toBe(200);
    const csv = demoRows(60_000, 2);

    const volume = await fillVolume(t);
    const stored = await everyTableCount(db());
    const refused = await upload(csv, "big.csv");
    expect(refused.status).toBe(507);
    const error = await errorOf(refused);
    expect(error.code).toBe("insufficient_storage:disk_full");
    expect(error.message).toContain(onPostgres ? "PostgreSQL server" : path.dirname(t.file));
    expect(error.message).toMatch(/^Nothing was stored: .*Free space there/);
    expect(await everyTableCount(db())).toEqual(stored); // nothing partial, in any table

    // what follows must be recorded by the run itself, on its worker thread
    forgetStorageProblems();
    const started = await api("/api/runs", { body: {} });
    expect(started.status).toBe(202);
    const { run } = (await started.json()) as { run: { id: number } };
    await waitForBackgroundRuns();
    const runRes = await api(`/api/runs/${run.id}`);
    const failed = RunEntry.parse(await runRes.json());
    expect(failed).toMatchObject({ status: "failed", error: expect.stringMatching(/^insufficient_storage:disk_full: Nothing was stored: /), reason: expect.stringMatching(/^failed at step ingest: insufficient_storage:disk_full/) });
    expect(await db().dataset.count()).toBe(stored.Dataset);

    // a prediction writes nothing: the same answer as before the volume filled
    expect(await predictOne()).toEqual(predicted);

    const degraded = await healthNow();
    expect(degraded.status).toBe(200);
    expect(degraded.body).toMatchObject({ status: "degraded", database: "ok", storage: { status: "degraded", damaged: null, lastFull: { message: expect.stringMatching(/full|No space left/) } } });
    expect(degraded.body.message).toMatch(/failed for lack of space/);

    await volume.free();
    if (!onPostgres) {
      // SQLite's free space is measured: ok as soon as there is room
      expect((await healthNow()).body).toMatchObject({ status: "ok", storage: { status: "ok", lastFull: null } });
    }
    const accepted = await upload(csv, "big.csv");
    expect(accepted.status).toBe(201);
    expect(await db().dataset.count()).toBe(stored.Dataset + 1);
    // PostgreSQL's free space is not the app's to see: the write that succeeded ends the degraded state
    const ok = await healthNow();
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ status: "ok", storage: { status: "ok", lastFull: null } });
  });
});

describe.runIf(onPostgres)("PostgreSQL", () => {
  it.each([
    ["disk_full", 507, "insufficient_storage:disk_full", "degraded", 200],
    ["data_corrupted", 503, "unavailable:database_damaged", "down", 503],
    ["index_corrupted", 503, "unavailable:database_damaged", "down", 503],
    ["io_error", 503, "unavailable:database_damaged", "down", 503],
    ["read_only_sql_transaction", 503, "unavailable:database_read_only", "ok", 200],
  ] as const)("%s on a write answers %i %s, stores nothing; /api/health's storage is %s (%i)", async (condition, status, code, storageStatus, healthStatus) => {
    process.env.MIN_FREE_MB = "0";
    const refuse = await raiseOnLedgerWrite(t, condition, `raised by the test as ${condition}`);
    const res = await upload(demoRows(50), "small.csv");
    expect(res.status).toBe(status);
    expect(await errorOf(res)).toMatchObject({ code, message: expect.stringContaining(`raised by the test as ${condition}`) });
    expect(await db().dataset.count()).toBe(0);
    const health = await healthNow();
    expect(health.status).toBe(healthStatus);
    expect(health.body.storage).toMatchObject({ status: storageStatus, inRecovery: false });
    await refuse.undo();
  });

  it("a real hot standby: reads answer, /api/health is 200 degraded with inRecovery true saying writes fail, an upload answers 503 database_read_only; promoted (and past the cached answer: a restart), health is ok and the upload is stored", async () => {
    process.env.MIN_FREE_MB = "0";
    await seedDeployedModel(t.db);
    const datasets = await db().dataset.count();
    const standby = startStandby(process.env.DRA_TEST_PG_ADMIN_URL!, { bin: process.env.DRA_TEST_PG_BIN! });
    try {
      const u = new URL(t.url);
      u.port = String(standby.port);
      process.env.DATABASE_URL = u.toString();

      const list = await api("/api/datasets");
      expect(list.status).toBe(200);
      expect(((await list.json()) as { datasets: unknown[] }).datasets.length).toBe(datasets);

      const health = await healthNow();
      expect(health.status).toBe(200);
      expect(health.body).toMatchObject({ status: "degraded", database: "ok", storage: { status: "degraded", inRecovery: true, lastFull: null, damaged: null } });
      expect(health.body.message).toMatch(/in recovery.*every write fails/);

      const refused = await upload(demoRows(50), "small.csv");
      expect(refused.status).toBe(503);
      expect(await errorOf(refused)).toMatchObject({ code: "unavailable:database_read_only", message: expect.stringMatching(/takes no writes .*read-only transaction.*primary/) });

      standby.promote();
      forgetStorageProblems(); // the cached pg_is_in_recovery() answer (RECOVERY_CHECK_MS) goes, as at a restart
      expect((await healthNow()).body).toMatchObject({ status: "ok", storage: { status: "ok", inRecovery: false } });
      expect((await upload(demoRows(50), "small.csv")).status).toBe(201);
      expect(await db().dataset.count()).toBe(datasets); // the primary never saw that write
    } finally {
      process.env.DATABASE_URL = t.url;
      await disconnectAll();
      standby.stop();
    }
  });
});
