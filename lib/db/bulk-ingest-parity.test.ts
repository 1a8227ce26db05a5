import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectAll, getDb, type Db } from "./client";
import { readTrainingColumns } from "./columns";
import { applyMigrations } from "./migrate";
import { ingestFile, ingestFolder } from "../ingestion/ingest";
import { DEMO_SCHEMA } from "../testing/demo-schema";
import { storedRows } from "../testing/stored-rows";
import { createTestDb, type TestDb } from "../testing/temp-db";

/*
 * The ingestion's PostgreSQL statements and its SQLite ones (lib/db/ingest-store.ts, one adapter
 * per database) store the same thing for the same files: ledger counts, records (dedupe, imputed
 * values, ids as read), quarantined rows, the DataSnapshot statistics and running state, the
 * stored schema, and every blob (DatasetColumns, ColumnBlob) byte for byte.
 * Runs in the postgresql vitest project only (it needs both databases).
 */

const TINY = path.join(__dirname, "../../data/samples/tiny");
const header = "corporation,lastmonth_activity,lastyear_activity,number_of_employees,exited\n";
let pgDb: TestDb;
let sqliteDir: string;
let sqlite: { url: string; db: Db };

beforeAll(() => {
  pgDb = createTestDb();
  sqliteDir = fs.mkdtempSync(path.join(os.tmpdir(), "dra-parity-"));
  const url = `file:${path.join(sqliteDir, "app.db")}`;
  const template = process.env.DRA_TEST_TEMPLATE_DB;
  if (template && fs.existsSync(template)) fs.copyFileSync(template, url.slice(5));
  else applyMigrations(url);
  sqlite = { url, db: getDb(url) };
});
afterAll(async () => {
  await pgDb.cleanup(); // closes every client, the SQLite one too
  await disconnectAll();
  fs.rmSync(sqliteDir, { recursive: true, force: true });
});

/** A file with everything the path handles: duplicates within it and of stored rows, empty cells, rejected rows, and text COPY must escape. */
function awkwardFile(seed: number, n = 400): Buffer {
  const rows: string[] = [];
  for (let i = 0; i < n; i++) {
    const v = (k: number) => ((i * 37 + k * 11 + seed * 7) % 500) / (k === 2 ? 1 : 4);
    const empty = i % 13 === 0 ? 1 + (i % 3) : 0;
    const cells = [0, 1, 2].map((k) => (empty === k + 1 ? "" : String(v(k))));
    const name = i % 17 === 0 ? `"tab\there \\\\ back, ""quoted""\nline ${i % 50}"` : `corp ${i % 150}`;
    rows.push([name, ...cells, String(i % 3 === 0 ? 1 : 0)].join(","));
    if (i % 29 === 0) rows.push(`bad ${i},-5,1,1,0`); // negative activity: rejected
    if (i % 31 === 0) rows.push(`bad ${i},1,2,3,maybe`); // bad label: rejected
  }
  return Buffer.from(header + rows.join("\n") + "\n");
}

async function ingestAll(db: Db) {
  await ingestFolder(db, TINY, { exclude: [path.join(TINY, "testdata.csv")] });
  for (let s = 0; s < 3; s++) await ingestFile(db, { name: `awkward-${s}.csv`, content: awkwardFile(s), role: "upload" });
  await ingestFile(db, { name: "again.csv", content: awkwardFile(0, 60), role: "upload" });
}

/** A Bytes column as text (the two Prisma clients hand back different byte-array classes). */
const base64 = (b: Uint8Array | null) => (b === null ? null : Buffer.from(b).toString("base64"));

async function contents(db: Db) {
  const strip = <T extends Record<string, unknown>>(rows: T[], ...keys: string[]) => rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !keys.includes(k))));
  return {
    // a file without the time column is about when it arrived: its period is its ingestion time, on either database
    datasets: strip(
      (await db.dataset.findMany({ orderBy: { id: "asc" } })).map((d) => ({
        ...d,
        periodStart: d.periodStart?.getTime() === d.ingestedAt.getTime() ? "ingestedAt" : d.periodStart,
        periodEnd: d.periodEnd?.getTime() === d.ingestedAt.getTime() ? "ingestedAt" : d.periodEnd,
      })),
      "ingestedAt",
    ),
    records: await storedRows(db),
    rejected: strip(await db.rejectedRow.findMany({ orderBy: { id: "asc" } }), "createdAt"),
    snapshots: strip(await db.dataSnapshot.findMany({ orderBy: { id: "asc" } }), "createdAt").map((s) => ({ ...s, stats: JSON.parse(s.stats as string), state: JSON.parse(s.state as string) })),
    schema: (await db.storedSchema.findMany()).map((s) => JSON.parse(s.json)),
    columns: (await db.datasetColumns.findMany({ orderBy: { datasetId: "asc" } })).map((c) => ({ ...c, label: base64(c.label), time: base64(c.time), ids: base64(c.ids), keys: base64(c.keys) })),
    blobs: (await db.columnBlob.findMany({ orderBy: [{ datasetId: "asc" }, { column: "asc" }] })).map((c) => ({ ...c, values: base64(c.values), missing: base64(c.missing) })),
    levels: await db.categoryLevel.findMany({ orderBy: [{ column: "asc" }, { code: "asc" }] }),
  };
}

describe("bulk ingestion: PostgreSQL (COPY) and SQLite store the same", () => {
  it("same files → same ledger, records, quarantine, snapshots, stored schema and column blobs", async () => {
    await ingestAll(sqlite.db);
    await ingestAll(pgDb.db);
    const a = await contents(sqlite.db);
    const b = await contents(pgDb.db);
    expect(a.records.length).toBeGreaterThan(500);
    expect(a.rejected.length).toBeGreaterThan(20);
    expect(a.records.some((r) => r.id !== null && r.id.includes("\t") && r.id.includes("\n") && r.id.includes("\\"))).toBe(true);
    expect(a.records.some((r) => r.imputed.length > 0)).toBe(true);
    expect(a.schema).toHaveLength(1);
    expect(a.blobs).toHaveLength(a.columns.length * DEMO_SCHEMA.features.length);
    expect(b.datasets).toEqual(a.datasets);
    expect(b.records).toEqual(a.records);
    expect(b.rejected).toEqual(a.rejected);
    expect(b.snapshots).toEqual(a.snapshots);
    expect(b.schema).toEqual(a.schema);
    expect(b.columns).toEqual(a.columns);
    expect(b.blobs).toEqual(a.blobs);
    expect(b.levels).toEqual(a.levels);
    expect(await readTrainingColumns(pgDb.url, DEMO_SCHEMA)).toEqual(await readTrainingColumns(sqlite.url, DEMO_SCHEMA));
  });
});
