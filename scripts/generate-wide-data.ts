/**
 * The "wide" data set: a client table with 8 numeric and 4 categorical features, a yes/no label
 * and a month column — the bundled data for schemas other than the demo's (lib/schema/types.ts).
 * Deterministic: every row is a pure function of (seed, stream, row number), drawn from the
 * seeded generator of lib/stats/random.ts, so the same arguments write the same bytes; files are
 * streamed to disk (1,000,000 rows take a few seconds and a few MB of memory).
 *
 * Usage (no npm script; tsx is a dev dependency, `node_modules/.bin/tsx` works as well as `npx tsx`):
 *
 *   npx tsx scripts/generate-wide-data.ts --out DIR [--rows N] [--files K] [--seed S] [--test-rows T]
 *       defaults: N 1,000,000, K 12, S 42, T 20,000
 *
 *   The committed copy (scripts/generate-wide-data.test.ts regenerates it and compares the bytes):
 *   npx tsx scripts/generate-wide-data.ts --out data/wide --rows 10000 --files 4 --test-rows 2000 --seed 42
 *
 * DIR/wide_2024-01.csv …      K source files, one per month from 2024-01 on, N rows in all
 *                             (N/K each, the remainder spread over the later files)
 * DIR/test/wide_test.csv      T labelled rows from the reference world, no empty cells, fresh ids;
 *                             their months cycle through the reference files' months
 * DIR/schema.json             the schema file (WIDE_SCHEMA_FILE)
 *
 * Columns: client_id (10-character base-36, unique, in no order), month (YYYY-MM-01), the 8
 * numeric features, the 4 categorical features, churned ("yes"/"no").
 *
 * The world: a client has a number of seats (log-normal, median 6); spend grows with seats,
 * logins with √seats. Churn follows a logistic model of tenure, support tickets, logins, late
 * payments and NPS, plus categorical effects — monthly contracts, the south region, retail and
 * hospitality, and the legacy plan "7" raise it; two-year contracts, central, finance and
 * government lower it — base rate ≈ 25 %. The label is a Bernoulli draw from that model.
 *
 * Traps on purpose: plan_code is text that looks like numbers ("007", "012"), and "7" is another
 * plan than "007"; industry and plan_code have long tails (levels seen fewer than 10 times in
 * the committed copy, which the training pools); nps_score is negative for many clients.
 *
 * Planted:
 * - empty cells: each feature cell is empty with probability 1 % (id, month and label never);
 * - duplicates: 1 % of the rows of every file after the first are exact copies of rows of an
 *   earlier file (a re-sent row, its month included), spread evenly through the file;
 * - drift: the last round(K/3) files are the "current" world: the region shares move, a region
 *   the reference never had ("overseas") takes 18 %, and monthly_spend's mean rises by 30 %.
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { createRng } from "../lib/stats/random";

type Draw = () => number;

export const NUMERIC_FEATURES = [
  "tenure_months",
  "monthly_spend",
  "support_tickets",
  "logins_last_30d",
  "late_payments",
  "seats",
  "discount_pct",
  "nps_score",
] as const;
export const CATEGORICAL_FEATURES = ["region", "industry", "contract_type", "plan_code"] as const;
export const HEADER = ["client_id", "month", ...NUMERIC_FEATURES, ...CATEGORICAL_FEATURES, "churned"].join(",");

/** Inclusive bounds written into the schema file (every generated value lies inside them). */
const NUMERIC_BOUNDS: Record<(typeof NUMERIC_FEATURES)[number], { min: number; max?: number }> = {
  tenure_months: { min: 0, max: 120 },
  monthly_spend: { min: 0 },
  support_tickets: { min: 0 },
  logins_last_30d: { min: 0 },
  late_payments: { min: 0 },
  seats: { min: 1 },
  discount_pct: { min: 0, max: 100 },
  nps_score: { min: -100, max: 100 },
};

/** DIR/schema.json: the schema file form (lib/schema/types.ts), features in the CSV's order. */
export const WIDE_SCHEMA_FILE = {
  id: "client_id",
  label: "churned",
  positive: "yes",
  negative: "no",
  time: "month",
  features: {
    ...Object.fromEntries(NUMERIC_FEATURES.map((f) => [f, { type: "numeric", ...NUMERIC_BOUNDS[f] }])),
    ...Object.fromEntries(CATEGORICAL_FEATURES.map((f) => [f, "categorical"])),
  },
};

export const EMPTY_CELL_SHARE = 0.01;
export const DUPLICATE_SHARE = 0.01;
export const TEST_FILE = "test/wide_test.csv";
const FIRST_MONTH = { year: 2024, month: 1 };

// ---------------------------------------------------------------------------------------------
// Levels: names, shares and their effect on the churn logit

interface Levels {
  names: readonly string[];
  /** running sums of the normalised shares, for inverse-CDF picks */
  cumulative: Float64Array;
  effects: readonly number[];
}

function levels(names: readonly string[], weights: readonly number[], effects: Record<string, number> = {}): Levels {
  const total = weights.reduce((s, w) => s + w, 0);
  const cumulative = new Float64Array(weights.length);
  let run = 0;
  weights.forEach((w, i) => (cumulative[i] = run += w / total));
  cumulative[weights.length - 1] = 1;
  return { names, cumulative, effects: names.map((n) => effects[n] ?? 0) };
}

const REGIONS = ["north", "south", "east", "west", "central", "overseas"];
const REGION_EFFECTS = { south: 0.35, east: -0.1, central: -0.45, overseas: 0.3 };
const REFERENCE_REGIONS = levels(REGIONS, [0.32, 0.26, 0.2, 0.14, 0.08, 0], REGION_EFFECTS);
const CURRENT_REGIONS = levels(REGIONS, [0.16, 0.22, 0.2, 0.14, 0.1, 0.18], REGION_EFFECTS);

// A long tail: the last three are seen ~20, ~10 and ~7 times in 10,000 rows.
const INDUSTRY = levels(
  ["software", "retail", "manufacturing", "healthcare", "finance", "education", "logistics", "hospitality", "construction", "media"]
    .concat(["telecom", "energy", "agriculture", "legal", "real-estate", "government", "nonprofit", "mining", "aerospace", "biotech"]),
  [20, 15, 12, 10, 8, 7, 6, 5, 4, 3.5, 3, 2.5, 2, 1.5, 1.2, 0.8, 0.5, 0.2, 0.1, 0.07],
  { retail: 0.4, hospitality: 0.6, finance: -0.35, government: -0.5 },
);

const CONTRACT = levels(["monthly", "annual", "two-year"], [0.55, 0.3, 0.15], { monthly: 1.1, "two-year": -1.0 });

/**
 * 50 plan codes, popularity falling geometrically (the rarest ~5 in 10,000 rows): three-digit
 * text such as "007", "044", "155", and at rank 3 the legacy code "7" (another plan than "007").
 */
const PLAN_CODES = Array.from({ length: 50 }, (_, rank) => (rank === 3 ? "7" : String((rank * 37 + 7) % 200).padStart(3, "0")));
const PLAN = levels(
  PLAN_CODES,
  PLAN_CODES.map((_, rank) => Math.exp(-rank / 9)),
  { "7": 0.8 },
);

interface World {
  regions: Levels;
  /** multiplier on monthly_spend */
  spendScale: number;
}
const REFERENCE: World = { regions: REFERENCE_REGIONS, spendScale: 1 };
const CURRENT: World = { regions: CURRENT_REGIONS, spendScale: 1.3 };

// ---------------------------------------------------------------------------------------------
// One client

function normal(r: Draw): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

/** Poisson draw: Knuth's product of uniforms below mean 30, a rounded normal above. */
function poisson(r: Draw, mean: number): number {
  if (mean >= 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal(r)));
  const limit = Math.exp(-mean);
  let k = 0;
  for (let p = r(); p > limit; p *= r()) k++;
  return k;
}

function pick(r: Draw, l: Levels): number {
  const u = r();
  let i = 0;
  while (l.cumulative[i] <= u && i < l.cumulative.length - 1) i++;
  return i;
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/** The 12 feature cells (CSV order) and the label of one client drawn from `world`. */
function client(r: Draw, world: World): string[] {
  const seats = clamp(Math.round(Math.exp(1.8 + 1.1 * normal(r))), 1, 2000);
  const tenure = Math.min(120, Math.floor(-30 * Math.log(1 - r())));
  const spend = 25 * Math.pow(seats, 0.85) * Math.exp(0.35 * normal(r)) * world.spendScale;
  const tickets = poisson(r, 0.8 + 0.15 * Math.sqrt(seats));
  const logins = poisson(r, 4 + 3 * Math.sqrt(seats));
  const late = poisson(r, 0.35);
  const contract = pick(r, CONTRACT);
  const discount = contract === 0 && r() < 0.7 ? 0 : 5 + 25 * r();
  const nps = clamp(Math.round(25 + 35 * normal(r)), -100, 100);
  const region = pick(r, world.regions);
  const industry = pick(r, INDUSTRY);
  const plan = pick(r, PLAN);
  const logit =
    -0.9 - 0.045 * tenure + 0.4 * tickets - 0.03 * logins + 0.8 * late - 0.02 * nps +
    CONTRACT.effects[contract] + world.regions.effects[region] + INDUSTRY.effects[industry] + PLAN.effects[plan];
  const churned = r() < 1 / (1 + Math.exp(-logit));
  return [
    String(tenure), spend.toFixed(2), String(tickets), String(logins), String(late), String(seats), discount.toFixed(1), String(nps),
    world.regions.names[region], INDUSTRY.names[industry], CONTRACT.names[contract], PLAN.names[plan],
    churned ? "yes" : "no",
  ];
}

// ---------------------------------------------------------------------------------------------
// Ids and row seeds

/** A 32-bit integer hash (Chris Wellons' lowbias32): well mixed, cheap, bijective. */
function lowbias32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}

const rowSeed = (seed: number, stream: number, g: number) => lowbias32((lowbias32(seed ^ Math.imul(stream + 1, 0x9e3779b9)) + g) >>> 0);

const HALF = 2 ** 25;
/**
 * Row `g` of stream `stream` → a 10-character base-36 id: a 4-round Feistel permutation of the
 * 50-bit number stream·2^40 + g, keyed by the seed. A permutation, so ids are unique by
 * construction (no set of a million ids held) and look drawn at random, in no order.
 */
function clientId(keys: readonly number[], stream: number, g: number): string {
  const x = stream * 2 ** 40 + g;
  let hi = Math.floor(x / HALF);
  let lo = x % HALF;
  for (const key of keys) {
    const f = lowbias32((lo ^ key) >>> 0) % HALF;
    [hi, lo] = [lo, hi ^ f];
  }
  return (hi * HALF + lo).toString(36).padStart(10, "0");
}

// ---------------------------------------------------------------------------------------------
// Files

export interface WideFile {
  file: string;
  /** the month column's value, YYYY-MM-01 */
  month: string;
  current: boolean;
  rows: number;
  duplicates: number;
}

export interface WideDataSummary {
  seed: number;
  rows: number;
  files: WideFile[];
  /** distinct rows across the source files (what a deduplicating ingest keeps) */
  distinctRows: number;
  /** empty feature cells in the source files, duplicates included */
  emptyCells: number;
  testFile: string;
  testRows: number;
  ms: number;
}

export interface WideDataOptions {
  rows?: number;
  files?: number;
  seed?: number;
  testRows?: number;
}

interface FilePlan extends WideFile {
  world: World;
  /** global number of this file's first original row */
  firstOriginal: number;
}

function monthAt(i: number): string {
  const m = FIRST_MONTH.year * 12 + FIRST_MONTH.month - 1 + i;
  return `${Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, "0")}`;
}

function planFiles(rows: number, files: number): FilePlan[] {
  const currentFrom = files - Math.round(files / 3);
  let firstOriginal = 0;
  return Array.from({ length: files }, (_, f) => {
    const n = Math.floor(((f + 1) * rows) / files) - Math.floor((f * rows) / files);
    const duplicates = f === 0 ? 0 : Math.round(n * DUPLICATE_SHARE);
    const plan = { file: `wide_${monthAt(f)}.csv`, month: `${monthAt(f)}-01`, current: f >= currentFrom, rows: n, duplicates };
    const out = { ...plan, world: plan.current ? CURRENT : REFERENCE, firstOriginal };
    firstOriginal += n - duplicates;
    return out;
  });
}

/** Writes the header and `n` lines through a 1 MB buffer: memory stays flat at any size. */
function writeCsv(file: string, n: number, line: (i: number) => string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const fd = fs.openSync(file, "w");
  try {
    let buffer = `${HEADER}\n`;
    for (let i = 0; i < n; i++) {
      buffer += `${line(i)}\n`;
      if (buffer.length >= 1 << 20) {
        fs.writeSync(fd, buffer);
        buffer = "";
      }
    }
    fs.writeSync(fd, buffer);
  } finally {
    fs.closeSync(fd);
  }
}

function checkOptions(rows: number, files: number, seed: number, testRows: number): void {
  const bad = (name: string, v: number, min: number) => !Number.isSafeInteger(v) || v < min ? `${name} must be an integer ≥ ${min}, got ${v}` : null;
  const problem =
    bad("--files", files, 1) ?? bad("--rows", rows, files) ?? bad("--test-rows", testRows, 0) ?? bad("--seed", seed, -(2 ** 31));
  if (problem) throw new Error(problem);
  if (rows >= 2 ** 40) throw new Error(`--rows must be below 2^40, got ${rows}`);
}

/** Generates the source files, the test file and schema.json under `outDir`; returns what was written. */
export function generateWideData(outDir: string, opts: WideDataOptions = {}): WideDataSummary {
  const t0 = performance.now();
  const { rows = 1_000_000, files = 12, seed = 42, testRows = 20_000 } = opts;
  checkOptions(rows, files, seed, testRows);
  const keys = [1, 2, 3, 4].map((k) => lowbias32((seed + Math.imul(k, 0x85ebca6b)) >>> 0));
  let emptyCells = 0;
  const row = (stream: number, g: number, p: FilePlan, blanks: boolean) => {
    const r = createRng(rowSeed(seed, stream, g));
    const cells = client(r, p.world);
    for (let c = 0; blanks && c < cells.length - 1; c++) {
      if (r() < EMPTY_CELL_SHARE) {
        cells[c] = "";
        if (stream === 0) emptyCells++;
      }
    }
    return `${clientId(keys, stream, g)},${p.month},${cells.join(",")}`;
  };

  const plans = planFiles(rows, files);
  for (const [f, p] of plans.entries()) {
    const pickCopy = createRng(rowSeed(seed, 2, f));
    let original = 0;
    writeCsv(path.join(outDir, p.file), p.rows, (i) => {
      const isCopy = Math.floor(((i + 1) * p.duplicates) / p.rows) > Math.floor((i * p.duplicates) / p.rows);
      const from = isCopy ? plans[Math.floor(pickCopy() * f)] : p;
      const g = isCopy ? from.firstOriginal + Math.floor(pickCopy() * (from.rows - from.duplicates)) : p.firstOriginal + original++;
      return row(0, g, from, true);
    });
  }

  const reference = plans.filter((p) => !p.current);
  writeCsv(path.join(outDir, TEST_FILE), testRows, (i) => row(1, i, reference[i % reference.length], false));
  fs.writeFileSync(path.join(outDir, "schema.json"), `${JSON.stringify(WIDE_SCHEMA_FILE, null, 2)}\n`);
  return {
    seed,
    rows,
    files: plans.map(({ file, month, current, rows: n, duplicates }) => ({ file, month, current, rows: n, duplicates })),
    distinctRows: plans.reduce((s, p) => s + p.rows - p.duplicates, 0),
    emptyCells,
    testFile: TEST_FILE,
    testRows,
    ms: Math.round(performance.now() - t0),
  };
}

/** The CLI's arguments as generateWideData's; throws on a missing --out or a malformed number. */
export function parseWideArgs(argv: string[]): { out: string } & Required<WideDataOptions> {
  const { values } = parseArgs({
    args: argv,
    options: { out: { type: "string" }, rows: { type: "string" }, files: { type: "string" }, seed: { type: "string" }, "test-rows": { type: "string" } },
  });
  if (!values.out) throw new Error("--out DIR is required");
  const num = (v: string | undefined, fallback: number) => (v === undefined ? fallback : /^-?\d+$/.test(v.replaceAll("_", "")) ? Number(v.replaceAll("_", "")) : NaN);
  return {
    out: values.out,
    rows: num(values.rows, 1_000_000),
    files: num(values.files, 12),
    seed: num(values.seed, 42),
    testRows: num(values["test-rows"], 20_000),
  };
}

if (process.argv[1] && /generate-wide-data\.[cm]?[jt]s$/.test(process.argv[1])) {
  try {
    const { out, ...opts } = parseWideArgs(process.argv.slice(2));
    console.log(JSON.stringify(generateWideData(out, opts), null, 2));
  } catch (e) {
    console.error(`generate-wide-data: ${(e as Error).message}`);
    process.exit(1);
  }
}
