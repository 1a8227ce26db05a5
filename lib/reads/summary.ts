import fs from "node:fs";
import path from "node:path";
import type { Config } from "../config";
import { parseSchemaCsv } from "../csv/parse-schema-csv";
import { databaseUrlOf, type Db } from "../db/client";
import { countTrainingRecords, readTrainingColumns } from "../db/columns";
import { currentSchema } from "../db/stored-schema";
import { categoricalSummary, type CategoricalSummary } from "../db/training-state";
import { AppError } from "../errors";
import { runInWorker } from "../jobs/run-in-worker";
import { levelCounts, observedValues } from "../schema/columns";
import { MISSING_LEVEL } from "../schema/types";
import { summarizeColumns, summarizePresent, type ColumnSummary } from "../stats/summary";
import type { z } from "zod";
import type { SummaryStatsResponse } from "../validations/core";

/*
 * GET /api/summarystats: per numeric column mean, median, sample SD, min, max and missing
 * fraction — what pandas' describe() / isna().mean() give on the same data; per categorical
 * column the distinct levels, the missing share and the most frequent levels; the label as a
 * 0/1 column. Built from the stored schema.
 */

export type SummaryDataset = "training" | "test";

type Columns = Record<string, ColumnSummary | CategoricalSummary>;

const IN_THREAD_SUMMARY_ROWS = 100_000;
const summaryCache = ((globalThis as unknown as { __draSummaryCache?: Map<string, { key: string; rows: number; columns: Columns }> }).__draSummaryCache ??=
  new Map());

/** Summary of every stored training record, read as typed-array columns. */
export async function trainingSummary(db: Db): Promise<{ rows: number; columns: Columns }> {
  const schema = await currentSchema(db);
  const cols = await readTrainingColumns(databaseUrlOf(db), schema);
  const columns: Columns = {};
  for (const f of schema.features) {
    columns[f.name] = f.type === "numeric" ? summarizePresent(observedValues(cols, f.name), cols.n) : categoricalSummary(Object.fromEntries(levelCounts(cols, f.name)), cols.n);
  }
  columns[schema.label] = summarizePresent(Float64Array.from(cols.label), cols.n);
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
    const summary = n > IN_THREAD_SUMMARY_ROWS ? await runInWorker({ kind: "summary", databaseUrl: url }) : await trainingSummary(db);
    summaryCache.set(url, { key, ...summary });
    return { dataset, ...summary };
  }
  if (!fs.existsSync(config.TEST_DATA)) {
    throw new AppError("conflict:test_data", `The test data file ${config.TEST_DATA} does not exist; set TEST_DATA to a labelled CSV.`);
  }
  const schema = await currentSchema(db);
  const parsed = parseSchemaCsv(fs.readFileSync(config.TEST_DATA), { schema, label: "required" });
  const numeric: Record<string, (number | null)[]> = {};
  const columns: Columns = {};
  schema.features.forEach((f, j) => {
    if (f.type === "numeric") numeric[f.name] = parsed.rows.map((r) => r.values[j] as number | null);
    else {
      const counts: Record<string, number> = {};
      for (const r of parsed.rows) {
        const level = (r.values[j] as string | null) ?? MISSING_LEVEL;
        counts[level] = (counts[level] ?? 0) + 1;
      }
      columns[f.name] = categoricalSummary(counts, parsed.rows.length);
    }
  });
  numeric[schema.label] = parsed.rows.map((r) => r.label);
  const summarized = summarizeColumns(numeric);
  const ordered: Columns = {};
  for (const f of schema.features) ordered[f.name] = columns[f.name] ?? summarized[f.name];
  ordered[schema.label] = summarized[schema.label];
  return { dataset, name: path.basename(config.TEST_DATA), rows: parsed.rows.length, columns: ordered };
}
