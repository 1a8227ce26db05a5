import fs from "node:fs";
import { spanOf } from "../time/periods";
import { storedTestData } from "../db/stored-schema";
import path from "node:path";
import { parseSchemaCsv } from "../csv/parse-schema-csv";
import { columnsFromRows } from "../csv/rows-to-columns";
import { databaseUrlOf, type Db } from "../db/client";
import { upsertTestDataset } from "../db/datasets";
import { currentSchema } from "../db/stored-schema";
import type { Dataset } from "../db/types";
import { AppError } from "../errors";
import type { DataColumns } from "../schema/columns";
import { sha256 } from "./ingest";

export interface TestData {
  dataset: Dataset;
  /** the usable rows as columns of the stored schema, labels included */
  data: DataColumns;
  /** rows of the file that could not be used (bad label or feature, an empty numeric cell) */
  skipped: number;
}

/**
 * Read the labelled test file and register it in the ledger (role test). Rows with an empty
 * numeric feature are skipped rather than imputed: a test score should only use what was
 * observed. (An empty categorical cell is the level "(missing)", as in training.)
 */
export async function loadTestData(db: Db, configuredPath: string): Promise<TestData> {
  // A replay that held rows out names its hold-out in the database: it wins over TEST_DATA (whose
  // default is the course's file, written in another schema).
  const testPath = (await storedTestData(db)) ?? configuredPath;
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
  const schema = await currentSchema(db);
  const parsed = parseSchemaCsv(content, { schema, label: "required" });
  const numeric = schema.features.flatMap((f, j) => (f.type === "numeric" ? [j] : []));
  const rows = parsed.rows.filter((r) => r.label !== null && numeric.every((j) => r.values[j] !== null));
  if (rows.length === 0) throw new AppError("unprocessable:test_data", `The test data file ${testPath} has no complete labelled rows.`);
  const dataset = await upsertTestDataset(db, {
    name: path.basename(testPath),
    sha256: sha256(content),
    rowsRead: parsed.rowsRead,
    rowsAccepted: rows.length,
    rejected: parsed.rowsRead - rows.length,
    period: spanOf(rows.length, (i) => rows[i].time),
  });
  return { dataset, data: columnsFromRows(schema, rows), skipped: parsed.rowsRead - rows.length };
}

