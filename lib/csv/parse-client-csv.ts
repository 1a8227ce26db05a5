import { pipeline } from "node:stream/promises";
import { parse as parseStream } from "csv-parse";
import { parse, type CsvError, type InfoRecord } from "csv-parse/sync";
import { AppError, type ErrorDetail } from "@/lib/errors";
import { FEATURES, ID_COLUMN, LABEL, MAX_FEATURE_VALUE, MAX_ID_LENGTH, type Feature } from "@/lib/domain";

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
  const rows: ParsedRow[] = [];
  const rejected: RejectedRowInfo[] = [];
  const reader = new ClientCsvReader(opts, {
    onRow: (row, fields, header) => rows.push({ ...row, raw: rawRecord(fields, header) }),
    onRejected: (r) => rejected.push(r),
  });
  const lines = new LineCounter();
  try {
    parse(text, { ...CSV_OPTIONS, on_record: (fields: string[], ctx: InfoRecord) => reader.record(fields, lines.startLine(fields, ctx)) });
  } catch (e) {
    throw csvSyntaxError(e as CsvError, text, lines);
  }
  const summary = reader.finish();
  return { ...summary, rows, rejected };
}

/** A valid row as the streaming reader hands it over (no `raw`: building it for every row is the costly part). */
export type StreamedRow = Omit<ParsedRow, "raw">;

export interface StreamClientCsvHandlers {
  /** called for each valid row, in file order, synchronously inside the parser */
  onRow: (row: StreamedRow) => void;
  onRejected: (row: RejectedRowInfo) => void;
}

/**
 * The streaming twin of parseClientCsv, for files of any size: the same checks, row numbers and
 * errors, with memory bounded by one chunk and one record; rows go to `onRow` as they are read.
 * Uses csv-parse's stream API (its Transform); UTF-8 is checked chunk by chunk.
 * `source` yields the file's bytes in order (fs.createReadStream, or slices of a Buffer).
 * On a CSV syntax error the whole file is parsed once more from `reread()`, when given, so the
 * error names the line parseClientCsv would (an unclosed quote is found at the end of the file,
 * and the line to blame is the first one after the last complete record). Rows already handed
 * over before an error are the caller's to discard (the ingestion rolls its transaction back).
 */
export async function streamClientCsv(
  source: AsyncIterable<Buffer | Uint8Array> | Iterable<Buffer | Uint8Array>,
  opts: ParseClientCsvOptions & {
    reread?: () => Buffer | Uint8Array;
    /** the caller has checked that the file holds no `"` byte: records are split without csv-parse (same result, ~4× faster) */
    noQuotes?: boolean;
  },
  handlers: StreamClientCsvHandlers,
): Promise<Omit<ParseClientCsvResult, "rows" | "rejected">> {
  const reader = new ClientCsvReader(opts, { onRow: (row) => handlers.onRow(row), onRejected: handlers.onRejected });
  if (opts.noQuotes) {
    const utf8 = new Utf8Checker();
    const splitter = new UnquotedCsvSplitter((fields, line) => reader.record(fields, line));
    let first = true;
    for await (const chunk of source) {
      const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      if (buf.includes(0x22)) throw new Error("streamClientCsv: noQuotes was promised, but the file holds a quote character");
      splitter.push(utf8.check(buf, first), first);
      first = false;
    }
    utf8.end();
    splitter.end();
    return reader.finish();
  }
  // Without on_record (whose per-record info object costs more than the parsing), blank lines come
  // through as records and the line numbers are counted here: a record spans one line plus the
  // line breaks inside its quoted fields (a CRLF is one).
  const lines = new LineCounter();
  let line = 1;
  const parser = parseStream({ ...CSV_OPTIONS, skip_empty_lines: false });
  parser.on("data", (fields: string[]) => {
    const start = line;
    line += 1 + lines.breaksInside(fields);
    lines.lastEndLine = line - 1;
    reader.record(fields, start);
  });
  const utf8 = new Utf8Checker();
  async function* checked() {
    let first = true;
    for await (const chunk of source) {
      const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      utf8.check(buf, first);
      first = false;
      yield buf;
    }
    utf8.end();
  }
  try {
    await pipeline(checked, parser);
  } catch (e) {
    if (e instanceof AppError) throw e;
    // parseClientCsv on the whole text names the exact line; it throws the same kind of error.
    if (opts.reread) parseClientCsv(opts.reread(), opts);
    throw csvSyntaxError(e as CsvError, null, lines);
  }
  return reader.finish();
}

const CSV_OPTIONS = {
  bom: true,
  trim: true,
  skip_empty_lines: true,
  // Field counts are checked by the reader, with the record's real start line.
  relax_column_count: true,
  record_delimiter: ["\r\n", "\n", "\r"],
};

/**
 * Header, field counts, validation and missing-cell counts for records handed in one at a
 * time: the part parseClientCsv and streamClientCsv share.
 */
class ClientCsvReader {
  private header: Header | null = null;
  private headerWidth = 0;
  private inPlay: string[] = [];
  private emptyCounts: Record<string, number> = {};
  private rowsRead = 0;
  /** the first header or field-count problem: thrown by finish(), so that a CSV syntax error anywhere in the file wins, as it did when the whole file was parsed first */
  private error: AppError | null = null;

  constructor(
    private readonly opts: ParseClientCsvOptions,
    private readonly out: {
      onRow: (row: StreamedRow, fields: readonly string[], header: Header) => void;
      onRejected: (row: RejectedRowInfo) => void;
    },
  ) {}

  /** One record with the line where it starts; blank records are skipped. Returns null (csv-parse's on_record: keep nothing). */
  record(fields: string[], line: number): null {
    if (this.error === null && !fields.every((f) => f.trim() === "")) {
      try {
        this.accept(fields, line);
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        this.error = e;
      }
    }
    return null;
  }

  private accept(fields: string[], line: number): void {
    const header = this.header;
    if (header === null) {
      this.header = readHeader(fields, this.opts.label);
      this.headerWidth = fields.length;
      this.inPlay = [ID_COLUMN, ...FEATURES, ...(this.header.labelIndex === null ? [] : [LABEL])];
      this.emptyCounts = Object.fromEntries(this.inPlay.map((c) => [c, 0]));
      return;
    }
    if (fields.length !== this.headerWidth) {
      const problem = `has ${fields.length} fields but the header has ${this.headerWidth}`;
      throw new AppError(
        "bad_request:csv",
        `Malformed CSV: the record on line ${line} ${problem}. Check for unquoted commas or missing cells.`,
        [{ row: line, problem }],
      );
    }
    this.rowsRead++;
    for (const c of this.inPlay) if (fields[header.index[c]].trim() === "") this.emptyCounts[c]++;
    const result = validateRow(fields, header);
    if ("problem" in result) {
      this.out.onRejected({ row: line, column: result.column, problem: result.problem, raw: rawRecord(fields, header) });
    } else {
      this.out.onRow({ row: line, ...result.values }, fields, header);
    }
  }

  finish(): Omit<ParseClientCsvResult, "rows" | "rejected"> {
    if (this.error) throw this.error;
    if (this.header === null) throw new AppError("unprocessable:csv", `${NO_DATA}: it is empty`);
    if (this.rowsRead === 0) throw new AppError("unprocessable:csv", `${NO_DATA}: it holds only the header line`);
    const missingByColumn = Object.fromEntries(this.inPlay.map((c) => [c, this.emptyCounts[c] / this.rowsRead]));
    return { rowsRead: this.rowsRead, missingByColumn, hasLabel: this.header.labelIndex !== null };
  }
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

/** decodeText's checks for a file read in chunks: no UTF-16 byte-order mark, no NUL byte, valid UTF-8 across chunk borders. */
class Utf8Checker {
  private readonly decoder = new TextDecoder("utf-8", { fatal: true });

  /** Check a chunk; returns its text (a character split across chunks comes with the later one). */
  check(bytes: Uint8Array, first: boolean): string {
    if (first && bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
      throw notText("it is UTF-16 encoded");
    }
    if (bytes.includes(0)) throw notText("it contains NUL bytes (a binary file?)");
    try {
      return this.decoder.decode(bytes, { stream: true });
    } catch {
      throw notText("it is not valid UTF-8 text");
    }
  }

  end(): void {
    try {
      this.decoder.decode();
    } catch {
      throw notText("it is not valid UTF-8 text (it ends inside a character)");
    }
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

const LINE_BREAK_CHARS = /[\r\n]/g;
const CRLF = /\r\n/g;

function countMatches(fields: readonly string[], re: RegExp): number {
  let n = 0;
  for (const f of fields) if (f.length > 0 && (f.includes("\n") || f.includes("\r"))) n += f.match(re)?.length ?? 0;
  return n;
}

/**
 * The file line where each record starts. csv-parse counts every CR and LF inside a quoted
 * field as a line (so a quoted CRLF counts twice); `overcount` is how far its line counter has
 * run ahead of the file's real lines.
 */
class LineCounter {
  overcount = 0;
  lastEndLine = 0;

  /** Line breaks inside a record's fields, a CRLF counted once. */
  breaksInside(fields: readonly string[]): number {
    return countMatches(fields, LINE_BREAK_CHARS) - countMatches(fields, CRLF);
  }

  startLine(fields: readonly string[], ctx: InfoRecord): number {
    const crlf = countMatches(fields, CRLF);
    const endLine = ctx.lines - this.overcount - crlf;
    this.overcount += crlf;
    this.lastEndLine = endLine;
    return endLine - (countMatches(fields, LINE_BREAK_CHARS) - crlf);
  }
}

/** `text` is the whole file when known (parseClientCsv): an unclosed quote is then blamed on the line where its record starts. */
function csvSyntaxError(e: CsvError, text: string | null, lines: LineCounter): AppError {
  const reported = typeof e.lines === "number" ? e.lines - lines.overcount : lines.lastEndLine + 1;
  let line = reported;
  let problem: string;
  switch (e.code) {
    case "CSV_QUOTE_NOT_CLOSED":
      line = (text !== null ? firstNonBlankLineAfter(text, lines.lastEndLine) : null) ?? reported;
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

/**
 * Records of a CSV text with no quote character, split the way csv-parse splits them with
 * CSV_OPTIONS (so a file without quotes gives the same records either way — the stream parity
 * test checks it): records end at CRLF, LF or CR; fields at commas; a leading UTF-8 BOM is
 * dropped; each field loses the spaces, tabs and form feeds at its start (csv-parse's ltrim) and
 * all trailing white space (its rtrim, String#trimEnd). A blank line is a record of one empty
 * field, as csv-parse gives with skip_empty_lines off; the reader skips it. Text arrives in
 * chunks; a line cut by a chunk border waits for the rest.
 */
class UnquotedCsvSplitter {
  private pending = "";
  private line = 1;

  constructor(private readonly onRecord: (fields: string[], line: number) => void) {}

  push(text: string, first: boolean): void {
    const t = this.pending + (first && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    // A CR at the very end may be the first half of a CRLF: keep it with the unfinished line.
    let end = t.length;
    if (t.charCodeAt(end - 1) === 13) end--;
    let start = 0;
    for (let i = 0; i < end; i++) {
      const c = t.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      this.emit(t.slice(start, i));
      if (c === 13 && t.charCodeAt(i + 1) === 10) i++;
      start = i + 1;
    }
    this.pending = t.slice(start);
  }

  end(): void {
    const rest = this.pending.charCodeAt(this.pending.length - 1) === 13 ? this.pending.slice(0, -1) : this.pending;
    if (rest.length > 0) this.emit(rest);
    this.pending = "";
  }

  private emit(record: string): void {
    const fields = record.split(",");
    for (let j = 0; j < fields.length; j++) {
      const f = fields[j];
      let a = 0;
      while (a < f.length && (f.charCodeAt(a) === 32 || f.charCodeAt(a) === 9 || f.charCodeAt(a) === 12)) a++;
      fields[j] = (a > 0 ? f.slice(a) : f).trimEnd();
    }
    this.onRecord(fields, this.line++);
  }
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

/** The record as read, each cell cut to MAX_SHOWN_CELL characters (a quarantined row of a 10 MB cell stays small). */
function rawRecord(fields: readonly string[], header: Header): Record<string, string> {
  const raw: Record<string, string> = {};
  for (const [c, i] of Object.entries(header.index)) raw[c] = bounded(fields[i]);
  for (const [name, i] of header.extras) raw[name] = bounded(fields[i]);
  return raw;
}

/** Longest cell text kept in a quarantined row or quoted in a problem. */
const MAX_SHOWN_CELL = 100;

function bounded(cell: string): string {
  return cell.length <= MAX_SHOWN_CELL ? cell : `${cell.slice(0, MAX_SHOWN_CELL)}… (${cell.length} characters)`;
}

/** A cell quoted in a problem text: JSON-quoted, and cut with its length when it is long. */
function shown(cell: string): string {
  return cell.length <= MAX_SHOWN_CELL ? JSON.stringify(cell) : `${JSON.stringify(cell.slice(0, MAX_SHOWN_CELL))}… (${cell.length} characters)`;
}

// ---------------------------------------------------------------------------------------------
// Values

type RowValues = Omit<ParsedRow, "row" | "raw">;
type RowCheck = { values: RowValues } | { column: string; problem: string };

function validateRow(fields: readonly string[], header: Header): RowCheck {
  const corporation = fields[header.index[ID_COLUMN]].trim();
  if (corporation === "") return { column: ID_COLUMN, problem: "must not be empty" };
  if (corporation.length > MAX_ID_LENGTH) return { column: ID_COLUMN, problem: `is too long: ${shown(corporation)} (at most ${MAX_ID_LENGTH} characters)` };

  const features = {} as Record<Feature, number | null>;
  for (const f of FEATURES) {
    const v = parseFeature(fields[header.index[f]]);
    if (typeof v === "string") return { column: f, problem: v };
    features[f] = v;
  }

  let exited: 0 | 1 | null = null;
  if (header.labelIndex !== null) {
    const v = parseLabel(fields[header.labelIndex]);
    if (typeof v === "string") return { column: LABEL, problem: v };
    exited = v;
  }
  return { values: { corporation, ...features, exited } };
}

// The digits before the point are matched by one group only: no two quantifiers compete for the
// same characters, so a long non-number fails in linear time (`\d+\.?\d*` backtracked
// quadratically: a 10 MB cell of digits took minutes).
const PLAIN_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const GROUPED_NUMBER = /^[+-]?\d[\d,.'_ \u00a0\u202f]*$/;

/** A number, null for an empty cell, or a problem description. */
function parseFeature(cell: string): number | null | string {
  const s = cell.trim();
  if (s === "") return null;
  if (!PLAIN_NUMBER.test(s)) {
    if (GROUPED_NUMBER.test(s)) {
      return `not a plain number: ${shown(cell)} (remove thousands separators; use "." for decimals)`;
    }
    return `not a number: ${shown(cell)}`;
  }
  const n = Number(s);
  if (!Number.isFinite(n)) return `not a finite number: ${shown(cell)}`;
  if (n < 0) return `must not be negative: ${shown(cell)}`;
  if (n > MAX_FEATURE_VALUE) return `is too large: ${shown(cell)} (at most ${MAX_FEATURE_VALUE.toExponential()}; check the unit or the export)`;
  return n === 0 ? 0 : n; // -0 → 0
}

/** 0 or 1, or a problem description. */
function parseLabel(cell: string): 0 | 1 | string {
  const s = cell.trim();
  if (s === "") return "label is missing (must be 0 or 1)";
  const m = /^([01])(?:\.0*)?$/.exec(s);
  if (!m) return `must be 0 or 1, got ${shown(cell)}`;
  return m[1] === "1" ? 1 : 0;
}
