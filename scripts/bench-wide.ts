/**
 * The "wide" part of the benchmark: `npm run bench -- --schema wide [--rows N]` (scripts/bench.ts
 * parses the options, times the processes and writes the table; this module is the steps).
 *
 *  1. data: generateWideData (scripts/generate-wide-data.ts; 12 monthly files, N rows in all, 1 %
 *     cross-file duplicates, 1 % empty feature cells; a 20,000-row test file; schema.json), timed
 *     but not a target;
 *  2. a fresh SQLite file migrated by `npx tsx scripts/db-migrate.ts` (set-up, not a target), then
 *     the pipeline CLI as a user runs it, each a whole process from spawn to exit, with
 *     SCHEMA_FILE=<dir>/schema.json, SOURCE_DIR=<dir>, TEST_DATA=<dir>/test/wide_test.csv:
 *     `ingest` (rows read / whole-process seconds) and `train` (seconds; the F1 it prints; the ROC AUC
 *     of the new version's test score, read from the database: the CLI does not print it);
 *  3. scripts/bench_reference_wide.py (pandas ingestion + OneHotEncoder(drop="first") +
 *     StandardScaler + LogisticRegression C=1) as one whole process, with its own inside figures.
 * Ratios: ingest rows/s against pandas' rows/s inside the process (read_csv ×12 + concat +
 * drop_duplicates + to_csv: the process also trains, so its whole time is no ingestion figure);
 * train whole-process seconds against the whole Python process (ingestion and training both, as a
 * user runs it). Two more rows without a target give the stricter pairings (train against
 * scikit-learn's read + fit inside the process; ingest + train against the whole Python process).
 */
import path from "node:path";
import Database from "better-sqlite3";
import { generateWideData, TEST_FILE, type WideDataSummary } from "./generate-wide-data";
import type { Measured, Row, Status } from "./bench";

const FILES = 12;
const TEST_ROWS = 20_000;
/** Time limits (seconds) of the wide steps: 12 columns take longer than the 3 of the course data. */
const LIMIT = { migrate: 120, ingest: 300, train: 300, python: 300 };
const TARGET = { ingestVsPandas: 1.05, trainVsPython: 0.5, f1Delta: 0.002, aucDelta: 0.002 };

/** What scripts/bench.ts lends: its process timer, its table and its formats. */
export interface BenchKit {
  measure(label: string, cmd: string, args: string[], opts: { env: NodeJS.ProcessEnv; timeoutS: number }): Promise<Measured>;
  row(r: Partial<Row> & { step: string }): void;
  notes: string[];
  result: Record<string, unknown>;
  save(): void;
  log(msg: string): void;
  /** the environment of a CLI step (scripts/bench.ts cleanEnv) and of Python */
  cliEnv(extra: Record<string, string>): NodeJS.ProcessEnv;
  pyEnv(): NodeJS.ProcessEnv;
  strip(m: Measured | undefined): unknown;
  fmt: { s(x: number): string; int(x: number): string; rate(x: number): string; mb(x: number | null | undefined): string };
  paths: { root: string; tsx: string; python: string };
  /** the pipeline CLI as `npm run pipeline` runs it (scripts/cli.cjs), as [command, args] */
  pipeline(...args: string[]): [string, string[]];
}

/** bench_reference_wide.py's JSON (the fields the table uses). */
interface WideReference {
  ingest: { seconds: number; rows: number; rowsPerSecond: number; rowsOut: number };
  train: { seconds: number; f1: number; rocAuc: number; rows: number; designColumns: number; scoreSeconds: number };
  importSeconds: number;
  processSeconds: number;
}

interface IngestCounts {
  files: number;
  rowsRead: number;
  accepted: number;
  duplicates: number;
  rejected: number;
}

interface WideRun {
  rows: number;
  dataDir: string;
  dbFile: string;
  env: NodeJS.ProcessEnv;
  data: WideDataSummary;
  migrate?: Measured;
  ingest?: Measured & { rowsPerS?: number; counts?: IngestCounts; correct?: boolean };
  train?: Measured & { f1?: number; rocAuc?: number | null; modelId?: number; trainedRows?: number };
  python?: Measured & { ref?: WideReference };
}

/** The whole wide benchmark: data, database, the two CLI steps, the Python reference, the rows of the table. */
export async function runWideBench(kit: BenchKit, { work, rows, seed, python }: { work: string; rows: number; seed: number; python: boolean }): Promise<void> {
  const w = prepareWide(kit, work, rows, seed);
  kit.result.wideData = { ...w.data, ms: undefined, dir: w.dataDir };
  kit.save();
  const tsx = (...a: string[]): [string, string[]] => kit.pipeline(...a);
  w.migrate = await kit.measure("migrated database", "npx", ["tsx", path.join("scripts", "db-migrate.ts")], { env: w.env, timeoutS: LIMIT.migrate });
  if (w.migrate.ok) {
    w.ingest = ingestFigures(w, await kit.measure(`wide ingest ${kit.fmt.int(rows)}`, ...tsx("ingest"), { env: w.env, timeoutS: LIMIT.ingest }));
    kit.save();
    if (w.ingest.ok) w.train = trainFigures(w, await kit.measure(`wide train ${kit.fmt.int(rows)}`, ...tsx("train"), { env: w.env, timeoutS: LIMIT.train }));
  }
  kit.save();
  if (python) {
    const script = path.join(kit.paths.root, "scripts", "bench_reference_wide.py");
    const m = await kit.measure(`pandas + scikit-learn wide ${kit.fmt.int(rows)}`, kit.paths.python, [script, "--source", w.dataDir, "--test", path.join(w.dataDir, TEST_FILE)], { env: kit.pyEnv(), timeoutS: LIMIT.python });
    w.python = { ...m, ref: m.ok ? (m.json as WideReference) : undefined };
  }
  kit.result.wide = { rows, migrate: kit.strip(w.migrate), ingest: kit.strip(w.ingest), train: kit.strip(w.train), python: kit.strip(w.python) };
  kit.save();
  reportWide(kit, w);
}

/** Generates the data under WORK/wide-N/data (timed, not a target); the database goes to WORK/wide-N/db. */
function prepareWide(kit: BenchKit, work: string, rows: number, seed: number): WideRun {
  const dataDir = path.join(work, `wide-${rows}`, "data");
  const dbFile = path.join(work, `wide-${rows}`, "db", "bench.db");
  const data = generateWideData(dataDir, { rows, files: FILES, seed, testRows: TEST_ROWS });
  kit.log(`wide data ${kit.fmt.int(rows)}: ${data.files.length} files, ${kit.fmt.int(data.distinctRows)} distinct rows, ${kit.fmt.int(data.emptyCells)} empty cells, test ${kit.fmt.int(data.testRows)} (${data.ms} ms)`);
  const env = kit.cliEnv({
    DATABASE_URL: `file:${dbFile}`,
    SCHEMA_FILE: path.join(dataDir, "schema.json"),
    SOURCE_DIR: dataDir,
    TEST_DATA: path.join(dataDir, TEST_FILE),
  });
  return { rows, dataDir, dbFile, env, data };
}

/** rows/s over the whole process, and whether the counts are the generated data's. */
function ingestFigures(w: WideRun, m: Measured): NonNullable<WideRun["ingest"]> {
  const out = m.json as { ingested?: { rowsRead: number; accepted: number; duplicates: number; rejected: number }[] } | undefined;
  const files = out?.ingested ?? [];
  const sum = (k: "rowsRead" | "accepted" | "duplicates" | "rejected") => files.reduce((a, f) => a + (f[k] ?? 0), 0);
  const counts = { files: files.length, rowsRead: sum("rowsRead"), accepted: sum("accepted"), duplicates: sum("duplicates"), rejected: sum("rejected") };
  const correct = m.ok && counts.files === FILES && counts.rowsRead === w.rows && counts.accepted === w.data.distinctRows && counts.duplicates === w.rows - w.data.distinctRows && counts.rejected === 0;
  return { ...m, rowsPerS: m.ok ? w.rows / m.wallS : undefined, counts, correct };
}

/** The F1 the CLI printed; the ROC AUC of the same version's test score, from the database. */
function trainFigures(w: WideRun, m: Measured): NonNullable<WideRun["train"]> {
  const j = m.json as { model?: { id?: number; f1?: number; trainedRows?: number } } | undefined;
  const modelId = j?.model?.id;
  let rocAuc: number | null | undefined;
  if (m.ok && modelId !== undefined) {
    const db = new Database(w.dbFile, { readonly: true });
    try {
      const s = db.prepare(`SELECT rocAuc FROM "Score" WHERE kind = 'test' AND modelVersionId = ? ORDER BY id DESC LIMIT 1`).get(modelId) as { rocAuc: number | null } | undefined;
      rocAuc = s?.rocAuc;
    } finally {
      db.close();
    }
  }
  return { ...m, f1: j?.model?.f1, rocAuc, modelId, trainedRows: j?.model?.trainedRows };
}

/** "Δ +0.0012" and its verdict against `tol`. */
function delta(ours: number | null | undefined, ref: number | undefined, tol: number): { ratio: string; status: Status } {
  if (ours == null || ref === undefined) return { ratio: "", status: "failed" };
  const d = ours - ref;
  return { ratio: `Δ ${d >= 0 ? "+" : ""}${d.toFixed(4)}`, status: Math.abs(d) <= tol ? "met" : "not met" };
}

const failedText = (m: Measured | undefined, fmtS: (x: number) => string) => (!m ? "not run" : m.timedOut ? `timed out after ${fmtS(m.wallS)}` : `failed (exit ${m.exitCode})`);
const verdict = (ok: boolean): Status => (ok ? "met" : "not met");

function reportWide(kit: BenchKit, w: WideRun): void {
  const { s, int, rate, mb } = kit.fmt;
  const n = int(w.rows);
  const t = (x: string) => x + (w.rows >= 1_000_000 ? "" : " (target is for 1M)");
  const ref = w.python?.ref;
  kit.row({ step: `wide data: generateWideData (seed ${w.data.seed}, ${FILES} files, test ${int(TEST_ROWS)}); not a target`, rows: n, ours: `${s(w.data.ms / 1000)} · ${int(w.data.distinctRows)} distinct rows · ${int(w.data.emptyCells)} empty cells` });
  kit.row({ step: "migrated database (npx tsx scripts/db-migrate.ts, fresh SQLite file; set-up, not timed)", ours: w.migrate?.ok ? "ok" : failedText(w.migrate, s), status: w.migrate?.ok ? "" : "failed" });
  const i = w.ingest;
  const pyIngest = ref ? `pandas ${rate(ref.ingest.rowsPerSecond)} (${s(ref.ingest.seconds)} inside the process: read_csv ×${FILES} + concat + drop_duplicates + to_csv; ${int(ref.ingest.rowsOut)} rows out)` : w.python ? "failed" : "skipped";
  const ingestRatio = i?.ok && ref ? i.rowsPerS! / ref.ingest.rowsPerSecond : undefined;
  const counts = i?.counts ? ` · ${int(i.counts.accepted)} new, ${int(i.counts.duplicates)} duplicates, ${int(i.counts.rejected)} rejected${i.correct ? "" : ` · counts WRONG (expected ${int(w.data.distinctRows)} / ${int(w.rows - w.data.distinctRows)} / 0)`}` : "";
  kit.row({ step: "wide ingest: `pipeline ingest`, whole process (start-up, read, dedupe, store)", rows: n, ours: i?.ok ? `${s(i.wallS)} · ${rate(i.rowsPerS!)} · ${mb(i.rssMB)}${counts}` : failedText(i, s), reference: pyIngest, ratio: ingestRatio ? `${ingestRatio.toFixed(2)}×` : "", target: t(`≥ ${TARGET.ingestVsPandas}× pandas rows/s`), status: ingestRatio ? verdict(ingestRatio >= TARGET.ingestVsPandas) : "failed" });
  const m = w.train;
  const p = w.python;
  const pyWhole = p?.ok && ref ? `python whole process ${s(p.wallS)} · ${mb(p.rssMB)} (inside: imports ${s(ref.importSeconds)}, ingest ${s(ref.ingest.seconds)}, read + fit ${s(ref.train.seconds)}, score ${s(ref.train.scoreSeconds)}; ${ref.train.designColumns} design columns)` : p ? "failed" : "skipped";
  const trainRatio = m?.ok && p?.ok ? m.wallS / p.wallS : undefined;
  kit.row({ step: "wide train: `pipeline train`, whole process (start-up, read, fit, score the test file, store)", rows: int(m?.trainedRows ?? w.data.distinctRows), ours: m?.ok ? `${s(m.wallS)} · ${mb(m.rssMB)}` : failedText(m, s), reference: pyWhole, ratio: trainRatio ? `${trainRatio.toFixed(2)}×` : "", target: t(`≤ ${TARGET.trainVsPython}× the whole pandas + scikit-learn process`), status: trainRatio ? verdict(trainRatio <= TARGET.trainVsPython) : "failed" });
  const f1 = delta(m?.f1, ref?.train.f1, TARGET.f1Delta);
  kit.row({ step: `F1 on the ${int(TEST_ROWS)}-row wide test file`, rows: int(TEST_ROWS), ours: m?.f1 === undefined ? "–" : m.f1.toFixed(4), reference: ref ? `${ref.train.f1.toFixed(4)} (lbfgs, C=1, drop="first")` : "–", ...f1, target: `within ${TARGET.f1Delta} of scikit-learn` });
  const auc = delta(m?.rocAuc, ref?.train.rocAuc, TARGET.aucDelta);
  kit.row({ step: `ROC AUC on the ${int(TEST_ROWS)}-row wide test file (the version's test Score row)`, rows: int(TEST_ROWS), ours: m?.rocAuc == null ? "–" : m.rocAuc.toFixed(4), reference: ref ? ref.train.rocAuc.toFixed(4) : "–", ...auc, target: `within ${TARGET.aucDelta} of scikit-learn` });
  if (m?.ok && i?.ok && p?.ok && ref) {
    kit.row({ step: "… for comparison: `pipeline train` whole process vs scikit-learn's read + fit inside its process (no start-up, imports, ingestion or scoring)", ours: s(m.wallS), reference: s(ref.train.seconds), ratio: `${(m.wallS / ref.train.seconds).toFixed(2)}×` });
    kit.row({ step: "… for comparison: `pipeline ingest` + `pipeline train` (two whole processes) vs the whole Python process", ours: s(i.wallS + m.wallS), reference: s(p.wallS), ratio: `${((i.wallS + m.wallS) / p.wallS).toFixed(2)}×` });
  }
  if (m?.ok && m.rocAuc == null) kit.notes.push(`wide train: no test Score row with a ROC AUC for model version id ${m.modelId ?? "?"} in ${w.dbFile}`);
}
