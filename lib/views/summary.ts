import fs from "node:fs";
import path from "node:path";
import type { Config } from "../config";
import { parseClientCsv } from "../csv/parse-client-csv";
import { databaseUrlOf, type Db } from "../db/client";
import { observedValues, readTrainingColumns } from "../db/columns";
import { FEATURES, LABEL } from "../domain";
import { AppError } from "../errors";
import { summarizeColumns, summarizePresent, type ColumnSummary } from "../stats/summary";

/*
 * GET /api/summarystats: mean, median, sample SD, min, max and missing fraction per numeric
 * column — what pandas' describe() / isna().mean() give on the same data.
 */

export type SummaryDataset = "training" | "test";

/**
 * training: every stored training record; a cell that was empty in its file (and imputed) counts
 * as missing and is left out of the statistics, as pandas skips NaN.
 * test: the TEST_DATA file as read (rows the parser rejects are left out).
 */
export async function summaryStatsView(db: Db, config: Pick<Config, "TEST_DATA">, { dataset }: { dataset: SummaryDataset }) {
  if (dataset === "training") {
    const cols = readTrainingColumns(databaseUrlOf(db));
    const columns = {} as Record<(typeof FEATURES)[number] | typeof LABEL, ColumnSummary>;
    for (const f of FEATURES) columns[f] = summarizePresent(observedValues(cols, f), cols.n);
    columns[LABEL] = summarizePresent(Float64Array.from(cols.exited), cols.n);
    return { dataset, rows: cols.n, columns };
  }
  if (!fs.existsSync(config.TEST_DATA)) {
    throw new AppError("conflict:test_data", `The test data file ${config.TEST_DATA} does not exist; set TEST_DATA to a labelled CSV.`);
  }
  const parsed = parseClientCsv(fs.readFileSync(config.TEST_DATA), { label: "required" });
  const columns = {} as Record<(typeof FEATURES)[number] | typeof LABEL, (number | null)[]>;
  for (const f of FEATURES) columns[f] = parsed.rows.map((r) => r[f]);
  columns[LABEL] = parsed.rows.map((r) => r.exited);
  return { dataset, name: path.basename(config.TEST_DATA), rows: parsed.rows.length, columns: summarizeColumns(columns) };
}
