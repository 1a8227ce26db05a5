import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { MAX_FEATURE_VALUE } from "../domain";
import type { DataSchema } from "../schema/types";
import { DEMO_SCHEMA } from "../testing/demo-schema";
import { parseSchemaCsv, streamSchemaCsv, type ParsedSchemaCsv, type RejectedRowInfo, type SchemaRow } from "./parse-schema-csv";

/*
 * Property-based fuzz of the schema CSV reader (fast-check): whatever the bytes, it either returns
 * rows that obey the schema or throws one of the three documented AppErrors — never anything
 * else — and the streaming reader, in any chunking, agrees with the whole-file reader. Then the
 * two shortcuts the reader takes for speed are checked against the slow way: the row key against
 * JSON.stringify, and the time column against Date.UTC.
 */

const HEADER = "corporation,lastmonth_activity,lastyear_activity,number_of_employees,exited";
const FILE_ERRORS = ["bad_request:csv", "unprocessable:csv", "unsupported_media_type:csv"];
const demo = { schema: DEMO_SCHEMA, label: "required" } as const;

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

function outcome(fn: () => ParsedSchemaCsv) {
  try {
    return { value: fn() };
  } catch (error) {
    return { error };
  }
}

function checkResult(r: ParsedSchemaCsv) {
  expect(r.rowsRead).toBe(r.rows.length + r.rejected.length);
  let last = 1;
  for (const row of [...r.rows, ...r.rejected].sort((a, b) => a.row - b.row)) {
    expect(row.row).toBeGreaterThan(last);
    last = row.row;
  }
  for (const row of r.rows) {
    expect(row.id!.length).toBeGreaterThan(0);
    expect(row.values).toHaveLength(3);
    for (const v of row.values) {
      if (v !== null) expect(typeof v === "number" && Number.isFinite(v) && v >= 0 && v <= MAX_FEATURE_VALUE).toBe(true);
    }
    expect([0, 1, null]).toContain(row.label);
    expect(row.time).toBeNull();
    expect(row.key).toBe(JSON.stringify([row.id, ...row.values, row.label]));
  }
  for (const rej of r.rejected) expect(rej.problem.length).toBeLessThan(400);
}

async function streamedOutcome(bytes: Buffer, schema: DataSchema, chunk: number, noQuotes: boolean) {
  const rows: SchemaRow[] = [];
  const rejected: RejectedRowInfo[] = [];
  const pieces = function* () {
    for (let i = 0; i < bytes.length; i += chunk) yield bytes.subarray(i, i + chunk);
  };
  try {
    const summary = await streamSchemaCsv(pieces(), { schema, label: "required", reread: () => bytes, noQuotes }, { onRow: (r) => rows.push(r), onRejected: (r) => rejected.push(r) });
    return { summary, rows, rejected, error: null };
  } catch (error) {
    return { summary: null, rows, rejected, error };
  }
}

async function expectStreamAgrees(bytes: Buffer, schema: DataSchema, chunk: number) {
  const want = outcome(() => parseSchemaCsv(bytes, { schema, label: "required" }));
  for (const noQuotes of bytes.includes(0x22) ? [false] : [false, true]) {
    const got = await streamedOutcome(bytes, schema, chunk, noQuotes);
    if (want.error) {
      expect((got.error as AppError)?.code).toBe((want.error as AppError).code);
      expect((got.error as AppError)?.message).toBe((want.error as AppError).message);
    } else {
      expect(got.error).toBeNull();
      expect(got.rows).toEqual(want.value!.rows.map(({ raw: _raw, ...r }) => r));
      expect(got.rejected).toEqual(want.value!.rejected);
      expect(got.summary!.rowsRead).toBe(want.value!.rowsRead);
    }
  }
}

describe("schema CSV reader under fuzzing (demo schema)", () => {
  it("returns schema-valid rows or throws one of the documented file errors, for CSV-like text", () => {
    fc.assert(
      fc.property(csvText, fc.constantFrom("required", "optional") as fc.Arbitrary<"required" | "optional">, (text, label) => {
        const o = outcome(() => parseSchemaCsv(text, { schema: DEMO_SCHEMA, label }));
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
        const o = outcome(() => parseSchemaCsv(Buffer.concat([Buffer.from(`${HEADER}\n`), Buffer.from(bytes)]), demo));
        if (o.error) expect(FILE_ERRORS).toContain((o.error as AppError).code);
        else checkResult(o.value!);
      }),
      { numRuns: 400 },
    );
  });

  it("the streaming reader agrees with the whole-file reader in any chunking", async () => {
    await fc.assert(
      fc.asyncProperty(csvText, fc.integer({ min: 1, max: 64 }), async (text, chunk) => expectStreamAgrees(Buffer.from(text), DEMO_SCHEMA, chunk)),
      { numRuns: 300 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// A schema with every kind of column

const WIDE: DataSchema = {
  id: "id",
  label: "y",
  positive: "Yes",
  negative: "No",
  time: "t",
  features: [
    { name: "x", type: "numeric", min: null, max: null },
    { name: "c", type: "categorical" },
    { name: "z", type: "numeric", min: -5, max: 5 },
  ],
};
const WIDE_HEADER = "id,x,c,z,y,t";

/** Number texts in every way a file writes them: canonical or not, short or long, tiny or large. */
const numberText = fc.oneof(
  fc.double({ min: -1e15, max: 1e15, noNaN: true }).map(String),
  fc.double({ min: -1e15, max: 1e15, noNaN: true }).chain((d) => fc.integer({ min: 0, max: 20 }).map((k) => d.toFixed(k))),
  fc.double({ min: -1e15, max: 1e15, noNaN: true }).chain((d) => fc.integer({ min: 1, max: 21 }).map((k) => d.toPrecision(k))),
  fc
    .tuple(fc.constantFrom("", "-", "+"), fc.stringMatching(/^[0-9]{0,17}$/), fc.stringMatching(/^[0-9]{0,17}$/), fc.constantFrom("", ".", "e-3", "e2"))
    .map(([sign, a, b, tail]) => (tail === "." ? `${sign}${a}.${b}` : `${sign}${a || "0"}${b ? `.${b}` : ""}${tail}`)),
  fc.constantFrom("0.000001", "0.0000001", "-0.000001", "0.0000015", "100", "1.50", "007.5", "-0", "-0.0", "123456789012345.5", "12345678901234.5"),
);
const timeText = fc.constantFrom("2024", "2024-03", "2024-03-15", "2024-03-15T10:20:30.5+01:00", "1969-12-31 23:59:59Z", "");
const wideRow = fc
  .tuple(fc.stringMatching(/^[a-z"\\é]{0,4}$/), numberText, fc.string({ maxLength: 5 }), numberText, fc.constantFrom("Yes", "no", "NO", "1", ""), timeText)
  .map((cells) => cells.map((c) => `"${c.replaceAll('"', '""')}"`).join(","));

describe("schema CSV reader under fuzzing (categorical, bounds, text labels, time)", () => {
  it("keys every row by JSON.stringify([id, ...values, label, time]) (the number-text shortcut is exact)", () => {
    fc.assert(
      fc.property(fc.array(wideRow, { minLength: 1, maxLength: 20 }), (rows) => {
        const r = parseSchemaCsv([WIDE_HEADER, ...rows].join("\n"), { schema: WIDE, label: "required" });
        for (const row of r.rows) {
          expect(row.key).toBe(JSON.stringify([row.id, ...row.values, row.label, row.time]));
          expect(row.values[0]).toBe(Number(row.raw.x) === 0 ? 0 : Number(row.raw.x));
          const z = row.values[2];
          if (typeof z === "number") expect(z >= -5 && z <= 5).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("reads every real instant written as YYYY-MM-DDTHH:MM:SS.fffZ as Date.UTC does", () => {
    const instant = fc.tuple(
      fc.integer({ min: 100, max: 9999 }),
      fc.integer({ min: 1, max: 12 }),
      fc.integer({ min: 1, max: 31 }),
      fc.integer({ min: 0, max: 23 }),
      fc.integer({ min: 0, max: 59 }),
      fc.integer({ min: 0, max: 59 }),
      fc.integer({ min: 0, max: 999 }),
    );
    const schema: DataSchema = { ...WIDE, features: [WIDE.features[0]] };
    fc.assert(
      fc.property(instant, ([y, mo, d, h, mi, s, ms]) => {
        const pad = (n: number, w = 2) => String(n).padStart(w, "0");
        const text = `${pad(y, 4)}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}.${pad(ms, 3)}Z`;
        const r = parseSchemaCsv(`id,x,y,t\na,1,Yes,${text}\n`, { schema, label: "required" });
        const utc = Date.UTC(y, mo - 1, d, h, mi, s, ms);
        const real = new Date(utc).getUTCDate() === d; // Date.UTC rolls 02-30 over to March
        if (real) expect(r.rows[0]?.time).toBe(utc);
        else expect(r.rejected[0]?.problem).toMatch(/not a real date/);
      }),
      { numRuns: 1000 },
    );
  });

  it("the streaming reader agrees with the whole-file reader in any chunking", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(wideRow, { maxLength: 10 }), fc.integer({ min: 1, max: 64 }), async (rows, chunk) =>
        expectStreamAgrees(Buffer.from([WIDE_HEADER, ...rows].join("\r\n")), WIDE, chunk),
      ),
      { numRuns: 200 },
    );
  });
});
