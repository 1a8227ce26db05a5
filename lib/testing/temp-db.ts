import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { disconnectAll, getDb, type Db } from "../db/client";
import { applyMigrations } from "../db/migrate";
import { forgetFailures } from "../auth/throttle";
import { forgetUsersExist } from "../db/people";
import { waitForBackgroundRuns } from "../pipeline/background";
import { afterEach, beforeEach } from "vitest";
import { createDatabase, dropDatabase } from "./postgres-cluster";

/*
 * Integration tests run against real SQLite files. The migrations are applied once to a
 * template (vitest globalSetup, lib/testing/global-setup.ts); each test database is a copy.
 * In the "postgresql" vitest project (DRA_TEST_DATABASE=postgresql) each test database is a
 * fresh database on the throwaway cluster (lib/testing/pg-global-setup.ts), copied from a
 * migrated template the same way.
 */

export function prepareTemplate(file: string): void {
  fs.rmSync(file, { force: true });
  applyMigrations(`file:${file}`);
}

export interface TestDb {
  url: string;
  /** the SQLite file ("" on PostgreSQL) */
  file: string;
  db: Db;
  dir: string;
  cleanup: () => Promise<void>;
}

/** A fresh migrated database in its own temp folder; `process.env.DATABASE_URL` points at it. */
export function createTestDb(): TestDb {
  if (process.env.DRA_TEST_DATABASE === "postgresql") return createPgTestDb();
  const template = process.env.DRA_TEST_TEMPLATE_DB;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dra-test-"));
  const file = path.join(dir, "app.db");
  if (template && fs.existsSync(template)) fs.copyFileSync(template, file);
  else applyMigrations(`file:${file}`);
  const url = `file:${file}`;
  process.env.DATABASE_URL = url;
  forgetFailures();
  forgetUsersExist();
  return {
    url,
    file,
    dir,
    db: getDb(url),
    cleanup: async () => {
      // A run started by POST /api/runs or the schedule (and its dependency refresh) goes on
      // after the response: let it finish before its database goes.
      await waitForBackgroundRuns();
      await disconnectAll();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The set-up of a database test: before each test a fresh database (createTestDb), then
 * `prepare` (environment, folders); after it the database goes. The object returned is the
 * current test's database: its fields are replaced before each test.
 */
export function useTestDb<T extends TestDb = TestDb>(prepare?: (t: T) => void): T {
  const current = {} as T;
  beforeEach(() => {
    Object.assign(current, createTestDb());
    prepare?.(current);
  });
  afterEach(async () => {
    await current.cleanup();
  });
  return current;
}

let pgDatabases = 0;

/** Which database the integration tests of this vitest project run on. */
export function testDatabaseKind(): "sqlite" | "postgresql" {
  return process.env.DRA_TEST_DATABASE === "postgresql" ? "postgresql" : "sqlite";
}

function createPgTestDb(): TestDb {
  const admin = process.env.DRA_TEST_PG_ADMIN_URL;
  const bin = process.env.DRA_TEST_PG_BIN;
  if (!admin || !bin) throw new Error("DRA_TEST_DATABASE=postgresql needs the cluster of lib/testing/pg-global-setup.ts");
  const name = `t_${process.pid}_${++pgDatabases}_${Math.random().toString(36).slice(2, 8)}`;
  const url = createDatabase(admin, name, { template: process.env.DRA_TEST_PG_TEMPLATE, bin });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dra-test-"));
  process.env.DATABASE_URL = url;
  forgetFailures();
  forgetUsersExist();
  return {
    url,
    file: "",
    dir,
    db: getDb(url),
    cleanup: async () => {
      await waitForBackgroundRuns();
      await disconnectAll();
      dropDatabase(admin, name, { bin });
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
