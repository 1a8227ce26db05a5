import { MAX_FEATURE_VALUE, MAX_ID_LENGTH } from "../domain";
import type { AppError } from "../errors";
import type { DataSchema, NumericFeature } from "../schema/types";
import { DAY_MONTH_DATE, isoTimeMs } from "../time/periods";
import {
  HeaderedRecords,
  bounded,
  headerColumns,
  isPlainNumber,
  plainNumber,
  readCsvRecords,
  requireColumns,
  shown,
  streamCsvRecords,
  type StreamCsvOptions,
} from "./csv-text";

/**
 * How the schema's label column is treated:
 * - `required`: the column must exist and every row needs a valid label (training, test data);
 * - `optional`: labels are read and checked when the column exists (prediction with scoring);
 * - `forbidden-ignored`: the column is ignored even when present; `label` is always null.
 */
export type LabelMode = "required" | "optional" | "forbidden-ignored";

export interface SchemaCsvOptions {
  schema: DataSchema;
  label: LabelMode;
}

/** One cell's value: a number or null (empty) for a numeric feature, the trimmed text or null (empty) for a categorical one. */
export type CellValue = number | string | null;

/** A valid row, as the streaming reader hands it over. */
export interface SchemaRow {
  /** Line of the file where the record starts: header = 1, first data record = 2. */
  row: number;
  /** the trimmed id cell; null when the schema has no id column */
  id: string | null;
  /** one per schema feature, in schema order; null = empty cell, the caller imputes it */
  values: CellValue[];
  /** null when labels are not in play (no label column, or mode `forbidden-ignored`) */
  label: 0 | 1 | null;
  /** the time cell in epoch milliseconds (UTC); null when the schema has no time column */
  time: number | null;
  /**
   * The dedupe key: JSON.stringify([id, ...values, label, time]), id left out when the schema has
   * none and time when it has none. For the demo schema this is the key stored databases hold
   * (bulk-ingest's rowKey: [corporation, the three features, exited]).
   */
  key: string;
}

export interface RejectedRowInfo {
  row: number;
  /** The first schema column (in schema order: id, features, label, time) with a problem. */
  column: string | null;
  problem: string;
  /** the record as read, see ParsedSchemaCsv.rows */
  raw: Record<string, string>;
}

export interface ParsedSchemaCsv {
  /** Data records read (blank lines not counted) = rows.length + rejected.length. */
  rowsRead: number;
  /**
   * Valid rows with `raw`: the record as parsed (whitespace outside quotes trimmed, cells cut to
   * 100 characters), keyed by schema column name or, for extra named columns, by the trimmed
   * header as written.
   */
  rows: (SchemaRow & { raw: Record<string, string> })[];
  rejected: RejectedRowInfo[];
  /** Fraction (0–1) of empty cells per schema column in play, over all rows read (rejected included). */
  missingByColumn: Record<string, number>;
  /** True when labels were read: the label column is present and the mode is not `forbidden-ignored`. */
  hasLabel: boolean;
  /** The named header columns that are not the id, label, time or a feature (trimmed as written), in header order. */
  ignoredColumns: string[];
}

/** What the streaming reader returns: everything but the rows, which went to the handlers. */
export type SchemaCsvSummary = Omit<ParsedSchemaCsv, "rows" | "rejected">;

/**
 * Parses and validates a CSV against `opts.schema` without imputing anything.
 *
 * Whole-file problems throw an AppError and return nothing:
 * - NUL bytes, a UTF-16 byte-order mark or invalid UTF-8 → `unsupported_media_type:csv` (415);
 * - broken CSV syntax (unclosed or stray quote, a record with a different number of fields
 *   than the header) → `bad_request:csv` (400) with the line number in message and details;
 * - no data rows, missing required columns (the id, every feature, and the label in mode
 *   `required`; a file without the time column is about the time it arrives), duplicate header
 *   names → `unprocessable:csv` (422).
 *
 * Row problems reject only that row, the first in schema column order (id, features, label,
 * time) being reported:
 * - id: empty, or longer than MAX_ID_LENGTH;
 * - numeric feature: not a plain decimal number (csv-text.ts plainNumber: no thousands
 *   separators, NaN, Infinity, hex), outside the feature's `min` / `max`, or beyond
 *   ±MAX_FEATURE_VALUE; an empty cell is kept as null; `-0` reads as 0;
 * - categorical feature: a cell longer than MAX_CATEGORY_LENGTH; the value is the trimmed text
 *   as written ("3" and "03" are different categories); an empty cell is kept as null;
 * - label (when in play): empty, or neither `positive` nor `negative` (labelReader);
 * - time: empty, not ISO 8601, or an impossible date (isoTimeMs).
 *
 * Header: required; names trimmed and matched case-insensitively; order free; extra columns
 * ignored (listed in `ignoredColumns`; unnamed ones, e.g. from trailing commas, are dropped from
 * `raw`). Records whose cells are all empty are skipped and not counted. A UTF-8 BOM, CRLF / LF /
 * CR line endings (mixed too), quoted fields with commas, quotes and newlines all work. Row
 * numbers are file lines where the record starts.
 *
 * Cost: O(size of the input); the per-column readers are built once from the schema.
 *
 * @example
 * // schema: id "client", features amount (numeric) and region (categorical), label "churned" (positive "yes")
 * parseSchemaCsv("client,amount,region,churned\nabcd,10,north,no\n", { schema, label: "required" })
 * // → { rowsRead: 1, rows: [{ row: 2, id: "abcd", values: [10, "north"], label: 0, time: null, key: '["abcd",10,"north",0]', raw: {…} }], … }
 */
export function parseSchemaCsv(input: string | Buffer | Uint8Array, opts: SchemaCsvOptions): ParsedSchemaCsv {
  const rows: ParsedSchemaCsv["rows"] = [];
  const rejected: RejectedRowInfo[] = [];
  const reader = new SchemaCsvReader(opts, {
    onRow: (row, fields, header) => rows.push({ ...row, raw: rawRecord(fields, header) }),
    onRejected: (r) => rejected.push(r),
  });
  readCsvRecords(input, reader.records.record);
  return { ...reader.finish(), rows, rejected };
}

export interface SchemaCsvHandlers {
  /** called for each valid row, in file order, synchronously inside the parser */
  onRow: (row: SchemaRow) => void;
  onRejected: (row: RejectedRowInfo) => void;
}

/**
 * The streaming twin of parseSchemaCsv, for files of any size: the same checks, row numbers and
 * errors, with memory bounded by one chunk and one record; rows go to `onRow` as they are read
 * (without `raw`: building it for every row is the costly part). See csv-text.ts
 * streamCsvRecords for `reread` (exact lines of syntax errors) and `noQuotes` (the fast
 * splitter). Rows already handed over before an error are the caller's to discard.
 */
export async function streamSchemaCsv(
  source: AsyncIterable<Buffer | Uint8Array> | Iterable<Buffer | Uint8Array>,
  opts: SchemaCsvOptions & StreamCsvOptions,
  handlers: SchemaCsvHandlers,
): Promise<SchemaCsvSummary> {
  const reader = new SchemaCsvReader(opts, { onRow: (row) => handlers.onRow(row), onRejected: handlers.onRejected });
  await streamCsvRecords(source, opts, reader.records.record);
  return reader.finish();
}

/** What a piece of a file gave (streamSchemaPiece): the file's summary is the sum of its pieces'. */
export interface SchemaPieceSummary {
  /** the piece's lines (its last record's line: a piece ends after a line break) */
  lines: number;
  rowsRead: number;
  /** empty cells per column in play (SchemaHeader.inPlay order: id, features, label in play, time) */
  emptyCounts: number[];
  /** the piece's first header or field-count problem, held back as HeaderedRecords holds it */
  error: AppError | null;
  /** the header's columns in play (names, in emptyCounts order) and its extra columns; empty when no header was read */
  inPlay: string[];
  ignoredColumns: string[];
}

/**
 * streamSchemaCsv for one piece of a file (lib/ingestion/csv-pieces.ts splits a large file into
 * pieces of whole lines, parsed side by side): `header` is the file's header record when the piece
 * does not start the file (null: it does, and reads the header itself). Rows are numbered from the
 * piece's first line (the caller shifts them by the lines before). The checks are the file's,
 * except the whole-file ones (no data rows), which the caller makes over all pieces.
 */
export async function streamSchemaPiece(
  source: AsyncIterable<Buffer | Uint8Array> | Iterable<Buffer | Uint8Array>,
  opts: SchemaCsvOptions & StreamCsvOptions & { header: string[] | null },
  handlers: SchemaCsvHandlers,
): Promise<SchemaPieceSummary> {
  const reader = new SchemaCsvReader(opts, { onRow: (row) => handlers.onRow(row), onRejected: handlers.onRejected });
  if (opts.header) reader.records.useHeader(opts.header);
  await streamCsvRecords(source, opts, reader.records.record);
  return reader.finishPiece();
}

// ---------------------------------------------------------------------------------------------
// Reader

/** Where the schema's columns sit in the records, found once from the header (-1: not read). */
interface SchemaHeader {
  idIndex: number;
  /** per schema feature, in schema order */
  featureIndex: number[];
  /** -1 when labels are not in play */
  labelIndex: number;
  timeIndex: number;
  /** the columns counted in missingByColumn: schema name and field index, in schema order */
  inPlay: [string, number][];
  /** the columns kept in `raw`: schema columns by schema name (an ignored label too), then extra named columns by header */
  shownColumns: [string, number][];
  ignoredColumns: string[];
}

/**
 * Validation and missing-cell counts for records handed in one at a time (HeaderedRecords does
 * the header, field counts and blank records): the part parseSchemaCsv and streamSchemaCsv share.
 */
class SchemaCsvReader {
  private readonly schema: DataSchema;
  private readonly featureNames: string[];
  private readonly read: CellReaders;
  private emptyCounts: number[] = [];
  readonly records = new HeaderedRecords<SchemaHeader>(
    (fields) => this.start(fields),
    (fields, line, header) => this.accept(fields, line, header),
  );

  constructor(
    private readonly opts: SchemaCsvOptions,
    private readonly out: {
      onRow: (row: SchemaRow, fields: readonly string[], header: SchemaHeader) => void;
      onRejected: (row: RejectedRowInfo) => void;
    },
  ) {
    this.schema = opts.schema;
    this.featureNames = opts.schema.features.map((f) => f.name);
    this.read = cellReaders(opts.schema);
  }

  private start(fields: string[]): SchemaHeader {
    const header = readHeader(fields, this.schema, this.opts.label);
    this.emptyCounts = header.inPlay.map(() => 0);
    return header;
  }

  /** Reads a data record in schema column order, building the row's key as it goes; the first problem rejects it. */
  private accept(fields: string[], line: number, h: SchemaHeader): void {
    const read = this.read;
    let key = "[";
    let id: string | null = null;
    if (h.idIndex >= 0) {
      const v = read.id(fields[h.idIndex]);
      if (v instanceof Problem) return this.reject(fields, line, h, this.schema.id, v);
      id = v;
      key += `${JSON.stringify(v)},`;
    }
    const values: CellValue[] = [];
    for (let j = 0; j < read.features.length; j++) {
      const cell = fields[h.featureIndex[j]];
      const v = read.features[j](cell);
      if (v instanceof Problem) return this.reject(fields, line, h, this.featureNames[j], v);
      values.push(v);
      key += `${keyText(v, cell)},`;
    }
    let label: 0 | 1 | null = null;
    if (h.labelIndex >= 0) {
      const v = read.label(fields[h.labelIndex]);
      if (v instanceof Problem) return this.reject(fields, line, h, this.schema.label, v);
      label = v;
    }
    key += String(label);
    let time: number | null = null;
    if (h.timeIndex >= 0) {
      const v = read.time(fields[h.timeIndex]);
      if (v instanceof Problem) return this.reject(fields, line, h, this.schema.time, v);
      time = v;
      key += `,${v}`;
    }
    // A valid row's only empty cells are its null features (an empty id, label or time rejects it).
    const first = h.idIndex >= 0 ? 1 : 0;
    for (let j = 0; j < values.length; j++) if (values[j] === null) this.emptyCounts[first + j]++;
    this.out.onRow({ row: line, id, values, label, time, key: `${key}]` }, fields, h);
  }

  private reject(fields: readonly string[], line: number, h: SchemaHeader, column: string | null, p: Problem): void {
    const inPlay = h.inPlay;
    for (let c = 0; c < inPlay.length; c++) if (fields[inPlay[c][1]].trim() === "") this.emptyCounts[c]++;
    this.out.onRejected({ row: line, column, problem: p.text, raw: rawRecord(fields, h) });
  }

  finishPiece(): SchemaPieceSummary {
    const { header, lines, rowsRead, error } = this.records.finishPiece();
    return { lines, rowsRead, emptyCounts: this.emptyCounts, error, inPlay: header?.inPlay.map(([name]) => name) ?? [], ignoredColumns: header?.ignoredColumns ?? [] };
  }

  finish(): SchemaCsvSummary {
    const { header, rowsRead } = this.records.finish();
    const missingByColumn = Object.fromEntries(header.inPlay.map(([name], c) => [name, this.emptyCounts[c] / rowsRead]));
    return { rowsRead, missingByColumn, hasLabel: header.labelIndex >= 0, ignoredColumns: header.ignoredColumns };
  }
}

function readHeader(fields: readonly string[], schema: DataSchema, mode: LabelMode): SchemaHeader {
  const columns = headerColumns(fields);
  const at = (name: string | null) => (name === null ? -1 : (columns.seen.get(name.toLowerCase()) ?? -1));
  const featureNames = schema.features.map((f) => f.name);
  // The time column may be left out of a whole file (issue 18): its rows are then about the time they
  // arrive (the file's period is its ingestion time, as for data without a time column). A file that
  // has the column must fill it in every row.
  const required = [...(schema.id !== null ? [schema.id] : []), ...featureNames, ...(mode === "required" ? [schema.label] : [])];
  requireColumns(columns, required, (missing) =>
    missing.includes(schema.label) ? ` Labelled data (${schema.label} = ${schema.negative} or ${schema.positive}) is required here.` : "",
  );

  const labelAt = at(schema.label);
  const labelIndex = mode === "forbidden-ignored" ? -1 : labelAt;
  const schemaColumns: [string, number][] = [];
  if (schema.id !== null) schemaColumns.push([schema.id, at(schema.id)]);
  for (const name of featureNames) schemaColumns.push([name, at(name)]);
  const labelColumn: [string, number][] = labelAt >= 0 ? [[schema.label, labelAt]] : [];
  const timeColumn: [string, number][] = schema.time !== null && at(schema.time) >= 0 ? [[schema.time, at(schema.time)]] : [];

  const taken = new Set([...schemaColumns, ...labelColumn, ...timeColumn].map(([, i]) => i));
  const extras: [string, number][] = [];
  columns.names.forEach((name, i) => {
    if (name !== "" && !taken.has(i)) extras.push([name, i]);
  });
  return {
    idIndex: at(schema.id),
    featureIndex: featureNames.map(at),
    labelIndex,
    timeIndex: at(schema.time),
    inPlay: [...schemaColumns, ...(labelIndex >= 0 ? labelColumn : []), ...timeColumn],
    shownColumns: [...schemaColumns, ...labelColumn, ...timeColumn, ...extras],
    ignoredColumns: extras.map(([name]) => name),
  };
}

/** The record as read, each cell cut to 100 characters (a quarantined row of a 10 MB cell stays small). */
function rawRecord(fields: readonly string[], header: SchemaHeader): Record<string, string> {
  const raw: Record<string, string> = {};
  for (const [name, i] of header.shownColumns) raw[name] = bounded(fields[i]);
  return raw;
}

// The key is JSON.stringify([id, ...values, label, time]) written out piece by piece: the array and
// the number-to-text conversions were a quarter of the reading time of a million rows.
const KEY_DECIMAL = /^-?(?:0|[1-9]\d*)(?:\.\d*[1-9])?$/;
const BELOW_1E_6 = /^-?0\.000000/;

/**
 * A value as JSON.stringify writes it. A number's text is Number#toString's; for a non-integer
 * that is the cell's own text when the cell is written canonically (no `+`, no leading or trailing
 * zeros, no exponent), has at most 15 significant digits (so it names its double exactly: DBL_DIG
 * is 15) and is at least 1e-6 in magnitude (below that toString writes an exponent); the
 * conversion, the costly part, is then skipped. The fuzz test checks this against JSON.stringify.
 */
function keyText(v: CellValue, cell: string): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (v === null) return "null";
  if ((v | 0) === v) return String(v);
  const s = cell.trim();
  return s.length <= 15 && KEY_DECIMAL.test(s) && !BELOW_1E_6.test(s) ? s : String(v);
}

// ---------------------------------------------------------------------------------------------
// Cells

/** A cell's problem, as a cell reader returns it (allocated only for rejected rows). */
class Problem {
  constructor(readonly text: string) {}
}

interface CellReaders {
  id: (cell: string) => string | Problem;
  features: ((cell: string) => CellValue | Problem)[];
  label: (cell: string) => 0 | 1 | Problem;
  time: (cell: string) => number | Problem;
}

/** One reader per schema column, built once per file so a row costs only the checks its cells need. */
function cellReaders(schema: DataSchema): CellReaders {
  return {
    id: readId,
    features: schema.features.map((f) => (f.type === "numeric" ? numericReader(f) : readCategory)),
    label: labelReader(schema),
    time: readTime,
  };
}

function readId(cell: string): string | Problem {
  const id = cell.trim();
  if (id === "") return new Problem("must not be empty");
  if (id.length > MAX_ID_LENGTH) return new Problem(`is too long: ${shown(id)} (at most ${MAX_ID_LENGTH} characters)`);
  return id;
}

/**
 * A numeric feature's reader: plainNumber, then the schema's inclusive bounds (a `min` of 0 keeps
 * the wording `must not be negative`), then ±MAX_FEATURE_VALUE, beyond which squares and sums of
 * the statistics would overflow.
 */
function numericReader(f: NumericFeature): (cell: string) => number | null | Problem {
  const { min, max } = f;
  const below = min === 0 ? "must not be negative" : `must be at least ${min}`;
  return (cell) => {
    const n = plainNumber(cell);
    if (n === null) return null;
    if (typeof n === "string") return new Problem(n);
    if (min !== null && n < min) return new Problem(`${below}: ${shown(cell)}`);
    if (max !== null && n > max) return new Problem(`must be at most ${max}: ${shown(cell)}`);
    if (n > MAX_FEATURE_VALUE) return new Problem(`is too large: ${shown(cell)} (at most ${MAX_FEATURE_VALUE.toExponential()}; check the unit or the export)`);
    if (n < -MAX_FEATURE_VALUE) return new Problem(`is too small: ${shown(cell)} (at least -${MAX_FEATURE_VALUE.toExponential()}; check the unit or the export)`);
    return n === 0 ? 0 : n; // -0 → 0
  };
}

/** Longest category text accepted: categories are short codes or words; a longer cell is a broken export. */
const MAX_CATEGORY_LENGTH = 200;

function readCategory(cell: string): string | null | Problem {
  const s = cell.trim();
  if (s === "") return null;
  if (s.length > MAX_CATEGORY_LENGTH) return new Problem(`is too long for a category: ${shown(s)} (at most ${MAX_CATEGORY_LENGTH} characters)`);
  return s;
}

/**
 * The label reader: 1 when the trimmed cell is `positive`, 0 when it is `negative`. Text compares
 * case-insensitively ("Yes" is "yes"); when the cell and the schema value are both plain decimal
 * numbers they compare as numbers, so "1.0" is "1" (pandas writes an integer column with gaps as
 * floats). Empty or a third value: a problem, naming the two accepted values.
 */
function labelReader(schema: DataSchema): (cell: string) => 0 | 1 | Problem {
  const { positive, negative } = schema;
  const expected = `${negative} or ${positive}`;
  const isPositive = labelMatcher(positive);
  const isNegative = labelMatcher(negative);
  return (cell) => {
    const s = cell.trim();
    if (s === positive) return 1;
    if (s === negative) return 0;
    if (s === "") return new Problem(`label is missing (must be ${expected})`);
    if (isPositive(s)) return 1;
    if (isNegative(s)) return 0;
    return new Problem(`must be ${expected}, got ${shown(cell)}`);
  };
}

function labelMatcher(value: string): (s: string) => boolean {
  if (isPlainNumber(value)) {
    const n = Number(value);
    return (s) => isPlainNumber(s) && Number(s) === n;
  }
  const lower = value.toLowerCase();
  return (s) => s.toLowerCase() === lower;
}

// ---------------------------------------------------------------------------------------------
// Time

const TIME_FORMS = "YYYY-MM-DD, or YYYY-MM-DDTHH:MM:SS with an optional Z or ±HH:MM";

/** The last time text read and its value: a file's rows mostly repeat their period's date. */
let lastTime = { text: "", ms: NaN };

function readTime(cell: string): number | Problem {
  const s = cell.trim();
  if (s === "") return new Problem(`time is missing (must be an ISO 8601 date or date-time: ${TIME_FORMS})`);
  if (s === lastTime.text) return lastTime.ms;
  const t = isoTimeMs(s);
  if (t !== null && !Number.isNaN(t)) lastTime = { text: s, ms: t };
  if (t === null) {
    const ambiguous = DAY_MONTH_DATE.test(s) ? "; the order of day and month is ambiguous" : "";
    return new Problem(`not an ISO 8601 date or date-time: ${shown(s)}${ambiguous} (write ${TIME_FORMS})`);
  }
  if (Number.isNaN(t)) return new Problem(`is not a real date or time: ${shown(s)}`);
  return t;
}

/** A time cell as the ingestion reads it: epoch ms, or what is wrong with it (the replay cuts files by period with this). */
export function readTimeCell(cell: string): { ms: number } | { problem: string } {
  const t = readTime(cell);
  return t instanceof Problem ? { problem: t.text } : { ms: t };
}

