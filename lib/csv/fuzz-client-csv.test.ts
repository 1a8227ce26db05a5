import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { MAX_FEATURE_VALUE } from "../domain";
import { parseClientCsv, streamClientCsv, type RejectedRowInfo, type StreamedRow } from "./parse-client-csv";

/*
 * Property-based fuzz of the CSV reader (fast-check): whatever the bytes, it either returns rows
 * that obey the schema or throws one of the three documented AppErrors — never anything else —
 * and the streaming reader, in any chunking, agrees with the whole-file reader.
 */

const HEADER = "corporation,lastmonth_activity,lastyear_activity,number_of_employees,exited";
const FILE_ERRORS = ["bad_request:csv", "unprocessable:csv", "unsupported_media_type:csv"];

/** Cells a real export might hold, plus the awkward ones. */
const cell = fc.oneof(
  fc.constantFrom("", " ", "0", "1", "2", "-1", "1.5", ".5", "1e3", "1e308", "1e999", "NaN", "yes", "1,000", "0.0", "x\"y", "\"q\"", "é", "\t7 "),
  fc.integer({ min: 0, max: 100000 }).map(String),
  fc.double({ noNaN: false }).map(String),
  fc.string({ maxLength: 8 }),
);
// A cell is written as is (which may break the CSV syntax, on purpose) or quoted properly.
const record = fc
  .array(fc.tuple(cell, fc.boolean()), { minLength: 3, maxLength: 7 })
  .map((cells) => cells.map(([c, quote]) => (quote ? `"${c.replaceAll('"', '""')}"` : c)).join(","));
const csvText = fc
  .tuple(fc.constantFrom(HEADER, HEADER.split(",").reverse().join(","), "corporation,exited", "a,b,c", ""), fc.array(record, { maxLength: 12 }), fc.constantFrom("\n", "\r\n", "\r"))
  .map(([header, rows, eol]) => [header, ...rows].join(eol));

function outcome(fn: () => ReturnType<typeof parseClientCsv>) {
  try {
    return { value: fn() };
  } catch (error) {
    return { error };
  }
}

function checkResult(r: ReturnType<typeof parseClientCsv>) {
  expect(r.rowsRead).toBe(r.rows.length + r.rejected.length);
  let last = 1;
  for (const row of [...r.rows, ...r.rejected].sort((a, b) => a.row - b.row)) {
    expect(row.row).toBeGreaterThan(last);
    last = row.row;
  }
  for (const row of r.rows) {
    expect(row.corporation.length).toBeGreaterThan(0);
    for (const v of [row.lastmonth_activity, row.lastyear_activity, row.number_of_employees]) {
      if (v !== null) expect(Number.isFinite(v) && v >= 0 && v <= MAX_FEATURE_VALUE).toBe(true);
    }
    expect([0, 1, null]).toContain(row.exited);
  }
  for (const rej of r.rejected) expect(rej.problem.length).toBeLessThan(400);
}

describe("CSV reader under fuzzing", () => {
  it("returns schema-valid rows or throws one of the documented file errors, for CSV-like text", () => {
    fc.assert(
      fc.property(csvText, fc.constantFrom("required", "optional") as fc.Arbitrary<"required" | "optional">, (text, label) => {
        const o = outcome(() => parseClientCsv(text, { label }));
        if (o.error) {
          expect(o.error).toBeInstanceOf(AppError);
          expect(FILE_ERRORS).toContain((o.error as AppError).code);
        } else checkResult(o.value!);
      }),
      { numRuns: 400 },
    );
  });

  it("never throws anything else for arbitrary bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const o = outcome(() => parseClientCsv(Buffer.concat([Buffer.from(`${HEADER}\n`), Buffer.from(bytes)]), { label: "required" }));
        if (o.error) expect(FILE_ERRORS).toContain((o.error as AppError).code);
        else checkResult(o.value!);
      }),
      { numRuns: 400 },
    );
  });

  it("the streaming reader agrees with the whole-file reader in any chunking", async () => {
    await fc.assert(
      fc.asyncProperty(csvText, fc.integer({ min: 1, max: 64 }), async (text, chunk) => {
        const bytes = Buffer.from(text);
        const want = outcome(() => parseClientCsv(bytes, { label: "required" }));
        for (const noQuotes of bytes.includes(0x22) ? [false] : [false, true]) {
          const rows: StreamedRow[] = [];
          const rejected: RejectedRowInfo[] = [];
          let error: unknown = null;
          let summary: Awaited<ReturnType<typeof streamClientCsv>> | null = null;
          const pieces = function* () {
            for (let i = 0; i < bytes.length; i += chunk) yield bytes.subarray(i, i + chunk);
          };
          try {
            summary = await streamClientCsv(pieces(), { label: "required", reread: () => bytes, noQuotes }, { onRow: (r) => rows.push(r), onRejected: (r) => rejected.push(r) });
          } catch (e) {
            error = e;
          }
          if (want.error) {
            expect((error as AppError)?.code).toBe((want.error as AppError).code);
            expect((error as AppError)?.message).toBe((want.error as AppError).message);
          } else {
            expect(error).toBeNull();
            expect(rows).toEqual(want.value!.rows.map(({ raw: _raw, ...r }) => r));
            expect(rejected).toEqual(want.value!.rejected);
            expect(summary!.rowsRead).toBe(want.value!.rowsRead);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
