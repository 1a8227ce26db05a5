import { createHash } from "node:crypto";
import fs from "node:fs";
import { streamCsvRecords } from "../csv/csv-text";
import { streamSchemaPiece, type LabelMode, type RejectedRowInfo } from "../csv/parse-schema-csv";
import { RowsCollector, type ParsedRows } from "../db/parsed-rows";
import { AppError, type ErrorDetail } from "../errors";
import type { DataSchema } from "../schema/types";

/*
 * A training file read in pieces. The first pass over the bytes (the sha256 the ledger needs)
 * also notes whether the file holds a quote character and where its lines are; a large file
 * without quotes is cut, at line breaks, into pieces of about INGEST_PIECE_BYTES, each parsed on
 * its own (lib/ingestion/parse-pool.ts runs them on worker threads, side by side) into chunks of
 * columns with hashed row keys (lib/db/parsed-rows.ts). The pieces' chunks are handed on in file
 * order, so what the storing thread sees is what one reader of the whole file would hand it.
 * A file with quotes (a quoted field may hold a line break) is one piece, read by csv-parse.
 */

/** Where a file's bytes come from: an upload in memory, or a file on disk read as a stream. */
export type CsvSource = { content: Buffer | Uint8Array } | { path: string };

/**
 * Whole lines of a file: bytes start..end. A piece's rows are numbered from its own first line;
 * the reader of the pieces shifts them by the lines of the pieces before (each piece says how
 * many it had), so no pass has to count a file's lines before it is parsed.
 */
export interface PieceRange {
  start: number;
  end: number;
}

/** What the first pass found: the content hash, whether any `"` occurs, and the pieces. */
export interface PreparedSource {
  sha256: string;
  quoted: boolean;
  size: number;
  pieces: PieceRange[];
  /** the header record (for pieces after the first); null with one piece */
  header: string[] | null;
}

/** One piece's parsing, as plain data (it crosses to a worker thread). */
export interface PieceTask {
  source: { path: string } | { bytes: Uint8Array };
  range: PieceRange;
  /** not the file's first piece (no byte-order mark at its start) */
  midFile: boolean;
  header: string[] | null;
  quoted: boolean;
  schema: DataSchema;
  label: LabelMode;
  chunkRows: number;
}

/** A piece's messages, in order: chunks of rows with the rejected rows met since the last, then its end. */
export type PieceMessage =
  | { type: "rows"; rows: ParsedRows | null; rejected: RejectedRowInfo[] }
  | { type: "end"; lines: number; rowsRead: number; emptyCounts: number[]; inPlay: string[]; ignoredColumns: string[]; held: SentError | null }
  | { type: "failed"; error: SentError };

/** An AppError as data (worker threads lose the class). */
export interface SentError {
  code: AppError["code"];
  message: string;
  details?: ErrorDetail[];
}

const CHUNK_BYTES = 1 << 20;
export const CHUNK_ROWS = 32_768;

/** Bytes per piece (INGEST_PIECE_BYTES, default 2 MiB: small enough that two threads share a file of a few MB); read at each use so a test can set it. */
function pieceBytes(): number {
  const n = Number(process.env.INGEST_PIECE_BYTES ?? "");
  return Number.isInteger(n) && n > 0 ? n : 2 << 20;
}

export function chunksOf(source: CsvSource, start = 0, end?: number): Iterable<Buffer> | AsyncIterable<Buffer> {
  if ("path" in source) {
    if (end !== undefined && end <= start) return [];
    return fs.createReadStream(source.path, { highWaterMark: CHUNK_BYTES, start, end: end === undefined ? undefined : end - 1 }) as AsyncIterable<Buffer>;
  }
  const all = Buffer.isBuffer(source.content) ? source.content : Buffer.from(source.content.buffer, source.content.byteOffset, source.content.byteLength);
  const buf = all.subarray(start, end ?? all.length);
  return (function* () {
    for (let i = 0; i < buf.length; i += CHUNK_BYTES) yield buf.subarray(i, i + CHUNK_BYTES);
  })();
}

export function wholeContent(source: CsvSource): Buffer | Uint8Array {
  return "path" in source ? fs.readFileSync(source.path) : source.content;
}

/**
 * The first pass: sha256, quote character, and the piece boundaries — the first line feed at or
 * after every INGEST_PIECE_BYTES (a byte search, not a count of the lines). One piece when the
 * file has quotes (a line break may sit inside a field) or a carriage return that is not part of
 * a CRLF (a line break that a cut after a line feed would not see).
 */
export async function prepareSource(source: CsvSource, { split = true }: { split?: boolean } = {}): Promise<PreparedSource> {
  const hash = createHash("sha256");
  const target = pieceBytes();
  const cuts = [0];
  let quoted = false;
  let offset = 0;
  let loneCr = false;
  let prevCr = false;
  for await (const chunk of chunksOf(source)) {
    hash.update(chunk);
    quoted ||= chunk.includes(0x22);
    if (split) {
      if (prevCr && chunk[0] !== 0x0a) loneCr = true;
      for (let i = chunk.indexOf(0x0d); i !== -1 && !loneCr; i = chunk.indexOf(0x0d, i + 1)) if (i + 1 < chunk.length && chunk[i + 1] !== 0x0a) loneCr = true;
      prevCr = chunk[chunk.length - 1] === 0x0d;
      for (let next = cuts[cuts.length - 1] + target; next < offset + chunk.length; next = cuts[cuts.length - 1] + target) {
        const lf = chunk.indexOf(0x0a, Math.max(0, next - offset));
        if (lf === -1) break;
        cuts.push(offset + lf + 1);
      }
    }
    offset += chunk.length;
  }
  if (prevCr) loneCr = true;
  // The last cut may fall at the very end (the file ends with a line feed): that piece would be empty.
  if (cuts.length > 1 && cuts[cuts.length - 1] >= offset) cuts.pop();
  const whole = [{ start: 0, end: offset }];
  const pieces = quoted || loneCr ? whole : cuts.map((start, k) => ({ start, end: k + 1 < cuts.length ? cuts[k + 1] : offset }));
  const header = pieces.length > 1 ? await headerRecord(source, pieces[0].end) : null;
  return { sha256: hash.digest("hex"), quoted, size: offset, pieces: header === null ? whole : pieces, header };
}

/**
 * The file's header (its first non-blank record), read from the file's first 64 KiB, for the
 * later pieces; null when it is not there or cannot be read (not UTF-8, NUL bytes): the file is
 * then one piece, whose reader reports the problem as it would for any file.
 */
async function headerRecord(source: CsvSource, end: number): Promise<string[] | null> {
  const parts: Buffer[] = [];
  for await (const chunk of chunksOf(source, 0, Math.min(end, 64 << 10))) parts.push(chunk);
  const head = Buffer.concat(parts);
  // Line by line up to the first non-blank one (blank lines before a header are skipped, as by the reader).
  for (let start = 0; start < head.length; ) {
    const lf = head.indexOf(0x0a, start);
    if (lf === -1) return null;
    let header: string[] | null = null;
    try {
      await streamCsvRecords([head.subarray(start, lf + 1)], { noQuotes: true, midFile: start > 0 }, (fields) => {
        if (fields.some((f) => f.trim() !== "")) header = fields;
      });
    } catch {
      return null;
    }
    if (header) return header;
    start = lf + 1;
  }
  return null;
}

/** The parse of one piece into chunks of columns; `post` gets its messages in order (the last is `end` or `failed`). Runs on any thread. */
export async function parsePiece(task: PieceTask, post: (m: PieceMessage) => void): Promise<void> {
  const { source, range, schema } = task;
  let rejected: RejectedRowInfo[] = [];
  const collector = new RowsCollector(schema, task.chunkRows, (rows) => {
    post({ type: "rows", rows, rejected });
    rejected = [];
  });
  const csv: CsvSource = "path" in source ? source : { content: source.bytes };
  try {
    const summary = await streamSchemaPiece(
      chunksOf(csv, range.start, range.end),
      {
        schema,
        label: task.label,
        header: task.header,
        noQuotes: !task.quoted,
        midFile: task.midFile,
        reread: () => wholeContent(csv),
      },
      { onRow: (r) => collector.add(r), onRejected: (r) => void rejected.push(r) },
    );
    collector.flush();
    if (rejected.length) post({ type: "rows", rows: null, rejected });
    post({ type: "end", lines: summary.lines, rowsRead: summary.rowsRead, emptyCounts: summary.emptyCounts, inPlay: summary.inPlay, ignoredColumns: summary.ignoredColumns, held: summary.error ? sent(summary.error) : null });
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    post({ type: "failed", error: sent(e) });
  }
}

export function sent(e: AppError): SentError {
  return { code: e.code, message: e.message, details: e.details };
}

