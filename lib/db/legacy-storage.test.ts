import Database from "better-sqlite3";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { inProcessFetch, ROOT } from "../testing/api";
import { createDatabase, dropDatabase } from "../testing/postgres-cluster";
import { testDatabaseKind } from "../testing/temp-db";
import { disconnectAll, getDb } from "./client";
import { readTrainingColumns } from "./columns";
import { applyMigrations } from "./migrate";
import { currentSchema, forgetStoredSchemas } from "./stored-schema";

/*
 * A database written by the code before any-schema storage (data/fixtures/legacy-1fd310a: one
 * Record column and one DatasetColumns blob per feature; its README says how it was made) is
 * migrated by today's migrations, and every read the old code answered (reads.json, captured with
 * that code) is answered the same: every field it had keeps its value (new fields may be added).
 * Then the migrated database keeps working: it ingests, trains and predicts.
 *
 * On PostgreSQL (the "postgresql" vitest project) the same database is rebuilt there: the
 * migrations before any-schema storage, the fixture's rows copied table by table, then the
 * any-schema migration — all as the SQL files Prisma applies.
 */

const FIXTURE = path.join(ROOT, "data/fixtures/legacy-1fd310a");
type Captured = Record<string, { status: number; body: unknown }>;

/** Every field of `old` is in `now` with the same value (arrays: same length, element by element); numbers to 1e-12 relative. */
function expectSubset(now: unknown, old: unknown, where: string): void {
  if (typeof old === "number" && Number.isNaN(old)) {
    expect(now, where).toBeNaN();
    return;
  }
  if (typeof old === "number" && typeof now === "number") {
    expect(Math.abs(now - old), where).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(old)));
    return;
  }
  if (Array.isArray(old)) {
    expect(Array.isArray(now), where).toBe(true);
    expect((now as unknown[]).length, `${where}.length`).toBe(old.length);
    old.forEach((v, i) => expectSubset((now as unknown[])[i], v, `${where}[${i}]`));
    return;
  }
  if (old !== null && typeof old === "object") {
    expect(now !== null && typeof now === "object", where).toBe(true);
    for (const [k, v] of Object.entries(old)) expectSubset((now as Record<string, unknown>)[k], v, `${where}.${k}`);
    return;
  }
  expect(now, where).toEqual(old);
}

/** The metric samples the database determines, as [name{labels}, value] (the prediction histogram and counters are this process's own; sums of durations differ in the last digits between SQL engines). */
function databaseMetrics(text: string): [string, number][] {
  return text
    .split("\n")
    .filter((l) => l.startsWith("dra_") && !l.startsWith("dra_prediction_"))
    .map((l) => [l.slice(0, l.lastIndexOf(" ")), Number(l.slice(l.lastIndexOf(" ") + 1))]);
}

const MIGRATIONS = path.join(ROOT, "prisma/postgresql/migrations");
const ANY_SCHEMA = "20261207120000_any_schema_storage";

/**
 * The fixture on PostgreSQL: the migrations before ANY_SCHEMA, the fixture's rows (every table the
 * reads touch, ids kept, sequences moved past them), then ANY_SCHEMA; each migration file as Prisma
 * runs it (one script), and recorded in _prisma_migrations as applied so that start-up sees nothing pending.
 */
async function rebuildOnPostgres(url: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const folders = fs.readdirSync(MIGRATIONS).filter((n) => fs.statSync(path.join(MIGRATIONS, n)).isDirectory()).sort();
    for (const name of folders.filter((n) => n < ANY_SCHEMA)) await c.query(fs.readFileSync(path.join(MIGRATIONS, name, "migration.sql"), "utf8"));
    await copyFixtureRows(c);
    // As a database used before 20261129150000_dataset_columns holds it: the first file without its blobs (the migration rebuilds them).
    await c.query(`DELETE FROM "DatasetColumns" WHERE "datasetId" = 1`);
    for (const name of folders.filter((n) => n >= ANY_SCHEMA)) await c.query(fs.readFileSync(path.join(MIGRATIONS, name, "migration.sql"), "utf8"));
    await c.query(`CREATE TABLE "_prisma_migrations" (id varchar(36) PRIMARY KEY, checksum varchar(64) NOT NULL, finished_at timestamptz, migration_name varchar(255) NOT NULL, logs text, rolled_back_at timestamptz, started_at timestamptz NOT NULL DEFAULT now(), applied_steps_count int NOT NULL DEFAULT 0)`);
    for (const [i, name] of folders.entries()) await c.query(`INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count) VALUES ($1, '', now(), $2, 1)`, [String(i), name]);
  } finally {
    await c.end();
  }
}

/** Every table of the fixture, row by row (SQLite's DATETIME text becomes a timestamp; booleans 0/1 become booleans). */
async function copyFixtureRows(c: pg.Client): Promise<void> {
  const sqlite = new Database(path.join(FIXTURE, "app.db"), { readonly: true });
  try {
    const tables = (sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_prisma_migrations'`).pluck().all() as string[]).sort();
    // Parents before children (foreign keys): the ledger and the models first.
    const order = ["Dataset", "ModelVersion", ...tables.filter((t) => t !== "Dataset" && t !== "ModelVersion")];
    for (const table of order) {
      const types = new Map((await c.query<{ column_name: string; data_type: string }>(`SELECT column_name, data_type FROM information_schema.columns WHERE table_name = $1`, [table])).rows.map((r) => [r.column_name, r.data_type]));
      for (const row of sqlite.prepare(`SELECT * FROM "${table}"`).all() as Record<string, unknown>[]) {
        const cols = Object.keys(row);
        const values = cols.map((k) => {
          const v = row[k];
          const t = types.get(k);
          if (v === null || v === undefined) return null;
          if (t === "boolean") return v === 1 || v === true;
          if (t?.startsWith("timestamp")) return typeof v === "number" ? new Date(v).toISOString() : String(v).replace(" ", "T");
          return v;
        });
        await c.query(`INSERT INTO "${table}" (${cols.map((k) => `"${k}"`).join(", ")}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(", ")})`, values);
      }
      if (types.has("id")) await c.query(`SELECT setval(pg_get_serial_sequence('"${table}"', 'id'), coalesce((SELECT max(id) FROM "${table}"), 0) + 1, false) WHERE pg_get_serial_sequence('"${table}"', 'id') IS NOT NULL`);
    }
  } finally {
    sqlite.close();
  }
}

describe("a database made before any-schema storage", () => {
  let dir = "";
  const saved = { DATABASE_URL: process.env.DATABASE_URL, TEST_DATA: process.env.TEST_DATA, SCHEMA_FILE: process.env.SCHEMA_FILE };

  let pgName = "";

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "dra-legacy-"));
    process.env.TEST_DATA = path.join(ROOT, "data/testdata/testdata.csv");
    delete process.env.SCHEMA_FILE;
    forgetStoredSchemas();
    if (testDatabaseKind() === "postgresql") {
      pgName = `legacy_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
      process.env.DATABASE_URL = createDatabase(process.env.DRA_TEST_PG_ADMIN_URL!, pgName, { bin: process.env.DRA_TEST_PG_BIN! });
      await rebuildOnPostgres(process.env.DATABASE_URL);
      return;
    }
    fs.copyFileSync(path.join(FIXTURE, "app.db"), path.join(dir, "app.db"));
    process.env.DATABASE_URL = `file:${path.join(dir, "app.db")}`;
    applyMigrations(process.env.DATABASE_URL);
  });

  afterEach(async () => {
    await disconnectAll();
    if (pgName) dropDatabase(process.env.DRA_TEST_PG_ADMIN_URL!, pgName, { bin: process.env.DRA_TEST_PG_BIN! });
    pgName = "";
    fs.rmSync(dir, { recursive: true, force: true });
    for (const [k, v] of Object.entries(saved)) (v === undefined ? delete process.env[k] : (process.env[k] = v));
  });

  it("answers every read as the old code did", async () => {
    const captured = JSON.parse(fs.readFileSync(path.join(FIXTURE, "reads.json"), "utf8")) as Captured;
    const call = inProcessFetch();
    for (const [route, old] of Object.entries(captured)) {
      const res = await call(`http://localhost:3000${route}`);
      expect(res.status, route).toBe(old.status);
      // The one metric renamed since (its percentile label was `quantile`, which Prometheus keeps for summaries).
      const renamed = (text: string) => text.replaceAll('quantile="0.5"', 'percentile="50"').replaceAll('quantile="0.95"', 'percentile="95"');
      if (typeof old.body === "string") expectSubset(databaseMetrics(await res.text()), databaseMetrics(renamed(old.body)), route);
      else expectSubset(await res.json(), old.body, route);
    }
  });

  it("holds the old rows as the default schema's columns, imputed cells flagged", async () => {
    const db = getDb(process.env.DATABASE_URL);
    const schema = await currentSchema(db);
    expect(schema.features.map((f) => [f.name, f.type])).toEqual([
      ["lastmonth_activity", "numeric"],
      ["lastyear_activity", "numeric"],
      ["number_of_employees", "numeric"],
    ]);
    const cols = await readTrainingColumns(process.env.DATABASE_URL!, schema);
    // 333 + 334 + 114 + 330 records (the ledger's rowsAccepted of the four source files)
    expect(cols.n).toBe(1111);
    const lm = cols.features.lastmonth_activity;
    if (lm.type !== "numeric") throw new Error("numeric expected");
    // the gaps file (dataset 4) had every 9th lastmonth_activity empty: 13 of its accepted rows
    let flagged = 0;
    for (let i = 0; i < cols.n; i++) flagged += lm.missing[i];
    expect(flagged).toBeGreaterThan(0);
    let ones = 0;
    for (let i = 0; i < cols.n; i++) ones += cols.label[i];
    expect(ones).toBe(306);
  });

  it("keeps working after the migration: ingest, train, predict", async () => {
    const call = inProcessFetch();
    const csv = fs.readFileSync(path.join(ROOT, "data/sourcedata/clients_2024-05.csv"));
    const form = new FormData();
    form.append("file", new Blob([csv]), "clients_2024-05.csv");
    expect((await call("http://localhost:3000/api/ingest", { method: "POST", body: form })).status).toBe(201);
    const trained = await call("http://localhost:3000/api/train", { method: "POST" });
    expect(trained.status).toBe(201);
    const row = { corporation: "x", lastmonth_activity: 10, lastyear_activity: 100, number_of_employees: 5 };
    const predicted = await call("http://localhost:3000/api/prediction", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ rows: [row] }) });
    expect(predicted.status).toBe(200);
    const body = (await predicted.json()) as { predictions: { corporation: string; probability: number }[] };
    expect(body.predictions[0].corporation).toBe("x");
    expect(body.predictions[0].probability).toBeGreaterThan(0);
  });
});
