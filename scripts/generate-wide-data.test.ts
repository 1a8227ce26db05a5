import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CATEGORICAL_FEATURES,
  generateWideData,
  HEADER,
  NUMERIC_FEATURES,
  parseWideArgs,
  TEST_FILE,
  WIDE_SCHEMA_FILE,
  type WideDataSummary,
} from "./generate-wide-data";

/** The committed copy and the arguments that wrote it (the header of generate-wide-data.ts). */
const COMMITTED = path.resolve(__dirname, "../data/wide");
const COMMITTED_OPTIONS = { rows: 10_000, files: 4, testRows: 2_000, seed: 42 };
const SOURCES = ["wide_2024-01.csv", "wide_2024-02.csv", "wide_2024-03.csv", "wide_2024-04.csv"];

const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "wide-data-"));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function listFiles(dir: string, prefix = ""): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]))
    .sort();
}

/** A file's data lines (the header checked and left out). No cell of this data needs quoting. */
function dataLines(file: string): string[] {
  const [head, ...body] = fs.readFileSync(file, "utf8").trimEnd().split("\n");
  expect(head).toBe(HEADER);
  return body;
}

const COLUMNS = HEADER.split(",");
const col = (name: string) => COLUMNS.indexOf(name);
type Row = { file: string; line: string; cells: string[] };
const rowsOf = (rel: string): Row[] => dataLines(path.join(COMMITTED, rel)).map((line) => ({ file: rel, line, cells: line.split(",") }));

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const numbers = (rows: Row[], name: string) => rows.map((r) => r.cells[col(name)]).filter((c) => c !== "").map(Number);
const share = (rows: Row[], name: string, level: string) => rows.filter((r) => r.cells[col(name)] === level).length / rows.length;
function levelCounts(rows: Row[], name: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.cells[col(name)], (counts.get(r.cells[col(name)]) ?? 0) + 1);
  return counts;
}

describe("wide data (scripts/generate-wide-data.ts)", () => {
  let summary: WideDataSummary;
  let regenerated: string;
  let source: Row[];
  let test: Row[];

  beforeAll(() => {
    regenerated = tmp();
    summary = generateWideData(regenerated, COMMITTED_OPTIONS);
    source = SOURCES.flatMap(rowsOf);
    test = rowsOf(TEST_FILE);
  });

  it("regenerates data/wide byte for byte; another seed writes other rows", () => {
    const files = [...SOURCES, "schema.json", TEST_FILE].sort();
    expect(listFiles(COMMITTED)).toEqual(files);
    expect(listFiles(regenerated)).toEqual(files);
    for (const f of files) expect(fs.readFileSync(path.join(regenerated, f)).equals(fs.readFileSync(path.join(COMMITTED, f))), f).toBe(true);
    const other = tmp();
    generateWideData(other, { ...COMMITTED_OPTIONS, seed: 7 });
    for (const f of [SOURCES[0], TEST_FILE]) expect(fs.readFileSync(path.join(other, f)).equals(fs.readFileSync(path.join(COMMITTED, f))), f).toBe(false);
  });

  it("writes the schema file: the CSV's features in order, numeric bounds, the yes/no label and the month", () => {
    const schema = JSON.parse(fs.readFileSync(path.join(COMMITTED, "schema.json"), "utf8"));
    expect(schema).toEqual(WIDE_SCHEMA_FILE);
    expect(schema).toMatchObject({ id: "client_id", label: "churned", positive: "yes", negative: "no", time: "month" });
    expect(Object.keys(schema.features)).toEqual([...NUMERIC_FEATURES, ...CATEGORICAL_FEATURES]);
    expect(COLUMNS).toEqual(["client_id", "month", ...Object.keys(schema.features), "churned"]);
    expect(schema.features.nps_score).toEqual({ type: "numeric", min: -100, max: 100 });
    for (const f of CATEGORICAL_FEATURES) expect(schema.features[f]).toBe("categorical");
  });

  it("splits the rows into monthly files, the last third from the current world", () => {
    expect(summary.files.map((f) => [f.file, f.month, f.rows, f.duplicates, f.current])).toEqual([
      [SOURCES[0], "2024-01-01", 2500, 0, false],
      [SOURCES[1], "2024-02-01", 2500, 25, false],
      [SOURCES[2], "2024-03-01", 2500, 25, false],
      [SOURCES[3], "2024-04-01", 2500, 25, true],
    ]);
    // a copy keeps its original's month (exact copies); every other row has its file's
    const seen = new Set<string>();
    for (const r of source) {
      const month = `wide_${r.cells[col("month")].slice(0, 7)}.csv`;
      expect(seen.has(r.line) ? month < r.file : month === r.file, r.line).toBe(true);
      seen.add(r.line);
    }
    const odd = generateWideData(tmp(), { rows: 1003, files: 3, testRows: 10 });
    expect(odd.files.map((f) => [f.rows, f.current])).toEqual([[334, false], [334, false], [335, true]]);
    expect(generateWideData(tmp(), { rows: 300, files: 1, testRows: 10 }).files.map((f) => f.current)).toEqual([false]);
  });

  it("plants 1 % exact duplicates, each a copy of a row of an earlier file; ids are otherwise unique", () => {
    const firstFile = new Map<string, string>();
    let copies = 0;
    for (const r of source) {
      const first = firstFile.get(r.line);
      if (first === undefined) firstFile.set(r.line, r.file);
      else {
        copies++;
        expect(first < r.file, r.line).toBe(true);
      }
    }
    expect(copies).toBe(75);
    expect(firstFile.size).toBe(summary.distinctRows);
    const ids = [...firstFile.keys(), ...test.map((r) => r.line)].map((l) => l.split(",")[0]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => /^[0-9a-z]{10}$/.test(id))).toBe(true);
    // in no order: about half of consecutive ids ascend
    const ascending = ids.slice(1).filter((id, i) => id > ids[i]).length / ids.length;
    expect(ascending).toBeGreaterThan(0.45);
    expect(ascending).toBeLessThan(0.55);
  });

  it("leaves ~1 % of the feature cells empty in the source files and none in the test file, never the id, month or label", () => {
    const features = [...NUMERIC_FEATURES, ...CATEGORICAL_FEATURES].map(col);
    const empty = (rows: Row[]) => rows.reduce((s, r) => s + features.filter((c) => r.cells[c] === "").length, 0);
    expect(empty(source)).toBe(summary.emptyCells);
    expect(summary.emptyCells / (source.length * features.length)).toBeGreaterThan(0.008);
    expect(summary.emptyCells / (source.length * features.length)).toBeLessThan(0.012);
    for (const f of features) expect(source.filter((r) => r.cells[f] === "").length, COLUMNS[f]).toBeGreaterThan(50);
    expect(empty(test)).toBe(0);
    for (const r of [...source, ...test]) {
      expect(r.cells).toHaveLength(COLUMNS.length);
      expect(["yes", "no"]).toContain(r.cells[col("churned")]);
      expect(r.cells[col("month")]).toMatch(/^2024-0[1-4]-01$/);
    }
  });

  it("keeps every numeric cell inside the schema's bounds, with negative NPS scores", () => {
    for (const f of NUMERIC_FEATURES) {
      const { min, max } = WIDE_SCHEMA_FILE.features[f] as { min: number; max?: number };
      const values = numbers([...source, ...test], f);
      expect(values.every((v) => Number.isFinite(v) && v >= min && v <= (max ?? Infinity)), f).toBe(true);
    }
    expect(numbers(source, "nps_score").filter((v) => v < 0).length).toBeGreaterThan(1000);
  });

  it("writes categorical levels as text: plan codes with leading zeros, '7' apart from '007', long tails", () => {
    const plans = levelCounts(source, "plan_code");
    expect([...plans.keys()].every((p) => /^(\d{3}|7|)$/.test(p))).toBe(true);
    expect(plans.get("007")).toBeGreaterThan(500);
    expect(plans.get("7")).toBeGreaterThan(500);
    expect(plans.size).toBe(51); // 50 codes and the empty cell
    const rare = (name: string) => [...levelCounts(source, name).values()].filter((n) => n < 10).length;
    expect(rare("plan_code")).toBeGreaterThanOrEqual(3);
    expect(rare("industry")).toBeGreaterThanOrEqual(1);
    expect(levelCounts(source, "industry").size).toBe(21);
    expect([...levelCounts(source, "contract_type").keys()].sort()).toEqual(["", "annual", "monthly", "two-year"]);
  });

  it("drifts in the current file: region shares move, a new region appears, monthly spend rises ~30 %", () => {
    const reference = source.filter((r) => r.file !== SOURCES[3]);
    const current = source.filter((r) => r.file === SOURCES[3] && r.cells[col("month")] === "2024-04-01");
    expect(share(reference, "region", "overseas")).toBe(0);
    expect(share(test, "region", "overseas")).toBe(0);
    expect(share(current, "region", "overseas")).toBeGreaterThan(0.14);
    expect(share(reference, "region", "north") - share(current, "region", "north")).toBeGreaterThan(0.1);
    const ratio = mean(numbers(current, "monthly_spend")) / mean(numbers(reference, "monthly_spend"));
    expect(ratio).toBeGreaterThan(1.15);
    expect(ratio).toBeLessThan(1.45);
  });

  it("draws the label from numeric and categorical terms (base rate ≈ 25 %)", () => {
    const churn = (rows: Row[]) => share(rows, "churned", "yes");
    const rows = [...source, ...test];
    expect(churn(rows)).toBeGreaterThan(0.2);
    expect(churn(rows)).toBeLessThan(0.3);
    const by = (name: string, level: string) => churn(rows.filter((r) => r.cells[col(name)] === level));
    expect(by("contract_type", "monthly") - by("contract_type", "two-year")).toBeGreaterThan(0.15);
    expect(by("plan_code", "7") - by("plan_code", "007")).toBeGreaterThan(0.05);
    const late = rows.filter((r) => Number(r.cells[col("late_payments")]) >= 2);
    expect(churn(late) - churn(rows)).toBeGreaterThan(0.1);
  });

  it("reads its command line and refuses bad options", () => {
    expect(parseWideArgs(["--out", "d"])).toEqual({ out: "d", rows: 1_000_000, files: 12, seed: 42, testRows: 20_000 });
    expect(parseWideArgs(["--out", "d", "--rows", "10_000", "--files", "4", "--test-rows", "2000", "--seed=-3"])).toEqual({
      out: "d",
      rows: 10_000,
      files: 4,
      seed: -3,
      testRows: 2000,
    });
    expect(() => parseWideArgs(["--rows", "5"])).toThrow(/--out/);
    const bad = parseWideArgs(["--out", "d", "--rows", "1e6"]);
    expect(() => generateWideData(tmp(), bad)).toThrow(/--rows must be an integer/);
    expect(() => generateWideData(tmp(), { rows: 3, files: 4 })).toThrow(/--rows must be an integer ≥ 4/);
    expect(() => generateWideData(tmp(), { files: 0 })).toThrow(/--files/);
    expect(() => generateWideData(tmp(), { rows: 10, files: 2, testRows: -1 })).toThrow(/--test-rows/);
  });
});
