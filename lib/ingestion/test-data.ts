import fs from "node:fs";
import path from "node:path";
import { parseClientCsv } from "../csv/parse-client-csv";
import { databaseUrlOf, type Db } from "../db/client";
import { upsertTestDataset } from "../db/datasets";
import type { Dataset } from "../db/types";
import { FEATURES, type LabelledRow } from "../domain";
import { AppError } from "../errors";
import { sha256 } from "./ingest";

export interface TestData {
  dataset: Dataset;
  rows: LabelledRow[];
  /** rows of the file that could not be used (bad label or feature) */
  skipped: number;
}

/**
 * Read the labelled test file and register it in the ledger (role test). Rows with missing
 * features are skipped rather than imputed: a test score should only use what was observed.
 */
export async function loadTestData(db: Db, testPath: string): Promise<TestData> {
  if (!fs.existsSync(testPath)) {
    throw new AppError("conflict:test_data", `The test data file ${testPath} does not exist; set TEST_DATA to a labelled CSV.`);
  }
  // The file is read, parsed and registered once per version of it (size and modification time)
  // and database: GET /api/scoring asks for it on every request.
  const st = fs.statSync(testPath);
  const key = `${databaseUrlOf(db)}|${path.resolve(testPath)}`;
  const version = `${st.size}:${st.mtimeMs}`;
  const cached = testDataCache.get(key);
  if (cached?.version === version) return cached.data;
  const data = await readTestData(db, testPath);
  testDataCache.set(key, { version, data });
  return data;
}

const testDataCache = ((globalThis as unknown as { __draTestData?: Map<string, { version: string; data: TestData }> }).__draTestData ??= new Map());

async function readTestData(db: Db, testPath: string): Promise<TestData> {
  const content = fs.readFileSync(testPath);
  const parsed = parseClientCsv(content, { label: "required" });
  const rows: LabelledRow[] = [];
  for (const r of parsed.rows) {
    if (FEATURES.some((f) => r[f] === null) || r.exited === null) continue;
    rows.push({
      corporation: r.corporation,
      lastmonth_activity: r.lastmonth_activity as number,
      lastyear_activity: r.lastyear_activity as number,
      number_of_employees: r.number_of_employees as number,
      exited: r.exited,
    });
  }
  if (rows.length === 0) throw new AppError("unprocessable:test_data", `The test data file ${testPath} has no complete labelled rows.`);
  const dataset = await upsertTestDataset(db, {
    name: path.basename(testPath),
    sha256: sha256(content),
    rowsRead: parsed.rowsRead,
    rowsAccepted: rows.length,
    rejected: parsed.rowsRead - rows.length,
  });
  return { dataset, rows, skipped: parsed.rowsRead - rows.length };
}
