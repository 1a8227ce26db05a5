import { parse, type CsvError, type InfoRecord } from "csv-parse/sync";
import { AppError, type ErrorDetail } from "@/lib/errors";
import { FEATURES, ID_COLUMN, LABEL, type Feature } from "@/lib/domain";

/**
 * How the `exited` column is treated:
 * - `required`: the column must exist and every row needs a valid label (training, test data);
 * - `optional`: labels are parsed and validated when the column exists (prediction with scoring);
 * - `forbidden-ignored`: the column is ignored even when present; `exited` is always null.
 */
export type LabelMode = "required" | "optional" | "forbidden-ignored";

export interface ParseClientCsvOptions {
  label: LabelMode;
}

export interface ParsedRow {
  /** Line of the file where the record starts: header = 1, first data record = 2. */
  row: number;
  corporation: string;
  /** null = empty cell; the caller imputes it. */
  lastmonth_activity: number | null;
  lastyear_activity: number | null;
  number_of_employees: number | null;
  /** null when labels are not in play (no `exited` column, or mode `forbidden-ignored`). */
  exited: 0 | 1 | null;
  /**
   * The record as parsed (whitespace outside quotes trimmed), keyed by schema column name or,
   * for extra named columns, by the trimmed header as written.
   */
  raw: Record<string, string>;
}

export interface RejectedRowInfo {
  row: number;
  /** The first schema column (in schema order) with a problem. */
  column: string | null;
  problem: string;
  raw: Record<string, string>;
}

export interface ParseClientCsvResult {
  /** Data records read (blank lines not counted) = rows.length + rejected.length. */
  rowsRead: number;
  rows: ParsedRow[];
  rejected: RejectedRowInfo[];
  /** Fraction (0–1) of empty cells per schema column in play, over all rows read (rejected included). */
  missingByColumn: Record<string, number>;
  /** True when labels were parsed: the `exited` column is present and the mode is not `forbidden-ignored`. */
  hasLabel: boolean;
}

const NO_DATA = "the file has no data rows";

/**
 * Parses and validates a client CSV (schema in DESIGN.md) without imputing anything.
 *
 * Whole-file problems throw an AppError and return nothing:
 * - NUL bytes, a UTF-16 byte-order mark or invalid UTF-8 → `unsupported_media_type:csv` (415):
 *   the upload is not a UTF-8 text file, so "fix the CSV syntax" would be the wrong advice;
 * - broken CSV syntax (unclosed or stray quote, a record with a different number of fields
 *   than the header) → `bad_request:csv` (400) with the line number in message and details;
 * - no data rows, missing required columns, duplicate header names → `unprocessable:csv` (422).
 *
 * Row problems reject only that row (first problem in schema column order):
 * empty corporation; a feature that is not a plain non-negative decimal number; a missing or
 * invalid label when labels are in play. Empty feature cells are kept as null.
 *
 * Accepted numbers: optional surrounding whitespace, optional sign, digits with an optional
 * decimal point, and an optional complete exponent (`1e3`, as R and pandas write large or
 * small floats). Rejected: thousands separators or decimal commas (`1,000`, `1 000`, `1,5`),
 * `NaN`, `Infinity`, hex, incomplete exponents (`1e`), negatives (`-0` counts as 0).
 * Accepted labels: `0` and `1`, also written `0.0` / `1.0` (pandas writes an integer column
 * holding gaps as floats); anything else (`2`, `yes`, `true`, `0.5`, empty) rejects the row.
 *
 * Header: required; names trimmed and matched case-insensitively; order free; extra columns
 * ignored (unnamed ones, e.g. from trailing commas, are dropped from `raw`). Records whose
 * cells are all empty (blank lines, `,,,,` lines from spreadsheets) are skipped and not counted.
 * A UTF-8 BOM, CRLF / LF / CR line endings (mixed too), quoted fields with commas, quotes and
 * newlines all work. Row numbers are file lines where the record starts (a spreadsheet shows
 * the same numbers unless a cell holds a line break).
 *
 * Cost: O(size of the input).
 *
 * @example
 * parseClientCsv("corporation,lastmonth_activity,lastyear_activity,number_of_employees,exited\nabcd,10,100,5,0\n", { label: "required" })
 * // → { rowsRead: 1, rows: [{ row: 2, corporation: "abcd", lastmonth_activity: 10, ..., exited: 0 }], rejected: [], ... }
 */
export function parseClientCsv(input: string | Buffer | Uint8Array, opts: ParseClientCsvOptions): ParseClientCsvResult {
  const text = decodeText(input);
  const records = parseRecords(text);
  if (records.length === 0) throw new AppError("unprocessable:csv", `${NO_DATA}: it is empty`);

  const [headerRecord, ...dataRecords] = records;
  const header = readHeader(headerRecord.fields, opts.label);
  if (dataRecords.length === 0) {
    throw new AppError("unprocessable:csv", `${NO_DATA}: it holds only the header line`);
  }

  const inPlay: string[] = [ID_COLUMN, ...FEATURES, ...(header.labelIndex === null ? [] : [LABEL])];
  const emptyCounts: Record<string, number> = Object.fromEntries(inPlay.map((c) => [c, 0]));
  const rows: ParsedRow[] = [];
  const rejected: RejectedRowInfo[] = [];

  for (const rec of dataRecords) {
    if (rec.fields.length !== headerRecord.fields.length) {
      const problem = `has ${rec.fields.length} fields but the header has ${headerRecord.fields.length}`;
      throw new AppError(
        "bad_request:csv",
        `Malformed CSV: the record on line ${rec.line} ${problem}. Check for unquoted commas or missing cells.`,
        [{ row: rec.line, problem }],
      );
    }
    const raw = rawRecord(rec.fields, header);
    for (const c of inPlay) if (raw[c].trim() === "") emptyCounts[c]++;

    const result = validateRow(raw, header.labelIndex !== null);
    if ("problem" in result) {
      rejected.push({ row: rec.line, column: result.column, problem: result.problem, raw });
    } else {
      rows.push({ row: rec.line, ...result.values, raw });
    }
  }

  const rowsRead = dataRecords.length;
  const missingByColumn = Object.fromEntries(inPlay.map((c) => [c, emptyCounts[c] / rowsRead]));
  return { rowsRead, rows, rejected, missingByColumn, hasLabel: header.labelIndex !== null };
}

// ---------------------------------------------------------------------------------------------
// Decoding

function decodeText(input: string | Buffer | Uint8Array): string {
  if (typeof input === "string") {
    if (input.includes("\u0000")) throw notText("it contains NUL characters (a binary file?)");
    return input;
  }
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw notText("it is UTF-16 encoded");
  }
  if (bytes.includes(0)) throw notText("it contains NUL bytes (a binary file?)");
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw notText("it is not valid UTF-8 text");
  }
}

function notText(why: string): AppError {
  return new AppError(
    "unsupported_media_type:csv",
    `The file is not a UTF-8 CSV text file: ${why}. Save it as "CSV UTF-8 (comma delimited)" and upload it again.`,
  );
}

// ---------------------------------------------------------------------------------------------
// CSV syntax

interface CsvRecord {
  fields: string[];
  /** 1-based line where the record starts. */
  line: number;
}

const LINE_BREAK_CHARS = /[\r\n]/g;
const CRLF = /\r\n/g;

function countMatches(fields: readonly string[], re: RegExp): number {
  let n = 0;
  for (const f of fields) n += f.match(re)?.length ?? 0;
  return n;
}

/** Non-blank records with their start lines; throws bad_request:csv on broken syntax. */
function parseRecords(text: string): CsvRecord[] {
  // csv-parse counts every CR and LF inside a quoted field as a line (so a quoted CRLF counts
  // twice); `overcount` is how far its line counter has run ahead of the file's real lines.
  let overcount = 0;
  let lastEndLine = 0;
  const out: CsvRecord[] = [];
  try {
    parse(text, {
      bom: true,
      trim: true,
      skip_empty_lines: true,
      // Field counts are checked by the caller, with the record's real start line.
      relax_column_count: true,
      record_delimiter: ["\r\n", "\n", "\r"],
      on_record: (fields: string[], ctx: InfoRecord) => {
        const endLine = ctx.lines - overcount - countMatches(fields, CRLF);
        overcount += countMatches(fields, CRLF);
        const line = endLine - (countMatches(fields, LINE_BREAK_CHARS) - countMatches(fields, CRLF));
        lastEndLine = endLine;
        if (fields.every((f) => f.trim() === "")) return null;
        out.push({ fields, line });
        return null;
      },
    });
  } catch (e) {
    throw csvSyntaxError(e as CsvError, text, lastEndLine, overcount);
  }
  return out;
}

function csvSyntaxError(e: CsvError, text: string, lastEndLine: number, overcount: number): AppError {
  const reported = typeof e.lines === "number" ? e.lines - overcount : lastEndLine + 1;
  let line = reported;
  let problem: string;
  switch (e.code) {
    case "CSV_QUOTE_NOT_CLOSED":
      line = firstNonBlankLineAfter(text, lastEndLine) ?? reported;
      problem = "a quoted field opened in the record starting here is never closed (a stray \" character?)";
      break;
    case "INVALID_OPENING_QUOTE":
      problem = "a quote character appears inside an unquoted field; quote the whole field and double inner quotes (\"\")";
      break;
    case "CSV_INVALID_CLOSING_QUOTE":
    case "CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE":
      problem = "characters follow a closing quote; double quotes inside a quoted field must be written as \"\"";
      break;
    default:
      problem = e.message;
  }
  return new AppError("bad_request:csv", `Malformed CSV at line ${line}: ${problem}.`, [{ row: line, problem }]);
}

function firstNonBlankLineAfter(text: string, afterLine: number): number | null {
  const lines = text.split(/\r\n|\n|\r/);
  for (let i = afterLine; i < lines.length; i++) if (lines[i].trim() !== "") return i + 1;
  return null;
}

// ---------------------------------------------------------------------------------------------
// Header

interface Header {
  /** Index of each schema column in play in the record. */
  index: Record<string, number>;
  labelIndex: number | null;
  /** Extra named columns: trimmed header as written → index. */
  extras: [string, number][];
}

function readHeader(fields: readonly string[], mode: LabelMode): Header {
  const names = fields.map((f) => f.trim());
  const seen = new Map<string, number>();
  const duplicates: string[] = [];
  names.forEach((name, i) => {
    const key = name.toLowerCase();
    if (key === "") return;
    if (seen.has(key)) duplicates.push(name);
    else seen.set(key, i);
  });
  if (duplicates.length > 0) {
    const list = [...new Set(duplicates)].join(", ");
    throw new AppError(
      "unprocessable:csv",
      `The header names the same column more than once (${list}); column names are compared case-insensitively. Keep one of each.`,
      [...new Set(duplicates)].map((column) => ({ row: 1, column, problem: "duplicate column name" })),
    );
  }

  const required: string[] = [ID_COLUMN, ...FEATURES, ...(mode === "required" ? [LABEL] : [])];
  const missing = required.filter((c) => !seen.has(c));
  if (missing.length > 0) {
    const found = names.filter((n) => n !== "").join(", ") || "(none)";
    const labelHint = missing.includes(LABEL) ? ` Labelled data (${LABEL} = 0 or 1) is required here.` : "";
    throw new AppError(
      "unprocessable:csv",
      `Missing required column(s): ${missing.join(", ")}. Found: ${found}. ` +
        `The header must name ${required.join(", ")} (any order, any letter case).${labelHint}`,
      missing.map((column): ErrorDetail => ({ row: 1, column, problem: "required column is missing" })),
    );
  }

  const labelIndex = mode === "forbidden-ignored" ? null : (seen.get(LABEL) ?? null);
  const index: Record<string, number> = {};
  for (const c of [ID_COLUMN, ...FEATURES]) index[c] = seen.get(c)!;
  if (labelIndex !== null) index[LABEL] = labelIndex;
  const schemaIdx = new Set(Object.values(index));
  if (mode === "forbidden-ignored" && seen.has(LABEL)) schemaIdx.add(seen.get(LABEL)!);

  const extras: [string, number][] = [];
  names.forEach((name, i) => {
    if (name !== "" && !schemaIdx.has(i)) extras.push([name, i]);
  });
  // An ignored label column is still shown in `raw`, under its schema name.
  if (mode === "forbidden-ignored" && seen.has(LABEL)) extras.push([LABEL, seen.get(LABEL)!]);
  return { index, labelIndex, extras };
}

function rawRecord(fields: readonly string[], header: Header): Record<string, string> {
  const raw: Record<string, string> = {};
  for (const [c, i] of Object.entries(header.index)) raw[c] = fields[i];
  for (const [name, i] of header.extras) raw[name] = fields[i];
  return raw;
}

// ---------------------------------------------------------------------------------------------
// Values

type RowValues = Omit<ParsedRow, "row" | "raw">;
type RowCheck = { values: RowValues } | { column: string; problem: string };

function validateRow(raw: Record<string, string>, labelled: boolean): RowCheck {
  const corporation = raw[ID_COLUMN].trim();
  if (corporation === "") return { column: ID_COLUMN, problem: "must not be empty" };

  const features = {} as Record<Feature, number | null>;
  for (const f of FEATURES) {
    const v = parseFeature(raw[f]);
    if (typeof v === "string") return { column: f, problem: v };
    features[f] = v;
  }

  let exited: 0 | 1 | null = null;
  if (labelled) {
    const v = parseLabel(raw[LABEL]);
    if (typeof v === "string") return { column: LABEL, problem: v };
    exited = v;
  }
  return { values: { corporation, ...features, exited } };
}

const PLAIN_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const GROUPED_NUMBER = /^[+-]?\d[\d,.'_ \u00a0\u202f]*$/;

/** A number, null for an empty cell, or a problem description. */
function parseFeature(cell: string): number | null | string {
  const s = cell.trim();
  if (s === "") return null;
  if (!PLAIN_NUMBER.test(s)) {
    if (GROUPED_NUMBER.test(s)) {
      return `not a plain number: ${JSON.stringify(cell)} (remove thousands separators; use "." for decimals)`;
    }
    return `not a number: ${JSON.stringify(cell)}`;
  }
  const n = Number(s);
  if (!Number.isFinite(n)) return `not a finite number: ${JSON.stringify(cell)}`;
  if (n < 0) return `must not be negative: ${JSON.stringify(cell)}`;
  return n === 0 ? 0 : n; // -0 → 0
}

/** 0 or 1, or a problem description. */
function parseLabel(cell: string): 0 | 1 | string {
  const s = cell.trim();
  if (s === "") return "label is missing (must be 0 or 1)";
  const m = /^([01])(?:\.0*)?$/.exec(s);
  if (!m) return `must be 0 or 1, got ${JSON.stringify(cell)}`;
  return m[1] === "1" ? 1 : 0;
}
