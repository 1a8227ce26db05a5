import path from "node:path";
import { describe, expect, it } from "vitest";
import { countRecords, listDatasets, listRejectedRows, listSnapshots } from "../db/datasets";
import type { ColumnSummary } from "../stats/summary";
import { storedRows } from "../testing/stored-rows";
import { testDatabaseKind, useTestDb } from "../testing/temp-db";
import { ingestFile, ingestFolder } from "./ingest";

const TINY = path.join(__dirname, "../../data/samples/tiny");

const t = useTestDb();

describe("ingestFolder", () => {
  it("ingests the CSVs once, skips other files and the test file, and dedupes across files", async () => {
    const first = await ingestFolder(t.db, TINY, { exclude: [path.join(TINY, "testdata.csv")] });
    expect(first.ingested.map((i) => i.dataset.name)).toEqual(["batch1.csv", "batch2.csv", "batch3.csv"]);
    expect(first.skipped.map((s) => s.name).sort()).toEqual([".DS_Store", "notes.txt", "testdata.csv"]);
    expect(first.failed).toEqual([]);

    const read = first.ingested.reduce((n, i) => n + i.dataset.rowsRead, 0);
    const dups = first.ingested.reduce((n, i) => n + i.dataset.duplicates, 0);
    expect(read).toBe(14 + 14 + 16);
    expect(dups).toBe(4);
    expect(await storedRows(t.db)).toHaveLength(read - dups);
    expect((await countRecords(t.db)).rows).toBe(read - dups);
    expect(await listSnapshots(t.db)).toHaveLength(3);

    const again = await ingestFolder(t.db, TINY, { exclude: [path.join(TINY, "testdata.csv")] });
    expect(again.ingested).toEqual([]);
    expect(again.skipped.filter((s) => s.reason.startsWith("already"))).toHaveLength(3);
    expect(await storedRows(t.db)).toHaveLength(read - dups);
  });
});

describe("ingestFile", () => {
  const header = "corporation,lastmonth_activity,lastyear_activity,number_of_employees,exited\n";

  it("imputes empty features with the training-set mean and quarantines bad rows with their row number", async () => {
    const csv = header + "a,10,100,5,0\nb,,300,15,1\nc,30,200,10,yes\nd,-1,1,1,0\n";
    const r = await ingestFile(t.db, { name: "x.csv", content: Buffer.from(csv), role: "upload" });
    expect(r.dataset.rowsRead).toBe(4);
    expect(r.dataset.rowsAccepted).toBe(2);
    expect(r.dataset.rejected).toBe(2);
    expect(r.dataset.imputed).toBe(1);
    expect(r.problems).toEqual([
      expect.objectContaining({ row: 4, column: "exited" }),
      expect.objectContaining({ row: 5, column: "lastmonth_activity" }),
    ]);
    const records = await storedRows(t.db);
    expect(records.map((x) => x.id)).toEqual(["a", "b"]);
    const b = records.find((x) => x.id === "b")!;
    // mean of the present lastmonth values among accepted rows: only "a" (10)
    expect(b.values.lastmonth_activity).toBe(10);
    expect(b.imputed).toEqual(["lastmonth_activity"]);
    expect(records.find((x) => x.id === "a")!.imputed).toEqual([]);
    expect(await listRejectedRows(t.db)).toHaveLength(2);
  });

  it("returns the original ledger entry for the same content and adds nothing", async () => {
    const content = Buffer.from(header + "a,1,2,3,0\nb,4,5,6,1\n");
    const first = await ingestFile(t.db, { name: "one.csv", content, role: "upload" });
    const second = await ingestFile(t.db, { name: "renamed.csv", content, role: "source" });
    expect(second.alreadyIngested).toBe(true);
    expect(second.dataset.id).toBe(first.dataset.id);
    expect(await listDatasets(t.db)).toHaveLength(1);
  });

  it("writes nothing for a file that cannot be used", async () => {
    await expect(ingestFile(t.db, { name: "bad.csv", content: Buffer.from("corporation,exited\na,1\n"), role: "upload" })).rejects.toMatchObject({
      code: "unprocessable:csv",
    });
    expect(await listDatasets(t.db)).toHaveLength(0);
    expect(await storedRows(t.db)).toHaveLength(0);
    expect(await t.db.storedSchema.count()).toBe(0);
  });

  it("rolls the whole file back when the write fails midway", async () => {
    const content = Buffer.from(header + "a,1,2,3,0\n");
    // The stored schema, the ledger row and the file's DatasetColumns row are written first; a
    // failing feature blob insert after them must take them all back out.
    if (testDatabaseKind() === "postgresql") {
      await t.db.$executeRawUnsafe(`CREATE FUNCTION fail_blobs() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$`);
      await t.db.$executeRawUnsafe(`CREATE TRIGGER fail_blobs BEFORE INSERT ON "ColumnBlob" FOR EACH ROW EXECUTE FUNCTION fail_blobs()`);
    } else {
      await t.db.$executeRawUnsafe(`CREATE TRIGGER fail_blobs BEFORE INSERT ON "ColumnBlob" BEGIN SELECT RAISE(ABORT, 'disk full'); END;`);
    }
    await expect(ingestFile(t.db, { name: "a.csv", content, role: "upload" })).rejects.toThrow(/disk full/);
    expect(await listDatasets(t.db)).toEqual([]);
    expect(await t.db.datasetColumns.count()).toBe(0);
    expect(await t.db.storedSchema.count()).toBe(0);
    expect(await storedRows(t.db)).toEqual([]);
  });
});

describe("snapshots from running state", () => {
  const header = "corporation,lastmonth_activity,lastyear_activity,number_of_employees,exited\n";
  type Stats = Record<string, { [stat: string]: number | null | undefined }>;
  const close = (a: Stats, b: Stats) => {
    for (const col of Object.keys(b)) {
      for (const stat of ["mean", "median", "std", "min", "max", "missing"]) {
        const x = a[col][stat];
        const y = b[col][stat] ?? null;
        if (y === null) expect(x, `${col}.${stat}`).toBeNull();
        else expect(Math.abs((x as number) - y) / Math.max(1, Math.abs(y)), `${col}.${stat}`).toBeLessThan(1e-12);
      }
    }
  };

  it("each snapshot equals the statistics of every stored record, also after a snapshot without state", async () => {
    const { trainingSummary } = await import("../reads/summary");
    await ingestFolder(t.db, TINY, { exclude: [path.join(TINY, "testdata.csv")] });
    // duplicates of stored rows, empty cells (imputed), a rejected row
    await ingestFile(t.db, { name: "more.csv", content: Buffer.from(header + "x1,,5,6,1\nx2,7,,9,0\nx3,1e6,2,3,1\nbad,-1,1,1,0\n"), role: "upload" });
    let last = (await listSnapshots(t.db)).at(-1)!;
    close(JSON.parse(last.stats), (await trainingSummary(t.db)).columns as unknown as Stats);
    expect(last.rows).toBe((await trainingSummary(t.db)).rows);

    // a database from before the state existed: the next ingestion rebuilds it from the records
    await t.db.dataSnapshot.updateMany({ data: { state: null } });
    await ingestFile(t.db, { name: "again.csv", content: Buffer.from(header + "y1,3,4,,0\ny2,5,6,7,1\n"), role: "upload" });
    last = (await listSnapshots(t.db)).at(-1)!;
    close(JSON.parse(last.stats), (await trainingSummary(t.db)).columns as unknown as Stats);
    expect(JSON.parse(last.state!).rows).toBe((await trainingSummary(t.db)).rows);
  });
});

describe("numbers too large to compute with", () => {
  it("quarantines them, and statistics and training stay finite afterwards", async () => {
    const header = "corporation,lastmonth_activity,lastyear_activity,number_of_employees,exited\n";
    const good = Array.from({ length: 40 }, (_, i) => `g${i},${(i * 37) % 300},${(i * 911) % 5000},${1 + (i % 50)},${i % 3 === 0 ? 1 : 0}`);
    const worst = ["w1,1e308,1,1,0", "w2,1,1.7976931348623157e308,1,1", "w3,1,1,1e16,0", "w4,1e999,1,1,1", "w5,NaN,1,1,0", "w6,1e15,1e15,1e15,1"];
    const r = await ingestFile(t.db, { name: "worst.csv", content: Buffer.from(header + [...good, ...worst].join("\n")), role: "upload" });
    expect(r.dataset.rowsAccepted).toBe(41); // the 40 good rows and w6 (exactly at the bound)
    expect(r.problems.map((p) => p.problem)).toEqual([
      expect.stringMatching(/too large: "1e308"/),
      expect.stringMatching(/too large/),
      expect.stringMatching(/too large: "1e16"/),
      expect.stringMatching(/not a finite number/),
      expect.stringMatching(/not a number/),
    ]);
    const { trainingSummary } = await import("../reads/summary");
    const summary = await trainingSummary(t.db);
    // the three numeric features and the label, all summarised as numbers
    const numeric = Object.values(summary.columns).filter((c): c is ColumnSummary => !("type" in c && c.type === "categorical"));
    expect(numeric).toHaveLength(4);
    for (const c of numeric) for (const v of [c.mean, c.std, c.median, c.min, c.max]) expect(Number.isFinite(v)).toBe(true);
    const { trainStep } = await import("../pipeline/steps");
    const m = await trainStep({ db: t.db, trigger: "test" });
    const w = JSON.parse(m.weights) as { intercept: number; coefficients: Record<string, number> };
    expect([w.intercept, ...Object.values(w.coefficients)].every(Number.isFinite)).toBe(true);
  });
});

describe("huge cells", () => {
  it("a 10 MB cell is quarantined, stored and reported as a short prefix with its length", async () => {
    const header = "corporation,lastmonth_activity,lastyear_activity,number_of_employees,exited\n";
    const huge = "9".repeat(5_000_000) + "x".repeat(5_000_000);
    const longId = "c".repeat(1000);
    const csv = `${header}ok,1,2,3,0\nbig,${huge},2,3,1\n${longId},1,2,3,0\n`;
    const r = await ingestFile(t.db, { name: "huge.csv", content: Buffer.from(csv), role: "upload" });
    expect(r.dataset.rowsAccepted).toBe(1);
    expect(r.problems).toHaveLength(2);
    expect(r.problems[0].problem).toMatch(/^not a number: "9{100}"… \(10000000 characters\)$/);
    expect(r.problems[1]).toMatchObject({ column: "corporation", problem: expect.stringMatching(/too long: "c{100}"… \(1000 characters\) \(at most 200 characters\)/) });
    const stored = await listRejectedRows(t.db);
    for (const row of stored) {
      expect(row.problem.length).toBeLessThan(300);
      expect(row.raw.length).toBeLessThan(1000);
    }
    expect(JSON.stringify(r).length).toBeLessThan(5000);
  });
});
