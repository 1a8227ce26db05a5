import fs from "node:fs";
import path from "node:path";
import type { Config } from "../config";
import { parseClientCsv } from "../csv/parse-client-csv";
import { databaseUrlOf, type Db } from "../db/client";
import { countTrainingRecords, observedValues, readTrainingColumns } from "../db/columns";
import { FEATURES, LABEL } from "../domain";
import { AppError } from "../errors";
import { runInWorker } from "../jobs/run-in-worker";
import { summarizeColumns, summarizePresent, type ColumnSummary } from "../stats/summary";
import type { z } from "zod";
import type { SummaryStatsResponse } from "../validations/core";

/*
 * GET /api/summarystats: mean, median, sample SD, min, max and missing fraction per numeric
 * column — what pandas' describe() / isna().mean() give on the same data.
 */

export type SummaryDataset = "training" | "test";

type Columns = Record<(typeof FEATURES)[number] | typeof LABEL, ColumnSummary>;

const IN_THREAD_SUMMARY_ROWS = 100_000;
const summaryCache = ((globalThis as unknown as { __draSummaryCache?: Map<string, { key: string; rows: number; columns: Columns }> }).__draSummaryCache ??=
  new Map());

/** Summary of every stored training record, read as typed-array columns. */
export async function trainingSummary(databaseUrl: string): Promise<{ rows: number; columns: Columns }> {
  const cols = await readTrainingColumns(databaseUrl);
  const columns = {} as Columns;
  for (const f of FEATURES) columns[f] = summarizePresent(observedValues(cols, f), cols.n);
  columns[LABEL] = summarizePresent(Float64Array.from(cols.exited), cols.n);
  return { rows: cols.n, columns };
}

/**
 * training: every stored training record; a cell that was empty in its file (and imputed) counts
 * as missing and is left out of the statistics, as pandas skips NaN.
 * test: the TEST_DATA file as read (rows the parser rejects are left out).
 */
export async function summaryStatsView(db: Db, config: Pick<Config, "TEST_DATA">, { dataset }: { dataset: SummaryDataset }): Promise<z.infer<typeof SummaryStatsResponse>> {
  if (dataset === "training") {
    const url = databaseUrlOf(db);
    // Records are only ever added (an ingestion commits whole), so count + highest id identify the training set.
    const { n, maxId } = await countTrainingRecords(url);
    const key = `${n}:${maxId}`;
    const cached = summaryCache.get(url);
    if (cached?.key === key) return { dataset, rows: cached.rows, columns: cached.columns };
    // A large set is read and sorted on a worker thread (about a second at 1M rows): the server keeps answering.
    const summary = n > IN_THREAD_SUMMARY_ROWS ? await runInWorker({ kind: "summary", databaseUrl: url }) : await trainingSummary(url);
    summaryCache.set(url, { key, ...summary });
    return { dataset, ...summary };
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
