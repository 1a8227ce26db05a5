import fs from "node:fs";
import { isoTimeMs } from "../time/periods";
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { CsvError, parse as parseStream, type InfoRecord } from "csv-parse";
import { AppError } from "../errors";
import { MAX_NAME_LENGTH, isPlainDecimal, parseSchema, schemaFileForm } from "./parse";
import type { DataSchema, FeatureSpec } from "./types";

/**
 * Proposes a schema from a CSV (`npm run pipeline -- schema infer FILE.csv --label COL`); a person
 * confirms it. Declared types win: inference only proposes, and every column's decision comes with
 * its reason (the column report a set-up page shows).
 *
 * Rules, after Evidently's column inference (DataDefinition) and its users' complaints (see
 * shared/notes/peers-schema.md):
 * - Cells are trimmed; an empty cell is missing. `missing` is the share of empty cells.
 * - A column whose non-empty cells are all plain decimal numbers is numeric, unless it has
 *   10 or fewer distinct values: then it is categorical (codes and flags, such as 0/1 or 1–5).
 *   A numeric column whose values are all ≥ 0 gets `min: 0` (no maximum is proposed).
 * - A text column of ISO dates (YYYY-MM, YYYY-MM-DD, optionally with a time) is never a feature: it is left
 *   out, with a note suggesting `--time NAME`. The schema's `time` is set only by `--time`.
 * - A numeric column of 4-digit years (1800–2199) stays a feature candidate by the number rules;
 *   a note says it could be the time column instead (`--time NAME`).
 * - A text column with more distinct values than half its non-empty cells, or over 10,000 distinct
 *   values, is free text (ids, names, comments) and left out.
 * - Any other text column is categorical.
 * - A column with every cell empty is left out, with a note.
 * - The label (`--label`) must have exactly two distinct non-empty values (compared as the label
 *   reader does: case-insensitively, numbers as numbers). The positive value (counted as 1) is
 *   `--positive`; else "1" when the values are 0 and 1 (also written 0.0 / 1.0); else the value
 *   "true", "yes" or "y" (any case); else it must be given with `--positive`. The other is negative.
 * - `--id` and `--time` must name columns of the file; a `--time` column must hold ISO dates or
 *   4-digit years. Without `--id` the schema's id is null (rows are then deduplicated by their whole
 *   content); a text column whose values are all distinct is suggested as the id in a note.
 * - Header names are matched case-insensitively (as the CSV readers do), so two columns whose names
 *   differ only in case are an error; a column without a header name is left out.
 *
 * The whole file is read, streaming: memory holds, per column, at most 10,001 distinct values and
 * their counts (distinct counts are exact up to 10,000, then reported as "10000+"), never the rows.
 */

export type ColumnRole = "id" | "label" | "time" | "feature" | "ignored";
export type ColumnType = "numeric" | "categorical" | "text" | "empty" | "time";

export interface ColumnReport {
  name: string;
  role: ColumnRole;
  /** what the values look like; null for the id and the label */
  type: ColumnType | null;
  /** distinct non-empty values, exact up to 10,000 */
  distinct: number;
  /** true when there are more than 10,000 distinct values (`distinct` then says 10,000) */
  distinctCapped: boolean;
  /** share (0–1) of empty cells */
  missing: number;
  /** up to 5 distinct non-empty values, in order of first appearance */
  sample: string[];
  /** why the column got its role and type, in words */
  reason: string;
}

export interface InferredSchema {
  schema: DataSchema;
  columns: ColumnReport[];
  notes: string[];
  /** data rows read (records whose cells are all empty are skipped, as the ingestion does) */
  rows: number;
}

export interface InferOptions {
  label: string;
  id?: string;
  time?: string;
  positive?: string;
  /** the file's name in messages (default "the CSV") */
  name?: string;
}

export type InferSource = AsyncIterable<Buffer | Uint8Array> | Buffer | string;

const DISTINCT_CAP = 10_000;
const MAX_CODES = 10;
const YEAR = /^\d{4}$/;
/** An ISO 8601 month, date or date-time the ingestion reads as a time (lib/time/periods.ts isoTimeMs); a bare year is YEAR. */
function isIsoDate(cell: string): boolean {
  if (YEAR.test(cell)) return false;
  const ms = isoTimeMs(cell);
  return ms !== null && !Number.isNaN(ms);
}

/** Per-column tallies, bounded: the counts of at most DISTINCT_CAP + 1 distinct values. */
class ColumnStats {
  empty = 0;
  nonEmpty = 0;
  readonly counts = new Map<string, number>();
  numbers = 0;
  dates = 0;
  years = 0;
  min = Infinity;
  max = -Infinity;
  readonly notNumbers: string[] = [];

  add(cell: string): void {
    if (cell === "") {
      this.empty++;
      return;
    }
    this.nonEmpty++;
    const c = this.counts.get(cell);
    if (c !== undefined) this.counts.set(cell, c + 1);
    else if (this.counts.size <= DISTINCT_CAP) this.counts.set(cell, 1);
    if (isPlainDecimal(cell)) {
      this.numbers++;
      const n = Number(cell);
      if (n < this.min) this.min = n;
      if (n > this.max) this.max = n;
      if (YEAR.test(cell)) this.years++;
    } else {
      if (isIsoDate(cell)) this.dates++;
      if (this.notNumbers.length < 3 && !this.notNumbers.includes(cell)) this.notNumbers.push(cell);
    }
  }

  get capped(): boolean {
    return this.counts.size > DISTINCT_CAP;
  }

  get distinct(): number {
    return Math.min(this.counts.size, DISTINCT_CAP);
  }

  sample(k = 5): string[] {
    const out: string[] = [];
    for (const v of this.counts.keys()) {
      if (out.length >= k) break;
      out.push(v);
    }
    return out;
  }
}

interface Scan {
  header: string[];
  stats: ColumnStats[];
  rows: number;
}

function notText(name: string, why: string): AppError {
  return new AppError("unsupported_media_type:csv", `${name} is not a UTF-8 CSV file: ${why}`);
}

/** Refuses UTF-16 and binary input on the first chunk (csv-parse would read it as garbage). */
async function* checkedBytes(source: InferSource, name: string): AsyncGenerator<Buffer> {
  const chunks: AsyncIterable<Buffer | Uint8Array> | Iterable<Buffer | Uint8Array> = typeof source === "string" ? [Buffer.from(source)] : Buffer.isBuffer(source) ? [source] : source;
  let first = true;
  for await (const chunk of chunks) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (first && buf.length > 0) {
      if ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff)) throw notText(name, "it is UTF-16 encoded");
      if (buf.subarray(0, 65_536).includes(0)) throw notText(name, "it contains NUL bytes (a binary file?)");
      first = false;
    }
    yield buf;
  }
}

/** Reads the CSV once, tallying every column; `onHeader` checks the header before any row is read. */
async function scanCsv(source: InferSource, name: string, onHeader: (header: string[]) => void): Promise<Scan> {
  const scan: Scan = { header: [], stats: [], rows: 0 };
  const onRecord = (fields: string[], info: InfoRecord): null => {
    if (scan.stats.length === 0) {
      scan.header = fields;
      onHeader(fields);
      scan.stats = fields.map(() => new ColumnStats());
      return null;
    }
    if (fields.every((f) => f === "")) return null;
    if (fields.length !== scan.header.length) {
      throw new AppError("bad_request:csv", `${name}: line ${info.lines}: ${fields.length} fields, but the header has ${scan.header.length}`);
    }
    scan.rows++;
    for (let i = 0; i < fields.length; i++) scan.stats[i].add(fields[i]);
    return null;
  };
  const parser = parseStream({ bom: true, trim: true, skip_empty_lines: true, relax_column_count: true, record_delimiter: ["\r\n", "\n", "\r"], on_record: onRecord });
  try {
    // on_record keeps nothing, so the parser emits no records: the last stage only ends the pipeline
    await pipeline(Readable.from(checkedBytes(source, name)), parser, new Writable({ objectMode: true, write: (_r, _e, done) => done() }));
  } catch (e) {
    if (e instanceof CsvError) throw new AppError("bad_request:csv", `${name}: line ${e.lines}: ${e.message}`);
    throw e;
  }
  if (scan.stats.length === 0) throw new AppError("unprocessable:csv", `${name} is empty: a header line is required`);
  if (scan.rows === 0) throw new AppError("unprocessable:csv", `${name} has no data rows`);
  return scan;
}

const quoted = (vs: readonly string[]) => vs.map((v) => JSON.stringify(v)).join(", ");

/** Where each option's column is in the header (matched case-insensitively); throws on a missing one or on names that differ only in case. */
function locateColumns(header: string[], opts: Pick<InferOptions, "id" | "time"> & { label?: string }, name: string): Map<string, number> {
  const byKey = new Map<string, number>();
  header.forEach((h, i) => {
    if (h === "") return;
    const key = h.toLowerCase();
    const j = byKey.get(key);
    if (j !== undefined) {
      throw new AppError("unprocessable:schema", `${name}: columns "${header[j]}" and "${h}" differ only in case; the CSV header is matched case-insensitively, rename one`);
    }
    byKey.set(key, i);
  });
  const roles = new Map<string, number>();
  for (const [flag, col] of [["label", opts.label], ["id", opts.id], ["time", opts.time]] as const) {
    if (col === undefined) continue;
    const i = byKey.get(col.trim().toLowerCase());
    if (i === undefined) {
      throw new AppError("bad_request:schema", `${name}: --${flag} "${col}" is not a column; the columns are ${quoted(header.filter((h) => h !== ""))}`);
    }
    const taken = [...roles].find(([, j]) => j === i);
    if (taken) throw new AppError("bad_request:schema", `${name}: --${flag} and --${taken[0]} both name column "${header[i]}"`);
    roles.set(flag, i);
  }
  return roles;
}

/**
 * Reads the whole CSV (streaming) and proposes a schema with a report on every column; the rules
 * are in this module's doc comment. Throws AppError: `bad_request:schema` when --label, --id or
 * --time names no column (the message lists the columns) or --positive is not a label value;
 * `unprocessable:schema` when the label is not binary, the positive value cannot be chosen, two
 * header names differ only in case, a --time column holds other values, or no column can be a
 * feature; `bad_request:csv` / `unprocessable:csv` / `unsupported_media_type:csv` for a broken,
 * empty or non-UTF-8 file.
 */
export async function inferSchema(source: InferSource, opts: InferOptions): Promise<InferredSchema> {
  const r = await inspectColumns(source, opts);
  if (r.problems.length > 0 || r.schema === null) throw r.problems[0];
  return { schema: r.schema, columns: r.columns, notes: r.notes, rows: r.rows };
}

/** What inspectColumns found: the column report even when no schema can be proposed, and why not. */
export interface ColumnInspection {
  columns: ColumnReport[];
  notes: string[];
  rows: number;
  /** the label column: the one named, else a proposed one (proposeLabel), else null */
  label: string | null;
  /** true when the label was not named but proposed from the column names (a two-valued label/target/churn/exited/y column) */
  labelProposed: boolean;
  /** the label's distinct values (grouped as the label reader compares them) with their counts, most frequent first; [] without a label */
  labelValues: { value: string; count: number }[];
  /** the proposal; null when a problem stops it (or no label is named) */
  schema: DataSchema | null;
  /** why no schema can be proposed, in the order inferSchema throws them: the label, the time column, no feature */
  problems: AppError[];
}

/** Column names a label is proposed from (with exactly two distinct values). */
const LABEL_NAME = /^(?:.*[_ -])?(?:label|target|churn|churned|exited|exit|y|outcome|class)$/i;

/**
 * inferSchema that reports instead of throwing what a person can fix by choosing other columns (the
 * set-up page): a label that is not binary, a time column that holds other values, no feature. A
 * broken file or a named column that does not exist still throws (as inferSchema does). Without
 * `label` and with `proposeLabel`, a two-valued column whose name looks like a label is taken.
 */
export async function inspectColumns(source: InferSource, opts: Omit<InferOptions, "label"> & { label?: string; proposeLabel?: boolean }): Promise<ColumnInspection> {
  const name = opts.name ?? "the CSV";
  let roles = new Map<string, number>();
  const scan = await scanCsv(source, name, (header) => {
    roles = locateColumns(header, opts, name);
  });
  const labelProposed = !roles.has("label") && opts.proposeLabel === true && proposeLabel(scan, roles);
  const problems: AppError[] = [];
  const notes: string[] = [];
  const labelIndex = roles.get("label");
  const label = labelIndex === undefined ? null : attempt(() => labelValues(scan, labelIndex, opts.positive, name, notes), problems);
  const columns: ColumnReport[] = [];
  const features: FeatureSpec[] = [];
  scan.header.forEach((h, i) => {
    if (h === "") {
      if (scan.stats[i].nonEmpty > 0) notes.push(`column ${i + 1} has no header name: left out`);
      return;
    }
    const role = [...roles].find(([, j]) => j === i)?.[0];
    const decision = role ? roleDecision(role, h, scan.stats[i], label, name, problems) : featureCandidate(h, scan.stats[i]);
    if (decision.spec) features.push(decision.spec);
    if (decision.note) notes.push(decision.note);
    const s = scan.stats[i];
    columns.push({ name: h, role: decision.role, type: decision.type, distinct: s.distinct, distinctCapped: s.capped, missing: s.empty / scan.rows, sample: s.sample(), reason: decision.reason });
  });
  const idIndex = roles.get("id");
  const timeIndex = roles.get("time");
  notes.push(...idNotes(scan, idIndex, columns));
  if (features.length === 0) {
    problems.push(new AppError("unprocessable:schema", `${name}: no column can be a feature: ${columns.map((c) => `"${c.name}": ${c.reason}`).join("; ")}`));
  }
  const base = { columns, notes, rows: scan.rows, label: labelIndex === undefined ? null : scan.header[labelIndex], labelProposed, labelValues: labelIndex === undefined ? [] : labelCounts(scan.stats[labelIndex]) };
  if (problems.length > 0 || label === null || labelIndex === undefined) return { ...base, schema: null, problems };
  const schema: DataSchema = {
    id: idIndex === undefined ? null : scan.header[idIndex],
    label: scan.header[labelIndex],
    positive: label.positive,
    negative: label.negative,
    time: timeIndex === undefined ? null : scan.header[timeIndex],
    features,
  };
  // the proposal must be a valid schema file as printed (names ≤ 200 characters and the rest)
  return { ...base, schema: parseSchema(schemaFileForm(schema), name), problems };
}

/** `fn()`, or null with its AppError added to `problems`. */
function attempt<T>(fn: () => T, problems: AppError[]): T | null {
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    problems.push(e);
    return null;
  }
}

/** Take the first column named like a label with exactly two distinct values (and no other role) as the label; true when one was found. */
function proposeLabel(scan: Scan, roles: Map<string, number>): boolean {
  const taken = new Set(roles.values());
  const i = scan.header.findIndex((h, j) => !taken.has(j) && LABEL_NAME.test(h) && labelCounts(scan.stats[j]).length === 2 && !scan.stats[j].capped);
  if (i < 0) return false;
  roles.set("label", i);
  return true;
}

/** A column's values grouped as the label reader compares them (most frequent spelling shown), with counts, most frequent first. */
function labelCounts(s: ColumnStats): { value: string; count: number }[] {
  const groups = new Map<string, { value: string; count: number; top: number }>();
  for (const [v, n] of s.counts) {
    const k = labelKey(v);
    const g = groups.get(k);
    if (!g) groups.set(k, { value: v, count: n, top: n });
    else {
      g.count += n;
      if (n > g.top) Object.assign(g, { value: v, top: n });
    }
  }
  return [...groups.values()].map(({ value, count }) => ({ value, count })).sort((a, b) => b.count - a.count);
}

/** The decision for a column an option names; a label or time column that cannot be one is a problem, reported on the column. */
function roleDecision(role: string, h: string, s: ColumnStats, label: LabelValues | null, name: string, problems: AppError[]): Decision {
  if (role === "label" && label === null) return { role: "label", type: null, reason: `the label, but ${problems[0]?.message.replace(`${name}: `, "") ?? "it is not binary"}` };
  const before = problems.length;
  const decision = attempt(() => roleColumn(role, h, s, label!, name), problems);
  return decision ?? { role: "time", type: null, reason: problems[before].message.replace(`${name}: `, "") };
}

/** inferSchema on a file; a path that is not a readable file is `bad_request:schema` naming it. */
export async function inferSchemaFile(path: string, opts: Omit<InferOptions, "name">): Promise<InferredSchema> {
  let isFile = false;
  try {
    isFile = fs.statSync(path).isFile();
  } catch {
    throw new AppError("bad_request:schema", `${path}: there is no such file`);
  }
  if (!isFile) throw new AppError("bad_request:schema", `${path} is not a file`);
  return inferSchema(fs.createReadStream(path, { highWaterMark: 1 << 20 }), { ...opts, name: path });
}

interface Decision {
  role: ColumnRole;
  type: ColumnType | null;
  reason: string;
  spec?: FeatureSpec;
  note?: string;
}

interface LabelValues {
  positive: string;
  negative: string;
}

/** A label value's identity as the label reader compares (lib/schema/parse.ts labelParser). */
const labelKey = (v: string) => (isPlainDecimal(v) ? `#${Number(v)}` : v.toLowerCase());

/** The label's two values and which one counts as 1 (rules in the module comment). */
function labelValues(scan: Scan, index: number, positiveOpt: string | undefined, name: string, notes: string[]): LabelValues {
  const col = scan.header[index];
  const s = scan.stats[index];
  // key → [most frequent spelling, its count]
  const groups = new Map<string, [string, number]>();
  for (const [v, n] of s.counts) {
    const g = groups.get(labelKey(v));
    if (!g || n > g[1]) groups.set(labelKey(v), [v, n]);
  }
  if (groups.size !== 2 || s.capped) {
    const found = [...groups.values()].map(([v]) => v);
    const shownValues = `${quoted(found.slice(0, 5))}${found.length > 5 || s.capped ? ", …" : ""}`;
    throw new AppError("unprocessable:schema", `${name}: the label "${col}" must have exactly two distinct values; found ${s.capped ? "over 10,000" : found.length}${found.length ? `: ${shownValues}` : ""}`);
  }
  if (s.empty > 0) notes.push(`${s.empty} row(s) have no label in "${col}"; the ingestion rejects them`);
  const keys = [...groups.keys()];
  const spelling = (k: string) => groups.get(k)![0];
  const other = (k: string) => spelling(keys.find((x) => x !== k)!);
  if (keys.includes("#0") && keys.includes("#1") && (positiveOpt === undefined || labelKey(positiveOpt.trim()) === "#1")) {
    return { positive: "1", negative: "0" };
  }
  if (positiveOpt !== undefined) {
    const k = labelKey(positiveOpt.trim());
    if (!groups.has(k)) throw new AppError("bad_request:schema", `${name}: --positive "${positiveOpt}" is not a value of the label "${col}"; its values are ${quoted(keys.map(spelling))}`);
    return { positive: spelling(k), negative: other(k) };
  }
  const k = ["true", "yes", "y"].find((x) => groups.has(x));
  if (k === undefined) {
    throw new AppError("unprocessable:schema", `${name}: the label "${col}" has the values ${quoted(keys.map(spelling))}; none is 1, true, yes or y: say which counts as 1 with --positive VALUE`);
  }
  return { positive: spelling(k), negative: other(k) };
}

function roleColumn(role: string, h: string, s: ColumnStats, label: LabelValues, name: string): Decision {
  if (role === "label") return { role: "label", type: null, reason: `the label (--label): "${label.positive}" counts as 1, "${label.negative}" as 0` };
  if (role === "id") return { role: "id", type: null, reason: "the id (--id)" };
  if (s.nonEmpty === 0) throw new AppError("unprocessable:schema", `${name}: --time "${h}" is empty in every row`);
  if (s.dates + s.years !== s.nonEmpty || (s.dates > 0 && s.years > 0)) {
    const bad = [...s.counts.keys()].filter((v) => !isIsoDate(v) && !YEAR.test(v)).slice(0, 3);
    throw new AppError("unprocessable:schema", `${name}: --time "${h}" must hold ISO dates (YYYY-MM or YYYY-MM-DD, optionally with a time) or 4-digit years; found ${quoted(bad.length ? bad : s.sample(3))}`);
  }
  return { role: "time", type: "time", reason: `the time column (--time): ${s.years > 0 ? "years" : "ISO dates"}` };
}

/** A column that no option names: a feature, or left out, with the reason (rules in the module comment). */
function featureCandidate(h: string, s: ColumnStats): Decision {
  if (s.nonEmpty === 0) return { role: "ignored", type: "empty", reason: "every cell is empty: left out", note: `column "${h}" is empty: left out` };
  if (h.length > MAX_NAME_LENGTH) return { role: "ignored", type: null, reason: `the name is longer than ${MAX_NAME_LENGTH} characters: left out` };
  if (s.numbers === s.nonEmpty) return numericCandidate(h, s);
  if (s.dates === s.nonEmpty) {
    return { role: "ignored", type: "time", reason: "ISO dates are never a feature: left out", note: `column "${h}" holds ISO dates: pass --time ${h} to make it the time column` };
  }
  const mostlyNumbers = s.numbers >= 0.9 * s.nonEmpty
    ? `column "${h}" is ${((100 * s.numbers) / s.nonEmpty).toFixed(1)}% numbers but also holds ${quoted(s.notNumbers)}, so it is read as text; clean those cells to make it numeric`
    : undefined;
  if (s.capped || s.distinct > s.nonEmpty / 2) {
    const many = s.capped ? `over ${DISTINCT_CAP.toLocaleString("en")} distinct values` : `${s.distinct} distinct values over ${s.nonEmpty} non-empty cells (more than half)`;
    return { role: "ignored", type: "text", reason: `text with ${many}: free text or an id, left out`, note: mostlyNumbers };
  }
  const spec: FeatureSpec = { name: h, type: "categorical" };
  return { role: "feature", type: "categorical", spec, reason: `text with ${s.distinct} distinct values over ${s.nonEmpty} non-empty cells: categorical`, note: mostlyNumbers };
}

function numericCandidate(h: string, s: ColumnStats): Decision {
  const yearNote =
    s.years === s.nonEmpty && s.min >= 1800 && s.max <= 2199 ? `column "${h}" holds 4-digit years: pass --time ${h} to make it the time column instead of a feature` : undefined;
  if (!s.capped && s.distinct <= MAX_CODES) {
    const spec: FeatureSpec = { name: h, type: "categorical" };
    return { role: "feature", type: "categorical", spec, note: yearNote, reason: `numbers with only ${s.distinct} distinct value(s) (≤ ${MAX_CODES}): categorical codes or flags` };
  }
  const distinct = s.capped ? `over ${DISTINCT_CAP.toLocaleString("en")}` : String(s.distinct);
  const min = s.min >= 0 ? 0 : null;
  const bound = min === 0 ? "all ≥ 0, so min 0" : `unbounded (values down to ${s.min})`;
  const spec: FeatureSpec = { name: h, type: "numeric", min, max: null };
  return { role: "feature", type: "numeric", spec, note: yearNote, reason: `numbers with ${distinct} distinct values (> ${MAX_CODES}): numeric, ${bound}` };
}

/** What to know about the row key: repeated or missing ids, or, without --id, a column that could be one. */
function idNotes(scan: Scan, idIndex: number | undefined, columns: ColumnReport[]): string[] {
  if (idIndex !== undefined) {
    const s = scan.stats[idIndex];
    const out: string[] = [];
    if (s.empty > 0) out.push(`${s.empty} row(s) have no id in "${scan.header[idIndex]}"`);
    if (!s.capped && s.distinct < s.nonEmpty) out.push(`the id "${scan.header[idIndex]}" repeats: ${s.distinct} distinct values over ${s.nonEmpty} rows`);
    return out;
  }
  const candidate = columns.find((c) => c.role === "ignored" && c.type === "text" && !c.distinctCapped && c.missing === 0 && c.distinct === scan.rows);
  return [
    "no --id: the schema's id is null, so rows are deduplicated by their whole content" +
      (candidate ? `; column "${candidate.name}" has a distinct value on every row: pass --id ${candidate.name} if it names the entity` : ""),
  ];
}

/** The column report and notes as a plain-text table (the CLI prints it to stderr). */
export function formatInferenceReport(r: InferredSchema): string {
  const head = ["column", "role", "type", "distinct", "missing", "sample", "reason"];
  const rows = r.columns.map((c) => [
    c.name,
    c.role,
    c.type ?? "",
    c.distinctCapped ? `${c.distinct}+` : String(c.distinct),
    `${(100 * c.missing).toFixed(1)}%`,
    c.sample.slice(0, 3).map((v) => (v.length > 16 ? `${v.slice(0, 15)}…` : v)).join(", "),
    c.reason,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join("  ");
  const notes = r.notes.map((n) => `- ${n}`);
  return [`${r.rows} data rows read`, line(head), ...rows.map(line), ...(notes.length ? ["", "notes:", ...notes] : [])].join("\n") + "\n";
}
