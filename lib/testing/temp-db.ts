import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { disconnectAll, getDb, type Db } from "../db/client";
import { applyMigrations } from "../db/migrate";
import { forgetWrongTokens } from "../http/auth";
import { waitForBackgroundRuns } from "../pipeline/background";

/*
 * Integration tests run against real SQLite files. The migrations are applied once to a
 * template (vitest globalSetup, lib/testing/global-setup.ts); each test database is a copy.
 */

export function prepareTemplate(file: string): void {
  fs.rmSync(file, { force: true });
  applyMigrations(`file:${file}`);
}

export interface TestDb {
  url: string;
  file: string;
  db: Db;
  dir: string;
  cleanup: () => Promise<void>;
}

/** A fresh migrated database in its own temp folder; `process.env.DATABASE_URL` points at it. */
export function createTestDb(): TestDb {
  const template = process.env.DRA_TEST_TEMPLATE_DB;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dra-test-"));
  const file = path.join(dir, "app.db");
  if (template && fs.existsSync(template)) fs.copyFileSync(template, file);
  else applyMigrations(`file:${file}`);
  const url = `file:${file}`;
  process.env.DATABASE_URL = url;
  forgetWrongTokens();
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
