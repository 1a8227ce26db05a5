import Database from "better-sqlite3";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ingestFile, ingestFolder } from "../ingestion/ingest";
import { numericColumn, type DataColumns } from "../schema/columns";
import { ROOT } from "../testing/api";
import { DEMO_SCHEMA } from "../testing/demo-schema";
import { testDatabaseKind, useTestDb } from "../testing/temp-db";
import { getDb } from "./client";
import { countTrainingRecords, readTrainingColumns, type RecordFilter } from "./columns";
import { countRecords } from "./datasets";
import { applyMigrations } from "./migrate";

const TINY = path.join(__dirname, "../../data/samples/tiny");
const header = "corporation,lastmonth_activity,lastyear_activity,number_of_employees,exited\n";
const FEATURES = DEMO_SCHEMA.features.map((f) => f.name);

const t = useTestDb();

/** A row as the test reads it from the CSV text itself (not the product's parser): cells by header name, an empty cell null. */
interface TextRow {
  datasetId: number;
  values: (number | null)[];
  exited: number;
}

function rowsOfText(datasetId: number, text: string): { key: string; row: TextRow }[] {
  const [head, ...lines] = text.replace(/^\uFEFF/, "").split(/\r?\n/).filter((l) => l !== "");
  const names = head.split(",");
  return lines.map((line) => {
    const cells = Object.fromEntries(line.split(",").map((c, i) => [names[i], c]));
    const values = FEATURES.map((f) => (cells[f] === "" ? null : Number(cells[f])));
    return { key: JSON.stringify([cells.corporation, ...values, cells.exited]), row: { datasetId, values, exited: Number(cells.exited) } };
  });
}

/** The files' rows in ingestion order, the first occurrence of a duplicate kept: what the training set must hold, record ids 1.. in this order. */
function expectedRows(files: { datasetId: number; text: string }[]): TextRow[] {
  const seen = new Set<string>();
  const out: TextRow[] = [];
  for (const f of files) for (const { key, row } of rowsOfText(f.datasetId, f.text)) if (!seen.has(key) && seen.add(key)) out.push(row);
  return out;
}

/** Columns hold exactly `rows` (empty cells flagged; their stored value checked apart). */
function expectColumns(cols: DataColumns, rows: TextRow[], where: string) {
  expect(cols.n, where).toBe(rows.length);
  expect(Array.from(cols.label), where).toEqual(rows.map((r) => r.exited));
  FEATURES.forEach((f, j) => {
    const c = numericColumn(cols, f);
    expect(Array.from(c.missing), `${where} ${f} missing`).toEqual(rows.map((r) => (r.values[j] === null ? 1 : 0)));
    rows.forEach((r, i) => r.values[j] !== null && expect(c.values[i], `${where} ${f}[${i}]`).toBe(r.values[j]));
  });
}

describe("training records as columns", () => {
  it("reads each filter's records from the files' blobs, in record id order, as the files hold them; imputed cells flagged and at the training mean", async () => {
    const folder = await ingestFolder(t.db, TINY, { exclude: [path.join(TINY, "testdata.csv")] });
    const gapsText = header + "g1,,5,6,1\ng2,7,,9,0\ng3,1,2,,1\n";
    const gaps = await ingestFile(t.db, { name: "gaps.csv", content: Buffer.from(gapsText), role: "upload" });
    const lastText = header + "h1,3,4,5,0\nh2,6,7,8,1\n";
    const last = await ingestFile(t.db, { name: "last.csv", content: Buffer.from(lastText), role: "upload" });
    expect(await t.db.datasetColumns.count()).toBe(5);
    expect(await t.db.columnBlob.count()).toBe(5 * FEATURES.length);

    const files = [
      ...folder.ingested.map((i) => ({ datasetId: i.dataset.id, text: fs.readFileSync(path.join(TINY, i.dataset.name), "utf8") })),
      { datasetId: gaps.dataset.id, text: gapsText },
      { datasetId: last.dataset.id, text: lastText },
    ];
    const all = expectedRows(files);
    expect(all).toHaveLength(44 - 4 + 3 + 2);
    // record ids run 1.. across the files in ingestion order
    const stored = await t.db.datasetColumns.findMany({ orderBy: { firstId: "asc" } });
    expect(stored.map((d) => d.datasetId)).toEqual(files.map((f) => f.datasetId));
    let next = 1;
    const ranges = files.map((f) => {
      const own = all.filter((r) => r.datasetId === f.datasetId).length;
      next += own;
      return [next - own, next - 1];
    });
    expect(stored.map((d) => [d.firstId, d.lastId])).toEqual(ranges);
    const firstFilesLastId = stored[2].lastId;
    const idOf = (i: number) => i + 1;

    const filters: { filter: RecordFilter; rows: TextRow[]; maxId: number }[] = [
      { filter: {}, rows: all, maxId: all.length },
      { filter: { maxId: firstFilesLastId }, rows: all.filter((_, i) => idOf(i) <= firstFilesLastId), maxId: firstFilesLastId },
      { filter: { datasetIds: [gaps.dataset.id] }, rows: all.filter((r) => r.datasetId === gaps.dataset.id), maxId: stored[3].lastId },
      { filter: { datasetIds: [folder.ingested[0].dataset.id, last.dataset.id] }, rows: all.filter((r) => [folder.ingested[0].dataset.id, last.dataset.id].includes(r.datasetId)), maxId: all.length },
      { filter: { datasetIds: [] }, rows: [], maxId: 0 },
    ];
    for (const { filter, rows, maxId } of filters) {
      const where = JSON.stringify(filter);
      const cols = await readTrainingColumns(t.url, DEMO_SCHEMA, filter);
      expectColumns(cols, rows, where);
      expect(cols.maxId, where).toBe(maxId);
      // the demo schema has a time column (month) and these files leave it out: their rows have no time (NaN), they are about when they arrived
      expect(Array.from(cols.time ?? []), where).toEqual(rows.map(() => Number.NaN));
      expect(await countTrainingRecords(t.url, filter), where).toEqual({ n: rows.length, maxId });
    }

    // The empty cells of gaps.csv hold the training set's mean including the file's present values (no earlier cell was imputed).
    const cols = await readTrainingColumns(t.url, DEMO_SCHEMA, { datasetIds: [gaps.dataset.id] });
    const upToGaps = all.filter((r) => r.datasetId !== last.dataset.id);
    FEATURES.forEach((f, j) => {
      const present = upToGaps.flatMap((r) => (r.values[j] === null ? [] : [r.values[j] as number]));
      const mean = present.reduce((a, b) => a + b, 0) / present.length;
      const c = numericColumn(cols, f);
      const empty = [0, 1, 2].filter((i) => c.missing[i]);
      expect(empty, f).toHaveLength(1);
      expect(c.values[empty[0]], f).toBeCloseTo(mean, 9);
    });
  });

  it("refuses a damaged blob (a length that does not match the file's rows) instead of reading wrong values", async () => {
    // Replaces the old check that files without blobs were read from Record rows: there is no Record
    // table any more, the blobs are the only storage, so what is checked is that a bad one is not read.
    const r = await ingestFile(t.db, { name: "a.csv", content: Buffer.from(header + "a,1,2,3,0\nb,4,5,6,1\n"), role: "upload" });
    const before = await readTrainingColumns(t.url, DEMO_SCHEMA);
    expect(Array.from(numericColumn(before, "lastyear_activity").values)).toEqual([2, 5]);
    await t.db.columnBlob.update({
      where: { datasetId_column: { datasetId: r.dataset.id, column: "lastyear_activity" } },
      data: { values: new Uint8Array(Float64Array.of(2, 5, 8).buffer) },
    });
    await expect(readTrainingColumns(t.url, DEMO_SCHEMA)).rejects.toMatchObject({ code: "internal:storage", message: expect.stringMatching(/lastyear_activity.*damaged/) });
    await t.db.datasetColumns.update({ where: { datasetId: r.dataset.id }, data: { label: new Uint8Array([0]) } });
    await expect(readTrainingColumns(t.url, DEMO_SCHEMA)).rejects.toMatchObject({ code: "internal:storage" });
  });

  it("refuses a file whose feature blob is missing instead of reading its values as zeros", async () => {
    // readTrainingColumns promises (lib/db/columns.ts assemble) to throw when the blobs do not hold exactly the selected records.
    const r = await ingestFile(t.db, { name: "a.csv", content: Buffer.from(header + "a,1,2,3,0\nb,4,5,6,1\n"), role: "upload" });
    await t.db.columnBlob.delete({ where: { datasetId_column: { datasetId: r.dataset.id, column: "lastyear_activity" } } });
    await expect(readTrainingColumns(t.url, DEMO_SCHEMA)).rejects.toMatchObject({ code: "internal:storage" });
  });

  it.skipIf(testDatabaseKind() === "postgresql")("a file stored before the blobs existed (Record rows, no DatasetColumns row) keeps its records through the migration to blobs", async () => {
    // The old check here: such a file was read from its Record rows. Record is gone; its rows must have moved into blobs.
    // The pre-blob file is made from the legacy fixture (data/fixtures/legacy-1fd310a) by removing one file's DatasetColumns row.
    const file = path.join(t.dir, "legacy.db");
    fs.copyFileSync(path.join(ROOT, "data/fixtures/legacy-1fd310a/app.db"), file);
    const old = new Database(file);
    const records = (old.prepare(`SELECT count(*) FROM "Record"`).pluck().get() as number);
    const first = old.prepare(`SELECT "datasetId", count(*) AS n FROM "Record" GROUP BY "datasetId" ORDER BY "datasetId" LIMIT 1`).get() as { datasetId: number; n: number };
    old.prepare(`DELETE FROM "DatasetColumns" WHERE "datasetId" = ?`).run(first.datasetId);
    old.close();
    expect(first.n).toBeGreaterThan(0);
    const url = `file:${file}`;
    applyMigrations(url);
    expect(await countRecords(getDb(url))).toMatchObject({ rows: records });
    expect((await readTrainingColumns(url, DEMO_SCHEMA)).n).toBe(records);
  });
});
