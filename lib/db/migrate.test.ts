import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { checkDatabaseFile } from "./migrate";
import { createTestDb, type TestDb } from "../testing/temp-db";

/* A database the app cannot use stops the CLI (and the server) with one line naming the file and what is wrong. */

const ROOT = path.join(__dirname, "../..");
const dirs: string[] = [];
let t: TestDb | null = null;
afterEach(async () => {
  await t?.cleanup();
  t = null;
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function cli(file: string) {
  return spawnSync(process.execPath, [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), path.join(ROOT, "scripts/pipeline.ts"), "ingest"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: `file:${file}`, SOURCE_DIR: path.join(ROOT, "data/samples/tiny") },
    encoding: "utf8",
    timeout: 60_000,
  });
}

describe("databases the app cannot use", () => {
  it("a file that is not SQLite: exit 1, one line naming the file, no stack trace, the file untouched", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dra-bad-"));
    dirs.push(dir);
    const file = path.join(dir, "app.db");
    fs.writeFileSync(file, "this is a spreadsheet, not a database\n".repeat(200));
    const before = fs.readFileSync(file);
    const r = cli(file);
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`The database ${file} is not a SQLite database`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  }, 60_000);

  it("a database from a newer version of the app, and a read-only file", async () => {
    t = createTestDb();
    const db = new Database(t.file);
    db.prepare(`INSERT INTO "_prisma_migrations" (id, checksum, migration_name, finished_at, started_at, applied_steps_count) VALUES ('x', 'x', '29990101000000_future', 1, 1, 1)`).run();
    db.close();
    expect(() => checkDatabaseFile(t!.url, ROOT)).toThrow(/was migrated by a newer version of this app \(migration 29990101000000_future is unknown here\)/);

    const ro = path.join(t.dir, "ro.db");
    fs.copyFileSync(t.file, ro);
    fs.chmodSync(ro, 0o444);
    const canWrite = (() => {
      try {
        fs.accessSync(ro, fs.constants.W_OK);
        return true;
      } catch {
        return false;
      }
    })();
    // root may write anything: the check only means something for an ordinary user
    if (!canWrite) expect(() => checkDatabaseFile(`file:${ro}`, ROOT)).toThrow(/cannot be read and written by this process/);
  });
});

describe("a pending migration while another process has the database open", () => {
  it("says so in one line instead of the migration engine's trace", async () => {
    t = createTestDb();
    const db = new Database(t.file);
    db.pragma("journal_mode = WAL");
    // pretend the newest migration is still to apply, and keep a connection open as a server would
    const newest = fs.readdirSync(path.join(ROOT, "prisma/sqlite/migrations")).filter((n) => /^\d/.test(n)).sort().pop()!;
    db.prepare(`DELETE FROM "_prisma_migrations" WHERE migration_name = ?`).run(newest);
    db.prepare("SELECT count(*) FROM sqlite_master").get();
    const r = cli(t.file);
    db.close();
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("another process has the database open");
  }, 60_000);
});
