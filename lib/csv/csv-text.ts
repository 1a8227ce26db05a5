import { pipeline } from "node:stream/promises";
import { parse as parseStream } from "csv-parse";
import { parse, type CsvError, type InfoRecord } from "csv-parse/sync";
import { AppError, type ErrorDetail } from "../errors";

/*
 * The column-free half of the CSV reader (parse-schema-csv.ts): bytes to text with the encoding checks, text to records with their start lines (whole
 * file with csv-parse, streamed with csv-parse or the quote-free splitter), the header and
 * field-count discipline, and the cell helpers every reader's problem texts use. Nothing here
 * knows a column name.
 */

/** Hands over one record (whitespace outside quotes trimmed) with the file line where it starts. */
export type RecordSink = (fields: string[], line: number) => void;

const CSV_OPTIONS = {
  bom: true,
  trim: true,
  skip_empty_lines: true,
  // Field counts are checked by HeaderedRecords, with the record's real start line.
  relax_column_count: true,
  record_delimiter: ["\r\n", "\n", "\r"],
};

/**
 * The whole-file path: decodes `input` (415 on NUL bytes, UTF-16 or invalid UTF-8), parses it
 * with csv-parse and hands every record to `sink` with its start line; broken CSV syntax throws
 * `bad_request:csv` (400) naming the line. Cost: O(size of the input).
 */
export function readCsvRecords(input: string | Buffer | Uint8Array, sink: RecordSink): void {
  const text = decodeText(input);
  const lines = new LineCounter();
  try {
    parse(text, {
      ...CSV_OPTIONS,
      on_record: (fields: string[], ctx: InfoRecord) => {
        sink(fields, lines.startLine(fields, ctx));
        return null; // keep nothing: the sink has taken the record
      },
    });
  } catch (e) {
    throw csvSyntaxError(e as CsvError, text, lines);
  }
}

export interface StreamCsvOptions {
  /** the whole file again, to name the exact line of a CSV syntax error (see streamCsvRecords) */
  reread?: () => Buffer | Uint8Array;
  /** the caller has checked that the file holds no `"` byte: records are split without csv-parse (same result, ~4× faster) */
  noQuotes?: boolean;
  /**
   * With `noQuotes`: the source is a piece of a file that starts after a line break
   * (lib/ingestion/csv-pieces.ts), not the file's start: no byte-order mark is looked for. Its
   * lines are numbered from 1 all the same; the caller shifts them.
   */
  midFile?: boolean;
}

/**
 * The streaming twin of readCsvRecords, for files of any size: the same records, start lines and
 * errors, with memory bounded by one chunk and one record. Uses csv-parse's stream API (its
 * Transform), or UnquotedCsvSplitter under `noQuotes`; UTF-8 is checked chunk by chunk.
 * `source` yields the file's bytes in order (fs.createReadStream, or slices of a Buffer).
 * On a CSV syntax error the whole file is parsed once more from `reread()`, when given, so the
 * error names the line readCsvRecords would (an unclosed quote is found at the end of the file,
 * and the line to blame is the first one after the last complete record).
 */
export async function streamCsvRecords(
  source: AsyncIterable<Buffer | Uint8Array> | Iterable<Buffer | Uint8Array>,
  opts: StreamCsvOptions,
  sink: RecordSink,
): Promise<void> {
  if (opts.noQuotes) return splitUnquoted(source, sink, !opts.midFile);
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
    sink(fields, start);
  });
  const utf8 = new Utf8Checker();
  async function* checked() {
    let first = true;
    for await (const chunk of source) {
      const buf = asBuffer(chunk);
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
    // The whole text names the exact line; it throws the same kind of error.
    if (opts.reread) readCsvRecords(opts.reread(), () => {});
    throw csvSyntaxError(e as CsvError, null, lines);
  }
}

async function splitUnquoted(source: AsyncIterable<Buffer | Uint8Array> | Iterable<Buffer | Uint8Array>, sink: RecordSink, fileStart: boolean): Promise<void> {
  const utf8 = new Utf8Checker();
  const splitter = new UnquotedCsvSplitter(sink);
  let first = fileStart;
  for await (const chunk of source) {
    const buf = asBuffer(chunk);
    if (buf.includes(0x22)) throw new Error("CSV reader: noQuotes was promised, but the file holds a quote character");
    splitter.push(utf8.check(buf, first), first);
    first = false;
  }
  utf8.end();
  splitter.end();
}

function asBuffer(chunk: Buffer | Uint8Array): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

// ---------------------------------------------------------------------------------------------
// Header and records

const NO_DATA = "the file has no data rows";

/** 400 for a record whose field count is not the header's (`problem` says so), on file line `line`. */
export function malformedRecord(line: number, problem: string): AppError {
  return new AppError("bad_request:csv", `Malformed CSV: the record on line ${line} ${problem}. Check for unquoted commas or missing cells.`, [{ row: line, problem }]);
}

/** 422 for a file without data records: empty, or (`header`) only the header line. */
export function noDataRows(header: boolean): AppError {
  return new AppError("unprocessable:csv", header ? `${NO_DATA}: it holds only the header line` : `${NO_DATA}: it is empty`);
}

/**
 * The record discipline every reader shares: the first non-blank record is the header (read by
 * `readHeader`); each later non-blank record must have the header's field count and goes to
 * `readRow`. Records whose cells are all empty (blank lines, `,,,,` lines from spreadsheets) are
 * skipped and not counted. The first header or field-count problem is held back and thrown by
 * finish(), so that a CSV syntax error anywhere in the file wins, as it does when the whole file
 * is parsed first.
 */
export class HeaderedRecords<H> {
  private header: H | null = null;
  private width = 0;
  private rowsRead = 0;
  private error: AppError | null = null;

  constructor(
    private readonly readHeader: (fields: string[]) => H,
    private readonly readRow: (fields: string[], line: number, header: H) => void,
  ) {}

  /** The line of the last record handed in (blank ones too): a piece's line count. */
  private lastLine = 0;

  /** A RecordSink. */
  readonly record = (fields: string[], line: number): void => {
    this.lastLine = line;
    if (this.error !== null || isBlank(fields)) return;
    try {
      this.accept(fields, line);
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      this.error = e;
    }
  };

  private accept(fields: string[], line: number): void {
    if (this.header === null) {
      this.header = this.readHeader(fields);
      this.width = fields.length;
      return;
    }
    if (fields.length !== this.width) {
      throw malformedRecord(line, `has ${fields.length} fields but the header has ${this.width}`);
    }
    this.rowsRead++;
    this.readRow(fields, line, this.header);
  }

  /** Read the header from `fields` (the file's header record, for a piece that does not start the file); its problem is held back as any. */
  useHeader(fields: string[]): void {
    try {
      this.header = this.readHeader(fields);
      this.width = fields.length;
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      this.error = e;
    }
  }

  /** A piece's ending (streamSchemaPiece): its lines, the records read and the held-back error, without the whole-file checks. */
  finishPiece(): { header: H | null; lines: number; rowsRead: number; error: AppError | null } {
    return { header: this.header, lines: this.lastLine, rowsRead: this.rowsRead, error: this.error };
  }

  /** The header and the number of data records read; throws the held-back error, or 422 when there is no data. */
  finish(): { header: H; rowsRead: number } {
    if (this.error) throw this.error;
    if (this.header === null || this.rowsRead === 0) throw noDataRows(this.header !== null);
    return { header: this.header, rowsRead: this.rowsRead };
  }
}

function isBlank(fields: readonly string[]): boolean {
  for (let i = 0; i < fields.length; i++) if (fields[i].trim() !== "") return false;
  return true;
}

/**
 * The header's names (trimmed) and where each is, keyed by its lower-case form: names are matched
 * case-insensitively. Unnamed columns (e.g. from trailing commas) are left out; a name written
 * twice throws `unprocessable:csv` listing the duplicates.
 */
export function headerColumns(fields: readonly string[]): { names: string[]; seen: Map<string, number> } {
  const names = fields.map((f) => f.trim());
  const seen = new Map<string, number>();
  const duplicates = new Set<string>();
  names.forEach((name, i) => {
    const key = name.toLowerCase();
    if (key === "") return;
    if (seen.has(key)) duplicates.add(name);
    else seen.set(key, i);
  });
  if (duplicates.size > 0) {
    throw new AppError(
      "unprocessable:csv",
      `The header names the same column more than once (${[...duplicates].join(", ")}); column names are compared case-insensitively. Keep one of each.`,
      [...duplicates].map((column) => ({ row: 1, column, problem: "duplicate column name" })),
    );
  }
  return { names, seen };
}

/**
 * Throws `unprocessable:csv` naming each of `required` (schema names) the header lacks, and the
 * columns it has; `hint(missing)` adds a sentence (e.g. that labelled data is required here).
 */
export function requireColumns(header: { names: string[]; seen: Map<string, number> }, required: readonly string[], hint: (missing: string[]) => string): void {
  const missing = required.filter((c) => !header.seen.has(c.toLowerCase()));
  if (missing.length === 0) return;
  const found = header.names.filter((n) => n !== "").join(", ") || "(none)";
  throw new AppError(
    "unprocessable:csv",
    `Missing required column(s): ${missing.join(", ")}. Found: ${found}. ` +
      `The header must name ${required.join(", ")} (any order, any letter case).${hint(missing)}`,
    missing.map((column): ErrorDetail => ({ row: 1, column, problem: "required column is missing" })),
  );
}

// ---------------------------------------------------------------------------------------------
// Cells

/** Longest cell text kept in a quarantined row or quoted in a problem. */
const MAX_SHOWN_CELL = 100;

/** A cell as kept in a quarantined row's `raw`: cut to MAX_SHOWN_CELL characters (a row of a 10 MB cell stays small). */
export function bounded(cell: string): string {
  return cell.length <= MAX_SHOWN_CELL ? cell : `${cell.slice(0, MAX_SHOWN_CELL)}… (${cell.length} characters)`;
}

/** A cell quoted in a problem text: JSON-quoted, and cut with its length when it is long. */
export function shown(cell: string): string {
  return cell.length <= MAX_SHOWN_CELL ? JSON.stringify(cell) : `${JSON.stringify(cell.slice(0, MAX_SHOWN_CELL))}… (${cell.length} characters)`;
}

// The digits before the point are matched by one group only: no two quantifiers compete for the
// same characters, so a long non-number fails in linear time (`\d+\.?\d*` backtracked
// quadratically: a 10 MB cell of digits took minutes).
const PLAIN_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const GROUPED_NUMBER = /^[+-]?\d[\d,.'_ \u00a0\u202f]*$/;

/** Whether the trimmed text `s` is a plain decimal number as plainNumber accepts it. */
export function isPlainNumber(s: string): boolean {
  return PLAIN_NUMBER.test(s);
}

/**
 * A numeric cell read as a plain decimal number: the number, null for an empty cell, or a problem
 * text (a string). Accepted: optional surrounding whitespace, optional sign, digits with an
 * optional decimal point, an optional complete exponent (`1e3`, as R and pandas write large or
 * small floats). Rejected: thousands separators or decimal commas (`1,000`, `1 000`, `1,5`, told
 * apart by GROUPED_NUMBER for a better hint), `NaN`, `Infinity`, hex, incomplete exponents (`1e`),
 * numbers that overflow to ±Infinity (`1e999`). Range checks are the caller's.
 */
export function plainNumber(cell: string): number | null | string {
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
  return n;
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

/** 415: the upload is not a UTF-8 text file, so "fix the CSV syntax" would be the wrong advice. */
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

/** `text` is the whole file when known (readCsvRecords): an unclosed quote is then blamed on the line where its record starts. */
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
 * tests check it): records end at CRLF, LF or CR; fields at commas; a leading UTF-8 BOM is
 * dropped; each field loses the spaces, tabs and form feeds at its start (csv-parse's ltrim) and
 * all trailing white space (its rtrim, String#trimEnd). A blank line is a record of one empty
 * field, as csv-parse gives with skip_empty_lines off; HeaderedRecords skips it. Text arrives in
 * chunks; a line cut by a chunk border waits for the rest.
 */
/** Any character String#trim could remove (ECMAScript white space and line terminators). */
const WHITE_SPACE = /[\s\uFEFF]/;

class UnquotedCsvSplitter {
  private pending = "";

  private line = 1;

  constructor(private readonly onRecord: RecordSink) {}

  push(text: string, first: boolean): void {
    const t = this.pending + (first && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    // A CR at the very end may be the first half of a CRLF: keep it with the unfinished line.
    let end = t.length;
    if (t.charCodeAt(end - 1) === 13) end--;
    let start = 0;
    if (!t.includes("\r")) {
      // LF only (the common case): the native search is much faster than a loop over the characters
      for (let i = t.indexOf("\n"); i !== -1; i = t.indexOf("\n", start)) {
        this.emit(t.slice(start, i));
        start = i + 1;
      }
      this.pending = t.slice(start);
      return;
    }
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
    // No white space anywhere in the record (the common case): nothing to trim.
    if (!WHITE_SPACE.test(record)) {
      this.onRecord(fields, this.line++);
      return;
    }
    for (let j = 0; j < fields.length; j++) {
      const f = fields[j];
      let a = 0;
      while (a < f.length && (f.charCodeAt(a) === 32 || f.charCodeAt(a) === 9 || f.charCodeAt(a) === 12)) a++;
      fields[j] = (a > 0 ? f.slice(a) : f).trimEnd();
    }
    this.onRecord(fields, this.line++);
  }
}

/**
 * The column names of a CSV's header line (the bytes up to the first line break; a BOM skipped,
 * names trimmed and lowercased, as the readers match them); null when that line is not valid CSV.
 */
export function headerNamesOf(content: Buffer | Uint8Array): string[] | null {
  const bytes = Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  const end = bytes.indexOf(0x0a);
  const first = bytes.subarray(0, end < 0 ? bytes.length : end).toString("utf8");
  try {
    return ((parse(first, { bom: true, trim: true, relax_column_count: true }) as string[][])[0] ?? []).map((h) => h.toLowerCase());
  } catch {
    return null;
  }
}
