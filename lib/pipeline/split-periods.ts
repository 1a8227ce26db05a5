import fs from "node:fs";
import path from "node:path";
import { CsvError, parse as parseStream } from "csv-parse";
import { AppError, type ErrorDetail } from "../errors";
import type { DataSchema } from "../schema/types";
import { readTimeCell } from "../csv/parse-schema-csv";
import { periodKey, periodLabel, periodStartMs, nextPeriodStartMs, type PeriodGranularity } from "../time/periods";

/*
 * Cutting a history file into one CSV per period of its time column (issue 18's replay): one
 * streaming pass over the file, each record's raw text (quotes, embedded newlines and all) appended
 * to its period's file under `dir`, at most WRITE_BUFFER bytes held for all periods together. Every time cell is
 * read by the ingestion's own reader (readTimeCell: ISO 8601 only): a file with an unreadable, empty or ambiguous
 * date (03/04/2024) is refused as a whole with the rows and the column named, before anything is
 * stored. Periods with fewer than `minPeriodRows` rows are merged into the next one (the last into
 * the one before): a 1-row chunk has no F1 and no AUC.
 */

export interface SplitPeriod {
  /** sortable name: 2024-03, 2024-Q1, 2024-W10, 2024-03-04, 2024; `all` for a file not cut */
  key: string;
  /** for people: Mar 2024, Q1 2024 …; for a merged period, the first and last merged */
  label: string;
  /** first instant of the first period it holds and last instant of the last (ISO) */
  start: string;
  end: string;
  rows: number;
  /** the keys of the short periods merged into this one */
  merged: string[];
  /** its CSV under `dir` (the header, then its records in file order) */
  file: string;
}

export interface SplitResult {
  header: string;
  periods: SplitPeriod[];
  /** one sentence per merge, for the report */
  merges: string[];
  rows: number;
}

/** Records held in memory before they are appended to their periods' files: all periods together (a daily cut of years has a thousand). */
const WRITE_BUFFER = 8 << 20;
const MAX_DETAILS = 100;

interface Bucket {
  key: string;
  startMs: number;
  rows: number;
  pending: string[];
  file: string;
}

function flush(b: Bucket): void {
  if (b.pending.length === 0) return;
  fs.appendFileSync(b.file, b.pending.join(""));
  b.pending = [];
}

/** The raw text of a record as one line-terminated chunk (the last record of a file may lack its newline). */
function asLine(raw: string): string {
  return raw.endsWith("\n") ? raw : `${raw}\n`;
}

/**
 * Cut `file` into period files under `dir` (created; its files are the caller's to remove). `by`
 * null: the whole file is one period (`all`), no time column needed.
 */
export async function splitByPeriod(
  file: string,
  dir: string,
  { schema, by, minPeriodRows, name }: { schema: DataSchema; by: PeriodGranularity | null; minPeriodRows: number; name?: string },
): Promise<SplitResult> {
  fs.mkdirSync(dir, { recursive: true });
  const stem = path.basename(name ?? file).replace(/\.csv$/i, "").replace(/[^A-Za-z0-9_.-]+/g, "_").slice(0, 80) || "history";
  const buckets = new Map<string, Bucket>();
  const details: ErrorDetail[] = [];
  let problems = 0;
  let header = "";
  let timeIndex = -1;
  let rows = 0;
  let pendingBytes = 0;
  const parser = fs.createReadStream(file).pipe(parseStream({ bom: true, raw: true, info: true, skip_empty_lines: true, relax_quotes: false }));
  try {
    for await (const { record, raw, info } of parser as AsyncIterable<{ record: string[]; raw: string; info: { lines: number } }>) {
      if (header === "") {
        header = asLine(raw.replace(/^\uFEFF/, ""));
        timeIndex = by === null ? -1 : record.findIndex((h) => h.trim().toLowerCase() === (schema.time ?? "").toLowerCase());
        if (by !== null && timeIndex < 0) {
          throw new AppError("unprocessable:csv", `The file has no column "${schema.time}" (the schema's time column): it cannot be replayed by ${by}. Add the column, or replay it as one period (leave out --by).`);
        }
        continue;
      }
      if (record.every((c) => c.trim() === "")) continue;
      rows++;
      let key = "all";
      let startMs = 0;
      if (by !== null) {
        const t = readTimeCell(record[timeIndex] ?? "");
        if ("problem" in t) {
          problems++;
          if (details.length < MAX_DETAILS) details.push({ row: info.lines - (raw.match(/\n/g)?.length ?? 1) + 1, column: schema.time ?? undefined, problem: t.problem });
          continue;
        }
        key = periodKey(t.ms, by);
        startMs = periodStartMs(t.ms, by);
      }
      let b = buckets.get(key);
      if (!b) {
        b = { key, startMs, rows: 0, pending: [], file: path.join(dir, `${stem}_${key}.csv`) };
        fs.writeFileSync(b.file, header);
        buckets.set(key, b);
      }
      b.rows++;
      const line = asLine(raw);
      b.pending.push(line);
      pendingBytes += line.length;
      if (pendingBytes >= WRITE_BUFFER) {
        for (const x of buckets.values()) flush(x);
        pendingBytes = 0;
      }
    }
  } catch (e) {
    if (e instanceof CsvError) throw new AppError("bad_request:csv", `${path.basename(file)} is not valid CSV: ${e.message}`);
    throw e;
  }
  if (header === "") throw new AppError("unprocessable:csv", `${path.basename(file)} is empty: a header and data rows are needed.`);
  if (problems > 0) {
    throw new AppError(
      "unprocessable:csv",
      `${problems} row(s) of ${path.basename(file)} have a time that cannot be read in column "${schema.time}"; nothing was stored. Write every date as ISO 8601 (YYYY-MM-DD) and replay again.`,
      details,
    );
  }
  for (const b of buckets.values()) flush(b);
  return mergeShortPeriods([...buckets.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)), { by, minPeriodRows, header, rows });
}

/** Merge each period under `minPeriodRows` into the next (the last into the one before) by appending its records. */
function mergeShortPeriods(sorted: Bucket[], { by, minPeriodRows, header, rows }: { by: PeriodGranularity | null; minPeriodRows: number; header: string; rows: number }): SplitResult {
  // a group closes at the period that brings it to minPeriodRows (its home: the run is named after
  // it); short periods left at the end join the last group
  const groups: { home: Bucket; members: Bucket[] }[] = [];
  let open: Bucket[] = [];
  for (const b of sorted) {
    open.push(b);
    if (open.reduce((n, x) => n + x.rows, 0) >= minPeriodRows) {
      groups.push({ home: b, members: open });
      open = [];
    }
  }
  if (open.length > 0) {
    if (groups.length > 0) groups[groups.length - 1].members.push(...open);
    else groups.push({ home: open[open.length - 1], members: open });
  }
  const merges: string[] = [];
  const periods = groups.map(({ home, members: g }) => {
    const others = g.filter((b) => b !== home);
    for (const b of others) {
      const body = fs.readFileSync(b.file, "utf8").slice(header.length);
      fs.appendFileSync(home.file, body);
      fs.rmSync(b.file);
    }
    const total = g.reduce((n, b) => n + b.rows, 0);
    if (others.length > 0) {
      merges.push(`${others.map((b) => `${b.key} (${b.rows} row${b.rows === 1 ? "" : "s"})`).join(", ")} merged into ${home.key}: fewer than MIN_PERIOD_ROWS = ${minPeriodRows} rows`);
    }
    const first = g[0];
    const last = g[g.length - 1];
    return {
      key: home.key,
      label: by === null ? "whole file" : g.length === 1 ? periodLabel(first.startMs, by) : `${periodLabel(first.startMs, by)} – ${periodLabel(last.startMs, by)}`,
      start: new Date(by === null ? 0 : first.startMs).toISOString(),
      end: new Date(by === null ? 0 : nextPeriodStartMs(last.startMs, by) - 1).toISOString(),
      rows: total,
      merged: others.map((b) => b.key),
      file: home.file,
    };
  });
  return { header, periods, merges, rows };
}
