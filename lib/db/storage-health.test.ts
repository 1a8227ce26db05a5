import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { raiseOnLedgerWrite } from "../testing/storage";
import { testDatabaseKind, useTestDb } from "../testing/temp-db";
import { createClient, getDb } from "./client";
import { pgPool } from "./postgres";
import { sqliteConnection } from "./sqlite";
import {
  adoptStorageSightings,
  forgetStorageProblems,
  noteWriteSucceeded,
  RECOVERY_CHECK_MS,
  serverInRecovery,
  storageError,
  storageSightings,
  storageView,
} from "./storage-health";

/*
 * storageError against the errors the drivers really raise, in the shapes they arrive in.
 * PostgreSQL (vitest's postgresql project): each storage SQLSTATE raised by the server itself
 * (RAISE … USING ERRCODE, with a message naming no symptom, so that only the code can classify it)
 * through every way the app queries — a Prisma raw statement (P2010, the code in
 * meta.driverAdapterError.cause), a Prisma model write and an interactive transaction (a
 * DriverAdapterError, the code in its cause; a trigger raises it), and pg's own pool (the bulk
 * paths: the code on the error). SQLite: SQLITE_FULL (a page cap) through Prisma (whose errors
 * carry SQLite's code as their own, raw statements' too) and better-sqlite3, SQLITE_NOTADB from a file that is no database, SQLITE_READONLY from a read-only
 * connection. The routes' answers to the same errors: app/api/battery-storage.test.ts.
 */

const t = useTestDb();
const onPostgres = testDatabaseKind() === "postgresql";

afterEach(() => forgetStorageProblems());

/** The error `fn` rejects with (fails the test when it does not). */
async function thrownBy(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (e) {
    return e;
  }
  throw new Error("expected the call to fail");
}

/** What was recorded, as /api/health shows it: the view of a database whose free space is not measured (PostgreSQL's), so that room on the test machine's volume forgets no space failure. */
const recorded = () => storageView("postgresql://u@127.0.0.1:1/no_free_space_measured", { minFreeMb: 0, capRoomMb: null, inRecovery: null });

const ledgerRow = { name: "x.csv", sha256: "0".repeat(64), role: "source", rowsRead: 1, rowsAccepted: 1, duplicates: 0, rejected: 0, imputed: 0 };

describe.runIf(onPostgres)("PostgreSQL's storage SQLSTATEs, as each client raises them", () => {
  const CONDITIONS = [
    ["disk_full", "53100", "insufficient_storage:disk_full"],
    ["data_corrupted", "XX001", "unavailable:database_damaged"],
    ["index_corrupted", "XX002", "unavailable:database_damaged"],
    ["io_error", "58030", "unavailable:database_damaged"],
    ["read_only_sql_transaction", "25006", "unavailable:database_read_only"],
  ] as const;

  it.each(CONDITIONS)("%s (%s) → %s, through Prisma raw statements, a model write, an interactive transaction and pg", async (condition, sqlstate, code) => {
    const db = getDb(t.url);
    const message = `the test raised ${condition}`;
    const raise = `DO $$ BEGIN RAISE EXCEPTION USING ERRCODE = '${condition}', MESSAGE = '${message}'; END $$`;
    await raiseOnLedgerWrite(t, condition, message);
    const errors = {
      executeRaw: await thrownBy(() => db.$executeRawUnsafe(raise)),
      queryRaw: await thrownBy(() => db.$queryRawUnsafe(raise)),
      modelWrite: await thrownBy(() => db.dataset.create({ data: ledgerRow })),
      transaction: await thrownBy(() => db.$transaction(async (tx) => tx.dataset.create({ data: ledgerRow }))),
      pg: await thrownBy(() => pgPool(t.url).query(raise)),
    };
    // the shapes this module reads: the SQLSTATE on pg's error, in the cause of a model write's, in meta of a raw statement's
    expect(errors.pg).toMatchObject({ code: sqlstate });
    expect(errors.modelWrite).toMatchObject({ name: "DriverAdapterError", cause: { originalCode: sqlstate } });
    expect(errors.transaction).toMatchObject({ name: "DriverAdapterError", cause: { originalCode: sqlstate } });
    expect(errors.executeRaw).toMatchObject({ code: "P2010", meta: { driverAdapterError: { cause: { originalCode: sqlstate } } } });
    expect(errors.queryRaw).toMatchObject({ code: "P2010", meta: { driverAdapterError: { cause: { originalCode: sqlstate } } } });
    for (const [how, e] of Object.entries(errors)) {
      const answer = storageError(e, t.url);
      expect(answer?.code, how).toBe(code);
      expect(answer?.message, how).toContain(message);
    }
    const seen = recorded();
    if (code === "insufficient_storage:disk_full") expect(seen).toMatchObject({ status: "degraded", lastFull: { message: expect.stringContaining(message) }, damaged: null });
    else if (code === "unavailable:database_damaged") expect(seen).toMatchObject({ status: "down", lastFull: null, damaged: { message: expect.stringContaining(message) } });
    else expect(seen).toMatchObject({ status: "ok", lastFull: null, damaged: null }); // health asks pg_is_in_recovery() itself
  });

  it("other errors are no storage failure: a unique violation, a syntax error, a query canceled", async () => {
    const db = getDb(t.url);
    await db.dataset.create({ data: ledgerRow });
    const errors = [
      await thrownBy(() => db.dataset.create({ data: ledgerRow })),
      await thrownBy(() => db.$executeRawUnsafe("SELEC 1")),
      await thrownBy(() => pgPool(t.url).query("SET statement_timeout = 1; SELECT pg_sleep(1)")),
    ];
    for (const e of errors) expect(storageError(e, t.url)).toBeNull();
    expect(recorded()).toMatchObject({ status: "ok", lastFull: null, damaged: null });
  });

  it("pg_is_in_recovery() of a primary is false", async () => {
    expect(await serverInRecovery(getDb(t.url), t.url)).toBe(false);
  });
});

describe.runIf(!onPostgres)("SQLite's storage errors, as each client raises them", () => {
  it("SQLITE_FULL (the file capped at its size) through a Prisma model write, an interactive transaction, a raw statement and better-sqlite3 → insufficient_storage:disk_full naming the file's folder", async () => {
    const db = getDb(t.url);
    const pages = Number(((await db.$queryRawUnsafe("PRAGMA page_count")) as { page_count: number | bigint }[])[0].page_count);
    await db.$queryRawUnsafe(`PRAGMA max_page_count = ${pages}`);
    const big = "x".repeat(1 << 20);
    const raw = sqliteConnection(t.url);
    raw.pragma(`max_page_count = ${pages}`);
    const errors = {
      modelWrite: await thrownBy(() => db.pipelineRun.create({ data: { trigger: big, status: "running" } })),
      transaction: await thrownBy(() => db.$transaction(async (tx) => tx.pipelineRun.create({ data: { trigger: big, status: "running" } }))),
      executeRaw: await thrownBy(() => db.$executeRawUnsafe(`INSERT INTO "PipelineRun" ("trigger", "status") VALUES (?, 'running')`, big)),
      betterSqlite3: await thrownBy(async () => raw.prepare(`INSERT INTO "PipelineRun" ("trigger", "status") VALUES (?, 'running')`).run(big)),
    };
    expect(errors.betterSqlite3).toMatchObject({ code: "SQLITE_FULL" });
    // unlike PostgreSQL's, Prisma's errors carry SQLite's code itself, a raw statement's too
    for (const e of [errors.modelWrite, errors.transaction, errors.executeRaw]) expect(e).toMatchObject({ name: "PrismaClientKnownRequestError", code: "SQLITE_FULL" });
    for (const [how, e] of Object.entries(errors)) {
      const answer = storageError(e, t.url);
      expect(answer?.code, how).toBe("insufficient_storage:disk_full");
      expect(answer?.message, how).toContain(path.dirname(t.file));
    }
    expect(recorded()).toMatchObject({ status: "degraded", lastFull: { message: expect.stringMatching(/full/) } });
  });

  it("SQLITE_NOTADB (a file of other bytes) through Prisma and better-sqlite3 → unavailable:database_damaged, recorded", async () => {
    const file = path.join(t.dir, "not-a-database.db");
    fs.writeFileSync(file, Buffer.alloc(8192, 0x5a));
    const url = `file:${file}`;
    const client = createClient(url);
    const errors = {
      prisma: await thrownBy(() => client.$queryRawUnsafe("SELECT count(*) FROM sqlite_master")),
      betterSqlite3: await thrownBy(async () => new Database(file).prepare("SELECT count(*) FROM sqlite_master").get()),
    };
    await client.$disconnect();
    expect(errors.betterSqlite3).toMatchObject({ code: "SQLITE_NOTADB" });
    for (const [how, e] of Object.entries(errors)) expect(storageError(e, url)?.code, how).toBe("unavailable:database_damaged");
    expect(recorded()).toMatchObject({ status: "down", damaged: { message: expect.stringMatching(/not a database/) } });
  });

  it("SQLITE_READONLY (a read-only connection) → unavailable:database_read_only, not recorded", async () => {
    const ro = new Database(t.file, { readonly: true });
    const e = await thrownBy(async () => ro.prepare(`INSERT INTO "PipelineRun" ("trigger", "status") VALUES ('x', 'running')`).run());
    ro.close();
    expect(e).toMatchObject({ code: "SQLITE_READONLY" });
    expect(storageError(e, t.url)).toMatchObject({ code: "unavailable:database_read_only", message: expect.stringContaining(t.file) });
    expect(recorded()).toMatchObject({ status: "ok", lastFull: null, damaged: null });
  });

  it("pg_is_in_recovery() is not asked of SQLite", async () => {
    expect(await serverInRecovery(getDb(t.url), t.url)).toBeNull();
  });
});

describe("pg_is_in_recovery(), cached for the health checks", () => {
  // The one query's answer is stubbed here to count how often it is asked; the real answer of a
  // primary and of a real standby is tested above and in app/api/battery-storage.test.ts.
  const URL_PG = "postgresql://u@127.0.0.1:1/cache_test";
  function stub(answers: (boolean | Error)[]) {
    let asked = 0;
    const db = {
      $queryRaw: (() => {
        const a = answers[Math.min(asked++, answers.length - 1)];
        return a instanceof Error ? Promise.reject(a) : Promise.resolve([{ inRecovery: a }]);
      }) as never,
    };
    return { db, asked: () => asked };
  }

  it("asks once per RECOVERY_CHECK_MS (concurrent checks share the question), again after it", async () => {
    const s = stub([true, false]);
    const t0 = 1_000_000;
    expect(await Promise.all([serverInRecovery(s.db, URL_PG, t0), serverInRecovery(s.db, URL_PG, t0)])).toEqual([true, true]);
    expect(await serverInRecovery(s.db, URL_PG, t0 + RECOVERY_CHECK_MS - 1)).toBe(true);
    expect(s.asked()).toBe(1);
    expect(await serverInRecovery(s.db, URL_PG, t0 + RECOVERY_CHECK_MS)).toBe(false);
    expect(s.asked()).toBe(2);
  });

  it("no answer (the server is down) is null and not kept", async () => {
    const s = stub([new Error("connection refused"), true]);
    expect(await serverInRecovery(s.db, URL_PG, 5)).toBeNull();
    expect(await serverInRecovery(s.db, URL_PG, 6)).toBe(true);
    expect(s.asked()).toBe(2);
  });
});

describe("what a worker thread saw, taken in by the thread that started its job", () => {
  it("its space failure and its damage are adopted (the first damage kept); a write that succeeded later ends the space failure", () => {
    storageError(Object.assign(new Error("database disk image is malformed"), { code: "SQLITE_CORRUPT" }), t.url);
    const mine = storageSightings();
    forgetStorageProblems();
    storageError(Object.assign(new Error("database or disk is full"), { code: "SQLITE_FULL" }), t.url);
    storageError(Object.assign(new Error("file is not a database"), { code: "SQLITE_NOTADB" }), t.url);
    const worker = storageSightings();
    forgetStorageProblems();
    adoptStorageSightings(mine);
    adoptStorageSightings(worker);
    expect(recorded()).toMatchObject({ status: "down", lastFull: { message: "database or disk is full" }, damaged: { message: "database disk image is malformed" } });
    forgetStorageProblems();
    adoptStorageSightings(worker);
    noteWriteSucceeded();
    const later = storageSightings();
    forgetStorageProblems();
    adoptStorageSightings(worker);
    expect(recorded().lastFull).not.toBeNull();
    adoptStorageSightings(later);
    expect(recorded().lastFull).toBeNull();
  });
});
