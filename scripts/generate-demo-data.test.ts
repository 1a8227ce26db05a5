import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseSchemaCsv } from "@/lib/csv/parse-schema-csv";
import { DEMO_SCHEMA } from "@/lib/testing/demo-schema";
import { generateDemoData, monthFile, SHIFTED_MONTH, type DemoDataSummary } from "./generate-demo-data";

const FEATURES = ["lastmonth_activity", "lastyear_activity", "number_of_employees"] as const;

/** A demo file read with the demo schema, its rows keyed by the demo's column names. */
function parseClientCsv(content: Buffer, opts: { label: "required" }) {
  const r = parseSchemaCsv(content, { schema: DEMO_SCHEMA, label: opts.label });
  const named = (x: (typeof r.rows)[number]) => ({
    row: x.row,
    corporation: x.id as string,
    lastmonth_activity: x.values[0] as number | null,
    lastyear_activity: x.values[1] as number | null,
    number_of_employees: x.values[2] as number | null,
    exited: x.label,
  });
  return { ...r, rows: r.rows.map(named) };
}

function listFiles(dir: string, prefix = ""): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]))
    .sort();
}

const MONTHS = Array.from({ length: 9 }, (_, i) => `sourcedata/${monthFile(i + 1)}`);
const SOURCE = [...MONTHS, `sourcedata/${SHIFTED_MONTH}`];

describe("generate-demo-data", () => {
  let root: string;
  let a: string;
  let b: string;
  let summary: DemoDataSummary;

  beforeAll(() => {
    root = mkdtempSync(path.join(tmpdir(), "demo-data-"));
    a = path.join(root, "a");
    b = path.join(root, "b");
    summary = generateDemoData(a);
    generateDemoData(b);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const read = (rel: string) => readFileSync(path.join(a, rel));

  it("writes byte-identical files when run twice", () => {
    const files = listFiles(a);
    expect(listFiles(b)).toEqual(files);
    for (const f of files) expect(readFileSync(path.join(b, f)).equals(readFileSync(path.join(a, f))), f).toBe(true);
  });

  it("writes the expected files", () => {
    expect(listFiles(a)).toEqual(
      [
        ...SOURCE,
        "testdata/testdata.csv",
        "samples/new_batch_same_distribution.csv",
        "samples/new_batch_shifted.csv",
        "samples/tiny/.DS_Store",
        "samples/tiny/batch1.csv",
        "samples/tiny/batch2.csv",
        "samples/tiny/batch3.csv",
        "samples/tiny/notes.txt",
        "samples/tiny/testdata.csv",
      ].sort(),
    );
  });

  it("plants exactly the announced problems in the source files, and parses them as such", () => {
    expect(summary).toMatchObject({ duplicateRows: 20, emptyFeatureCells: 10, invalidLabelRows: 3 });
    const seen = new Set<string>();
    let duplicates = 0;
    let empty = 0;
    const rejected: string[] = [];
    const ids = new Set<string>();
    let rowsRead = 0;
    for (const f of MONTHS) {
      const r = parseClientCsv(read(f), { label: "required" });
      rowsRead += r.rowsRead;
      for (const x of r.rejected) rejected.push(`${f}:${x.row}:${x.column}:${x.raw.exited}`);
      for (const x of r.rows) {
        const key = JSON.stringify([x.corporation, x.lastmonth_activity, x.lastyear_activity, x.number_of_employees, x.exited]);
        if (seen.has(key)) duplicates++;
        else if (ids.has(x.corporation)) throw new Error(`id ${x.corporation} reused with other values`);
        seen.add(key);
        ids.add(x.corporation);
        for (const feature of FEATURES) if (x[feature] === null) empty++;
      }
    }
    expect(rowsRead).toBe(3000);
    expect(duplicates).toBe(20);
    expect(empty).toBe(10);
    expect(rejected).toHaveLength(3);
    expect(rejected.every((x) => /^sourcedata\/clients_2024-0[456]\.csv:/.test(x) && x.includes(":exited:"))).toBe(true);
    expect(rejected.map((x) => x.split(":").at(-1)).sort()).toEqual(["", "2", "yes"]);
  });

  it("writes clean labelled test data and samples with fresh ids", () => {
    const sourceIds = new Set(SOURCE.flatMap((f) => parseClientCsv(read(f), { label: "required" }).rows.map((x) => x.corporation)));
    for (const [f, n] of [
      ["testdata/testdata.csv", 500],
      ["samples/new_batch_same_distribution.csv", 600],
      ["samples/new_batch_shifted.csv", 600],
      ["samples/tiny/testdata.csv", 20],
    ] as const) {
      const r = parseClientCsv(read(f), { label: "required" });
      expect(r.rowsRead, f).toBe(n);
      expect(r.rejected, f).toEqual([]);
      expect(Object.values(r.missingByColumn).every((m) => m === 0), f).toBe(true);
      expect(r.rows.some((x) => x.exited === 1) && r.rows.some((x) => x.exited === 0), f).toBe(true);
      expect(r.rows.some((x) => sourceIds.has(x.corporation)), f).toBe(false);
    }
  });

  it("keeps features non-negative integers in their ranges", () => {
    const max = { lastmonth_activity: 3000, lastyear_activity: 30000, number_of_employees: 5000 };
    const bad: string[] = [];
    for (const f of [...SOURCE, "testdata/testdata.csv", "samples/new_batch_same_distribution.csv"]) {
      for (const x of parseClientCsv(read(f), { label: "required" }).rows) {
        for (const c of FEATURES) {
          const v = x[c];
          if (v !== null && !(Number.isInteger(v) && v >= 0 && v <= max[c])) bad.push(`${f}:${x.row}:${c}=${v}`);
        }
      }
    }
    expect(bad).toEqual([]);
  });

  it("shifts the feature distribution in the shifted sample", () => {
    const mean = (f: string, col: "lastmonth_activity" | "number_of_employees") => {
      const rows = parseClientCsv(read(f), { label: "required" }).rows;
      return rows.reduce((s, x) => s + (x[col] ?? 0), 0) / rows.length;
    };
    const same = "samples/new_batch_same_distribution.csv";
    const shifted = "samples/new_batch_shifted.csv";
    expect(mean(shifted, "lastmonth_activity")).toBeLessThan(0.7 * mean(same, "lastmonth_activity"));
    // and the last demo month comes from the same shifted world
    expect(mean(`sourcedata/${SHIFTED_MONTH}`, "lastmonth_activity")).toBeLessThan(0.7 * mean(MONTHS[8], "lastmonth_activity"));
    expect(mean(shifted, "number_of_employees")).toBeGreaterThan(1.4 * mean(same, "number_of_employees"));
  });

  it("makes a tiny source folder with overlapping batches and non-CSV strays", () => {
    const batches = ["batch1.csv", "batch2.csv", "batch3.csv"].map((f) => parseClientCsv(read(`samples/tiny/${f}`), { label: "required" }));
    for (const r of batches) {
      expect(r.rowsRead).toBeGreaterThanOrEqual(10);
      expect(r.rowsRead).toBeLessThanOrEqual(20);
      expect(r.rejected).toEqual([]);
    }
    const keys = batches.flatMap((r) => r.rows.map((x) => JSON.stringify({ ...x, row: 0, raw: null })));
    expect(keys.length - new Set(keys).size).toBe(4);
    expect(read("samples/tiny/batch2.csv").subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(true);
    expect(() => parseClientCsv(read("samples/tiny/.DS_Store"), { label: "required" })).toThrow(/not a UTF-8 CSV/);
    expect(read("samples/tiny/notes.txt").toString()).toMatch(/SOURCE_DIR/);
  });
});
