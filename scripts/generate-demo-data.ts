/**
 * Writes the demo data set: deterministic (own seeded PRNG, no Math.random), so running it
 * twice gives byte-identical files.
 *
 *   npx tsx scripts/generate-demo-data.ts [--out DIR]     (default DIR: data)
 *
 * DIR/sourcedata/clients_2024-{01..09}.csv training batches (monthly, with a `month` column: the schema's
 *                                          time) with a few planted problems,
 *   and clients_2024-10_shifted.csv        a month from the shifted world
 * DIR/testdata/testdata.csv                clean labelled test data, same distribution
 * DIR/samples/new_batch_same_distribution.csv, new_batch_shifted.csv   drift demos
 * DIR/samples/tiny/                        a small source folder (with non-CSV strays)
 *
 * The world: each client has a size (employees, log-normal), a yearly activity level and a
 * recent trend (last month vs. a twelfth of last year). Clients whose activity is falling and
 * small clients exit more often (logistic model, base rate ≈ 25 %). In the shifted world
 * activity halves, clients are twice as large, the trend matters much less and large clients
 * exit more often than small ones.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

// ---------------------------------------------------------------------------------------------
// Randomness

type Rng = () => number;

/** mulberry32: a tiny, well-mixed 32-bit PRNG; returns floats in [0, 1). */
function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draw (Box–Muller, one value per call keeps the stream simple). */
function normal(rng: Rng): number {
  const u = 1 - rng(); // (0, 1]
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

/** Fisher–Yates sample of k distinct indices from 0..n-1, in ascending order. */
function sampleIndices(rng: Rng, n: number, k: number): number[] {
  const idx = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rng() * (n - i));
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  return idx.slice(0, k).sort((a, b) => a - b);
}

// ---------------------------------------------------------------------------------------------
// The world

/** A row as written: cells are strings so planted problems (empty cells, bad labels) fit. */
type Cells = [corporation: string, lastmonth: string, lastyear: string, employees: string, exited: string];

const HEADER = "corporation,lastmonth_activity,lastyear_activity,number_of_employees,exited";
/** The demo schema's time column (data/schema.json): the month a source row belongs to, as YYYY-MM. */
const MONTH_COLUMN = "month";

interface World {
  /** Multiplier on both activity figures. */
  activityScale: number;
  /** Multiplier on the number of employees. */
  employeeScale: number;
  /** Risk per unit of log trend (negative: falling activity raises risk). */
  trendEffect: number;
  /** Risk per unit of log size (negative: small clients exit more). */
  sizeEffect: number;
  intercept: number;
}

const NORMAL_WORLD: World = { activityScale: 1, employeeScale: 1, trendEffect: -5, sizeEffect: -0.6, intercept: -2.4 };
// After the shift a falling trend matters far less and large clients leave (say, a competitor's
// enterprise plan): a model trained on the normal world flags the wrong clients.
const SHIFTED_WORLD: World = { activityScale: 0.5, employeeScale: 2, trendEffect: -1.2, sizeEffect: 0.9, intercept: -1.6 };

function corporationId(n: number): string {
  return `corp-${String(n).padStart(5, "0")}`;
}

function client(rng: Rng, world: World, id: number): Cells {
  const logSize = 3.6 + 1.25 * normal(rng); // employees: median ≈ 37, long right tail
  const employees = clamp(Math.round(Math.exp(logSize) * world.employeeScale), 1, 5000 * world.employeeScale);
  // Yearly activity grows mildly with size; a twelfth of it is the "normal" month.
  const yearly = Math.exp(8.2 + 0.18 * (logSize - 3.6) + 0.7 * normal(rng));
  const trend = 0.55 * normal(rng); // log(last month / (last year / 12))
  const dormant = rng() < 0.03;
  const lastyear = clamp(Math.round(yearly * world.activityScale), 0, 30000);
  const lastmonth = dormant ? 0 : clamp(Math.round((yearly / 12) * Math.exp(trend) * world.activityScale), 0, 3000);
  const effectiveTrend = dormant ? -2 : trend;
  const logit = world.intercept + world.trendEffect * effectiveTrend + world.sizeEffect * (logSize - 3.6);
  const exited = rng() < sigmoid(logit) ? 1 : 0;
  return [corporationId(id), String(lastmonth), String(lastyear), String(employees), String(exited)];
}

function clients(seed: number, world: World, firstId: number, n: number): Cells[] {
  const rng = mulberry32(seed);
  return Array.from({ length: n }, (_, i) => client(rng, world, firstId + i));
}

function toCsv(rows: readonly Cells[], opts: { eol?: string; bom?: boolean; columns?: number[] } = {}): string {
  const eol = opts.eol ?? "\n";
  const order = opts.columns ?? [0, 1, 2, 3, 4];
  const header = HEADER.split(",");
  const lines = [order.map((i) => header[i]).join(","), ...rows.map((r) => order.map((i) => r[i]).join(","))];
  return (opts.bom ? "\ufeff" : "") + lines.join(eol) + eol;
}

// ---------------------------------------------------------------------------------------------
// The files

/** clients_2024-01.csv … clients_2024-09.csv: the normal months. */
export function monthFile(month: number): string {
  return `clients_2024-${String(month).padStart(2, "0")}.csv`;
}
/** The tenth month, from the shifted world: the one whose run finds drift and retrains. */
export const SHIFTED_MONTH = "clients_2024-10_shifted.csv";

export interface DemoDataSummary {
  /** Path relative to the output folder → rows written (data lines, header excluded). */
  files: Record<string, number>;
  /** Rows in source files that repeat an earlier source row exactly. */
  duplicateRows: number;
  /** Empty feature cells in source files. */
  emptyFeatureCells: number;
  /** Rows in source files whose label is not 0/1 (or empty). */
  invalidLabelRows: number;
}

/** The tiny source folder: three small batches sharing a few rows (one saved by Excel, one with its columns reordered) and its test file. */
function putTinySource(put: (rel: string, rows: readonly Cells[], content?: string) => void): void {
  const tiny = clients(4242, NORMAL_WORLD, 50001, 40);
  const batch1 = tiny.slice(0, 14);
  const batch2 = [...tiny.slice(14, 26), tiny[2], tiny[9]];
  const batch3 = [...tiny.slice(26, 40), tiny[5], tiny[17]];
  put("samples/tiny/batch1.csv", batch1);
  // Saved "by Excel": BOM and CRLF.
  put("samples/tiny/batch2.csv", batch2, toCsv(batch2, { eol: "\r\n", bom: true }));
  // Columns in another order.
  put("samples/tiny/batch3.csv", batch3, toCsv(batch3, { columns: [4, 0, 3, 1, 2] }));
  put("samples/tiny/testdata.csv", clients(4349, NORMAL_WORLD, 50101, 20));
}

function writeFiles(outDir: string, files: Record<string, string>): void {
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(outDir, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
}

/** Files in the tiny source folder that are not data: a .DS_Store and a note. */
function writeTinyStrays(tinyDir: string): void {
  const junk = mulberry32(99);
  const dsStore = Buffer.concat([
    Buffer.from([0, 0, 0, 1, 0x42, 0x75, 0x64, 0x31, 0, 0, 0x10, 0, 0, 0, 0x08, 0]),
    Buffer.from(Array.from({ length: 240 }, () => Math.floor(junk() * 256))),
  ]);
  writeFileSync(path.join(tinyDir, ".DS_Store"), dsStore);
  writeFileSync(
    path.join(tinyDir, "notes.txt"),
    "Tiny demo source folder. Point SOURCE_DIR here to try the full process on a few rows.\n" +
      "batch2.csv and batch3.csv repeat rows of the other batches; this file and .DS_Store are not data.\n",
  );
}

/** Generates every demo file under `outDir` and returns what was planted. */
export function generateDemoData(outDir: string): DemoDataSummary {
  const files: Record<string, string> = {};
  const counts: Record<string, number> = {};
  const put = (rel: string, rows: readonly Cells[], content?: string) => {
    files[rel] = content ?? toCsv(rows);
    counts[rel] = rows.length;
  };

  // --- source batches: 1,000 rows each; ids never repeat except in planted duplicates.
  const q1 = clients(2024_01, NORMAL_WORLD, 1, 1000);
  const q2 = clients(2024_02, NORMAL_WORLD, 1001, 990);
  const q3 = clients(2024_03, NORMAL_WORLD, 2001, 990);
  const plant = mulberry32(7);

  // Empty feature cells, 4 + 3 + 3, in rows that are neither duplicated nor mislabelled.
  let emptyFeatureCells = 0;
  const blank = (rows: Cells[], picks: number[]) => {
    for (const i of picks) {
      rows[i][1 + Math.floor(plant() * 3)] = "";
      emptyFeatureCells++;
    }
  };
  blank(q1, [101, 333, 572, 888]);
  blank(q2, [57, 420, 777]);
  blank(q3, [12, 512, 943]);

  // Invalid labels, all in q2.
  const invalid: [number, string][] = [
    [145, "2"],
    [606, ""],
    [871, "yes"],
  ];
  for (const [i, label] of invalid) q2[i][4] = label;

  // Exact duplicates: 10 rows of q1 again in q2, 5 of q1 and 5 of q2 again in q3, inserted at
  // random places. Picked among clean rows so each planted problem is counted once.
  const planted = (rows: Cells[]) => (i: number) => rows[i].every((c) => c !== "") && !invalid.some(([j]) => rows === q2 && j === i);
  const pick = (rows: Cells[], k: number) =>
    sampleIndices(plant, rows.length, k * 3)
      .filter(planted(rows))
      .slice(0, k)
      .map((i) => [...rows[i]] as Cells);
  const dupQ1toQ2 = pick(q1, 10);
  const dupQ1toQ3 = pick(q1.filter((r) => !dupQ1toQ2.some((d) => d[0] === r[0])), 5);
  const dupQ2toQ3 = pick(q2, 5);
  const insert = (rows: Cells[], extra: Cells[]) => {
    for (const r of extra) rows.splice(Math.floor(plant() * (rows.length + 1)), 0, r);
  };
  insert(q2, dupQ1toQ2);
  insert(q3, [...dupQ1toQ3, ...dupQ2toQ3]);

  // Monthly batches: each quarter's rows in three months (the planted problems stay where they
  // were: the bad labels in April–June), then a month from the shifted world (new ids), which
  // first start replays last (scripts/first-start.ts: one full-process run per month, name order).
  // Each row carries its month (the schema's time column, issue 18: the months are the periods of the
  // charts); a planted duplicate is the earlier row exported again, month and all.
  const firstMonth = new Map<string, string>();
  const putMonth = (rel: string, month: string, rows: readonly Cells[]) => {
    const lines = rows.map((r) => {
      if (!firstMonth.has(r[0])) firstMonth.set(r[0], month);
      return `${r.join(",")},${firstMonth.get(r[0])}`;
    });
    put(rel, rows, `${HEADER},${MONTH_COLUMN}\n${lines.join("\n")}\n`);
  };
  for (const [q, quarter] of [q1, q2, q3].entries()) {
    const cut = [0, Math.round(quarter.length / 3), Math.round((2 * quarter.length) / 3), quarter.length];
    for (let m = 0; m < 3; m++) putMonth(`sourcedata/${monthFile(q * 3 + m + 1)}`, `2024-${String(q * 3 + m + 1).padStart(2, "0")}`, quarter.slice(cut[m], cut[m + 1]));
  }
  putMonth(`sourcedata/${SHIFTED_MONTH}`, "2024-10", clients(2024_10, SHIFTED_WORLD, 3001, 330));

  // --- test data and samples: clean, fresh ids.
  put("testdata/testdata.csv", clients(2024_99, NORMAL_WORLD, 9001, 500));
  put("samples/new_batch_same_distribution.csv", clients(2025_01, NORMAL_WORLD, 20001, 600));
  put("samples/new_batch_shifted.csv", clients(2025_02, SHIFTED_WORLD, 30001, 600));

  putTinySource(put);

  writeFiles(outDir, files);
  writeTinyStrays(path.join(outDir, "samples/tiny"));
  return {
    files: counts,
    duplicateRows: dupQ1toQ2.length + dupQ1toQ3.length + dupQ2toQ3.length,
    emptyFeatureCells,
    invalidLabelRows: invalid.length,
  };
}

function parseOut(argv: readonly string[]): string {
  const i = argv.indexOf("--out");
  if (i === -1) return "data";
  const dir = argv[i + 1];
  if (!dir || dir.startsWith("--")) throw new Error("--out needs a folder: --out DIR");
  return dir;
}

if (process.argv[1] && /generate-demo-data\.[cm]?[jt]s$/.test(process.argv[1])) {
  const out = parseOut(process.argv.slice(2));
  const summary = generateDemoData(out);
  console.log(`demo data written to ${path.resolve(out)}`);
  for (const [file, rows] of Object.entries(summary.files)) console.log(`  ${file}: ${rows} rows`);
  console.log(
    `  planted in sourcedata: ${summary.duplicateRows} duplicate rows, ${summary.emptyFeatureCells} empty feature cells, ${summary.invalidLabelRows} invalid labels`,
  );
}
