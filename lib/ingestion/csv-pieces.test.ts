import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { parseSchemaCsv, type RejectedRowInfo } from "../csv/parse-schema-csv";
import type { RowSink } from "../db/bulk-ingest";
import type { ParsedRows } from "../db/parsed-rows";
import { hashKey } from "../db/row-keys";
import { AppError } from "../errors";
import { MISSING_LEVEL, type DataSchema } from "../schema/types";
import { prepareSource } from "./csv-pieces";
import { startParse } from "./parse-pool";

/*
 * A file read in pieces (lib/ingestion/csv-pieces.ts), in the ingesting thread or on the parse
 * threads (lib/ingestion/parse-pool.ts), must be the file read whole by parseSchemaCsv: the same
 * valid rows in the same order (values, labels, times, ids and key hashes), the same rejected
 * rows with their file lines, the same counts, and for a file that cannot be used the same error
 * (code and message) — whatever the piece size, line endings, blank lines, quotes or bad bytes.
 */

const SCHEMA: DataSchema = {
  id: "client",
  label: "churned",
  positive: "yes",
  negative: "no",
  time: "day",
  features: [
    { name: "amount", type: "numeric", min: 0, max: null },
    { name: "region", type: "categorical" },
    { name: "score", type: "numeric", min: null, max: null },
  ],
};
const HEADER = "client,amount,region,score,churned,day,note";

const cell = {
  id: fc.oneof(fc.integer({ min: 1, max: 60 }).map((n) => `c${n}`), fc.constantFrom("", " c7 ", "007")),
  amount: fc.oneof(fc.integer({ min: 0, max: 500 }).map(String), fc.constantFrom("", "1.5", "-3", "1,000", "x", "1e3")),
  region: fc.constantFrom("north", "south", "east", "", "03", "3", " west "),
  score: fc.oneof(fc.double({ min: -10, max: 10, noNaN: true }).map((x) => x.toFixed(3)), fc.constantFrom("", "NaN")),
  label: fc.constantFrom("yes", "no", "yes", "no", "YES", "", "maybe"),
  day: fc.constantFrom("2024-03-01", "2024-03-01", "2024-03-02T10:00:00Z", "2024-03-02T10:00:00Z", "", "03/04/2024", "2024-02-30"),
  note: fc.constantFrom("", "free text", "x"),
};
const goodRecord = fc.tuple(cell.id, cell.amount, cell.region, cell.score, cell.label, cell.day, cell.note).map((c) => c.join(","));
const oddRecord = fc.constantFrom("", "   ", ",,,,,,", "c1,2,north,1,yes", "c1,2,north,1,yes,2024-01-01,,extra", 'c2,"5",south,1,no,2024-01-01,', "c3,1,n\u0000,1,no,2024-01-01,");
const csvFile = fc
  .tuple(
    fc.constantFrom(HEADER, HEADER, HEADER, "client,amount,churned", ""),
    fc.array(fc.oneof({ weight: 150, arbitrary: goodRecord }, { weight: 1, arbitrary: oddRecord }), { minLength: 1, maxLength: 60 }),
    fc.constantFrom("\n", "\r\n"),
    fc.boolean(),
  )
  .map(([header, rows, eol, trailing]) => Buffer.from([header, ...rows].join(eol) + (trailing ? eol : "")));

interface Outcome {
  error: { code: string; message: string } | null;
  rows: unknown[];
  rejected: RejectedRowInfo[];
  rowsRead?: number;
  missingByColumn?: Record<string, number>;
  ignoredColumns?: string[];
}

function wholeFile(bytes: Buffer): Outcome {
  try {
    const r = parseSchemaCsv(bytes, { schema: SCHEMA, label: "required" });
    const hash = new Uint32Array(2);
    const rows = r.rows.map((row) => {
      hashKey(row.key, hash);
      return { id: row.id, values: row.values, label: row.label, time: row.time, key: [hash[0], hash[1]] };
    });
    return { error: null, rows, rejected: r.rejected, rowsRead: r.rowsRead, missingByColumn: r.missingByColumn, ignoredColumns: r.ignoredColumns };
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    return { error: { code: e.code, message: e.message }, rows: [], rejected: [] };
  }
}

/** The rows a sink receives, turned back into the reader's values (a code into its level, "(missing)" into null). */
function collectingSink() {
  const rows: unknown[] = [];
  const rejected: RejectedRowInfo[] = [];
  let levels: string[][] = [];
  const sink: RowSink = {
    startPiece: () => (levels = SCHEMA.features.map(() => [])),
    rows: (p: ParsedRows) => {
      for (const [j, added] of Object.entries(p.newLevels)) levels[Number(j)].push(...added);
      const ids = p.ids!.split("\0");
      for (let i = 0; i < p.n; i++) {
        const values = SCHEMA.features.map((f, j) => {
          const v = p.values[j][i];
          if (f.type === "numeric") return Number.isNaN(v) ? null : v;
          return levels[j][v] === MISSING_LEVEL ? null : levels[j][v];
        });
        rows.push({ id: ids[i], values, label: p.labels[i], time: Number.isNaN(p.times![i]) ? null : p.times![i], key: [p.keys[2 * i], p.keys[2 * i + 1]] });
      }
    },
    rejected: (r) => void rejected.push(r),
  };
  return { sink, rows, rejected };
}

async function inPieces(bytes: Buffer): Promise<Outcome> {
  // A file on disk: uploads in memory are always parsed in the reading thread.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dra-pieces-"));
  try {
    return await piecesOf({ path: path.join(dir, "f.csv") }, bytes);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function piecesOf(source: { path: string }, bytes: Buffer): Promise<Outcome> {
  fs.writeFileSync(source.path, bytes);
  const c = collectingSink();
  try {
    const summary = await startParse(source, await prepareSource(source), SCHEMA, "required").read(c.sink);
    return { error: null, rows: c.rows, rejected: c.rejected, ...summary };
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    return { error: { code: e.code, message: e.message }, rows: [], rejected: [] };
  }
}

const saved = { ...process.env };
afterEach(() => {
  for (const k of ["INGEST_THREADS", "INGEST_PIECE_BYTES", "INGEST_PARALLEL_MIN_BYTES"]) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

describe.each([
  ["in the ingesting thread", "0"],
  ["on two parse threads", "2"],
])("a file read in pieces %s", (_, threads) => {
  it("is the file read whole, for any piece size", async () => {
    process.env.INGEST_THREADS = threads;
    process.env.INGEST_PARALLEL_MIN_BYTES = "0";
    let withRows = 0;
    await fc.assert(
      fc.asyncProperty(csvFile, fc.integer({ min: 1, max: 400 }), async (bytes, pieceBytes) => {
        process.env.INGEST_PIECE_BYTES = String(pieceBytes);
        const want = wholeFile(bytes);
        const got = await inPieces(bytes);
        expect(got.error).toEqual(want.error);
        if (want.error) return;
        if (want.rows.length > 0) withRows++;
        expect(got.rows).toEqual(want.rows);
        expect(got.rejected).toEqual(want.rejected);
        expect(got.rowsRead).toBe(want.rowsRead);
        expect(got.ignoredColumns).toEqual(want.ignoredColumns);
        for (const [column, share] of Object.entries(want.missingByColumn!)) expect(got.missingByColumn![column]).toBeCloseTo(share, 12);
      }),
      // A fixed seed: the same files every run, so the count below cannot flake (about a quarter of
      // generated files have valid rows; the rest test the errors).
      { numRuns: threads === "0" ? 300 : 60, seed: 20261207 },
    );
    // The property says something only if enough files are usable: the odd records and headers are the spice.
    expect(withRows).toBeGreaterThan(threads === "0" ? 45 : 9);
  });

  it("cuts a large file into pieces at line breaks and numbers their lines as the file's", async () => {
    process.env.INGEST_THREADS = threads;
    process.env.INGEST_PARALLEL_MIN_BYTES = "0";
    process.env.INGEST_PIECE_BYTES = "64";
    const lines = [HEADER, ...Array.from({ length: 40 }, (_, i) => `c${i},${i},north,0.5,${i % 2 ? "yes" : "no"},2024-03-01,`)];
    lines[23] = "c22,-5,north,0.5,yes,2024-03-01,"; // file line 24: a negative amount
    const bytes = Buffer.from(`${lines.join("\r\n")}\r\n`);
    const prepared = await prepareSource({ content: bytes });
    expect(prepared.pieces.length).toBeGreaterThan(10);
    for (const p of prepared.pieces.slice(1)) expect(bytes[p.start - 1]).toBe(0x0a);
    const got = await inPieces(bytes);
    expect(got.error).toBeNull();
    expect(got.rowsRead).toBe(40);
    expect(got.rows).toHaveLength(39);
    expect(got.rejected).toEqual([expect.objectContaining({ row: 24, column: "amount" })]);
  });
});

describe("prepareSource", () => {
  it("keeps a file with quotes, or with carriage returns that end lines alone, in one piece", async () => {
    process.env.INGEST_PIECE_BYTES = "16";
    const body = Array.from({ length: 20 }, (_, i) => `c${i},${i},north,1,no,2024-03-01,`);
    for (const text of [`${HEADER}\n${body.join("\n")}\n"c99",1,north,1,no,2024-03-01,\n`, `${HEADER}\r${body.join("\r")}\r`]) {
      const p = await prepareSource({ content: Buffer.from(text) });
      expect(p.pieces).toEqual([{ start: 0, end: Buffer.byteLength(text) }]);
    }
    const plain = `${HEADER}\n${body.join("\n")}\n`;
    expect((await prepareSource({ content: Buffer.from(plain) })).pieces.length).toBeGreaterThan(5);
  });
});
