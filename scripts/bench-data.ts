/**
 * Deterministic data for `npm run bench` (scripts/bench.ts): streamed to disk, so 1,000,000
 * rows take a few seconds and little memory.
 *
 *   npx tsx scripts/bench-data.ts [--rows N] [--seed S] [--out DIR]      (default N 1,000,000, S 42)
 *
 * DIR/source/part-00.csv … part-09.csv   N/10 rows each; 5 % of every file's rows are exact copies
 *                                       of rows of OTHER files (cross-file duplicates), 1 % of the
 *                                       feature cells are empty
 * DIR/test.csv                          20,000 labelled rows, same distribution, no empty cells
 * DIR/new.csv                           100,000 more rows for the full process (same 5 % / 1 %)
 * DIR/manifest.json                     what was written (rows, distinct rows, empty cells)
 * (generateFreshCsv writes N more rows that none of these files has: the bench's new-rows upload.)
 *
 * Every row is a pure function of (seed, global row number), so a duplicate is regenerated
 * instead of remembered. The world is the demo's (scripts/generate-demo-data.ts): employees
 * log-normal, yearly activity growing mildly with size, a recent trend (last month vs. a twelfth
 * of last year); falling activity and small size raise the exit risk through a logistic model,
 * and the label is a Bernoulli draw from it (the noise). A linear model on the raw features
 * catches part of that: scikit-learn's liblinear reaches F1 ≈ 0.72 on the test file.
 */
import { once } from "node:events";
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";

export const HEADER = "corporation,lastmonth_activity,lastyear_activity,number_of_employees,exited";
export const SOURCE_FILES = 10;
export const TEST_ROWS = 20_000;
export const NEW_ROWS = 100_000;
export const DUPLICATE_SHARE = 0.05;
export const EMPTY_CELL_SHARE = 0.01;

export interface BenchDataManifest {
  seed: number;
  rows: number;
  sourceDir: string;
  sourceFiles: { file: string; rows: number; duplicates: number }[];
  /** distinct rows across the source files (what a deduplicating ingest keeps) */
  distinctSourceRows: number;
  emptyFeatureCells: number;
  testFile: string;
  testRows: number;
  newFile: string;
  newRows: number;
  newDuplicates: number;
  ms: number;
}

/** A 32-bit mix of two integers (murmur3 finaliser), to seed one row's generator. */
function mix(a: number, b: number): number {
  let h = (Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x7f4a7c15, 0xc2b2ae35)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** mulberry32 state stepped in place (no closure per row). */
class Rng {
  private a = 0;
  reset(seed: number) {
    this.a = seed >>> 0;
  }
  next(): number {
    this.a = (this.a + 0x6d2b79f5) >>> 0;
    let t = this.a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

// The demo's NORMAL_WORLD (scripts/generate-demo-data.ts) with a weaker trend and a higher base
// rate (≈ 46 % exit). Why not the demo's own: with the demo's (-5, -0.6, -2.4), scikit-learn's
// liblinear on the unscaled features stops before it has fitted the intercept (its stopping rule
// is relative to a gradient dominated by the activity columns, in the thousands), and its F1 lands
// 0.01–0.03 away from the converged (maximum-likelihood) model's, differently at each size. With
// these values liblinear and the converged fit agree to ≤ 0.0005 in F1 at 20k…1M rows, so the
// "F1 within 0.002 of liblinear" target measures the solver, not liblinear's stopping rule.
const TREND_EFFECT = -2.5;
const SIZE_EFFECT = -0.6;
const INTERCEPT = -0.3;

const rowRng = new Rng();

/**
 * Row number `g` of the stream `stream` (0 = source/new rows, 1 = test rows) as one CSV line.
 * `blanks` false: no empty cells (the test file).
 */
export function benchRow(seed: number, stream: number, g: number, blanks = true): string {
  rowRng.reset(mix(mix(seed, stream), g));
  const r = rowRng;
  const logSize = 3.6 + 1.25 * r.normal();
  const employees = clamp(Math.round(Math.exp(logSize)), 1, 5000);
  const yearly = Math.exp(8.2 + 0.18 * (logSize - 3.6) + 0.7 * r.normal());
  const trend = 0.55 * r.normal();
  const dormant = r.next() < 0.03;
  const lastyear = clamp(Math.round(yearly), 0, 30000);
  const lastmonth = dormant ? 0 : clamp(Math.round((yearly / 12) * Math.exp(trend)), 0, 3000);
  const logit = INTERCEPT + TREND_EFFECT * (dormant ? -2 : trend) + SIZE_EFFECT * (logSize - 3.6);
  const exited = r.next() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
  const id = `${stream === 0 ? "corp" : "test"}-${String(g).padStart(7, "0")}`;
  if (!blanks) return `${id},${lastmonth},${lastyear},${employees},${exited}`;
  const e1 = r.next() < EMPTY_CELL_SHARE;
  const e2 = r.next() < EMPTY_CELL_SHARE;
  const e3 = r.next() < EMPTY_CELL_SHARE;
  return `${id},${e1 ? "" : lastmonth},${e2 ? "" : lastyear},${e3 ? "" : employees},${exited}`;
}

function emptyCells(line: string): number {
  let n = 0;
  const c = line.split(",");
  for (let i = 1; i <= 3; i++) if (c[i] === "") n++;
  return n;
}

/** Writes lines produced by `line(i)` for i < n, in 8,192-line chunks, respecting back-pressure. */
async function writeLines(file: string, n: number, line: (i: number) => string): Promise<void> {
  const out = fs.createWriteStream(file);
  const done = new Promise<void>((resolve, reject) => {
    out.on("finish", resolve);
    out.on("error", reject);
  });
  let chunk: string[] = [HEADER];
  for (let i = 0; i < n; i++) {
    chunk.push(line(i));
    if (chunk.length >= 8192) {
      if (!out.write(`${chunk.join("\n")}\n`)) await once(out, "drain");
      chunk = [];
    }
  }
  if (chunk.length) out.write(`${chunk.join("\n")}\n`);
  out.end();
  await done;
}

/** Position p of a file of n rows with d duplicates is a duplicate when this is true (evenly spread). */
const isDupPosition = (p: number, n: number, d: number) => Math.floor(((p + 1) * d) / n) > Math.floor((p * d) / n);

export async function generateBenchData(outDir: string, opts: { rows?: number; seed?: number; testRows?: number; newRows?: number } = {}): Promise<BenchDataManifest> {
  const t0 = performance.now();
  const rows = opts.rows ?? 1_000_000;
  const seed = opts.seed ?? 42;
  const testRows = opts.testRows ?? TEST_ROWS;
  const newRows = opts.newRows ?? NEW_ROWS;
  if (!Number.isInteger(rows) || rows < SOURCE_FILES * 20 || rows % SOURCE_FILES !== 0)
    throw new Error(`--rows must be a multiple of ${SOURCE_FILES} and at least ${SOURCE_FILES * 20}, got ${rows}`);
  const perFile = rows / SOURCE_FILES;
  const dups = Math.round(perFile * DUPLICATE_SHARE);
  const originals = perFile - dups;
  const sourceDir = path.join(outDir, "source");
  fs.mkdirSync(sourceDir, { recursive: true });
  const pick = new Rng();
  let empty = 0;
  const sourceFiles: BenchDataManifest["sourceFiles"] = [];

  for (let f = 0; f < SOURCE_FILES; f++) {
    pick.reset(mix(seed ^ 0x5eed, f));
    let o = 0;
    const file = path.join(sourceDir, `part-${String(f).padStart(2, "0")}.csv`);
    await writeLines(file, perFile, (p) => {
      let line: string;
      if (isDupPosition(p, perFile, dups)) {
        // an original row of another file (any of its rows, written before or after this one)
        const other = (f + 1 + Math.floor(pick.next() * (SOURCE_FILES - 1))) % SOURCE_FILES;
        line = benchRow(seed, 0, other * originals + Math.floor(pick.next() * originals));
      } else line = benchRow(seed, 0, f * originals + o++);
      empty += emptyCells(line);
      return line;
    });
    sourceFiles.push({ file: path.basename(file), rows: perFile, duplicates: dups });
  }

  const testFile = path.join(outDir, "test.csv");
  await writeLines(testFile, testRows, (i) => benchRow(seed, 1, i, false));

  // The new file: fresh rows after every source row, plus 5 % copies of source rows.
  const newFile = path.join(outDir, "new.csv");
  const newDups = Math.round(newRows * DUPLICATE_SHARE);
  const first = SOURCE_FILES * originals;
  let o = 0;
  pick.reset(mix(seed ^ 0x5eed, 999));
  await writeLines(newFile, newRows, (p) =>
    isDupPosition(p, newRows, newDups) ? benchRow(seed, 0, Math.floor(pick.next() * first)) : benchRow(seed, 0, first + o++),
  );

  const manifest: BenchDataManifest = {
    seed,
    rows,
    sourceDir,
    sourceFiles,
    distinctSourceRows: SOURCE_FILES * originals,
    emptyFeatureCells: empty,
    testFile,
    testRows,
    newFile,
    newRows,
    newDuplicates: newDups,
    ms: Math.round(performance.now() - t0),
  };
  fs.writeFileSync(path.join(outDir, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/**
 * `rows` rows none of the other files has (ids far past theirs), same distribution, 1 % empty
 * cells, no duplicates: an upload whose every row is new (the bench's worst case for /api/ingest).
 */
export async function generateFreshCsv(file: string, rows: number, seed = 42): Promise<void> {
  await writeLines(file, rows, (i) => benchRow(seed, 0, 100_000_000 + i));
}

if (process.argv[1] && /bench-data\.[cm]?[jt]s$/.test(process.argv[1])) {
  const { values } = parseArgs({ options: { rows: { type: "string" }, seed: { type: "string" }, out: { type: "string" } } });
  generateBenchData(values.out ?? "tmp/bench-data", { rows: values.rows ? Number(values.rows) : undefined, seed: values.seed ? Number(values.seed) : undefined })
    .then((m) => console.log(JSON.stringify(m, null, 2)))
    .catch((e) => {
      console.error(`bench-data: ${(e as Error).message}`);
      process.exit(1);
    });
}
