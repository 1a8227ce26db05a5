import { describe, expect, it } from "vitest";
import type { DataSchema } from "../schema/types";
import { DEMO_SCHEMA } from "../testing/demo-schema";
import { parseSchemaCsv, streamSchemaCsv, type LabelMode, type RejectedRowInfo, type SchemaRow } from "./parse-schema-csv";

/*
 * streamSchemaCsv must be parseSchemaCsv read in pieces: the same rows, row numbers, rejected
 * rows, missing fractions and errors, whatever the chunk borders (1 byte splits multi-byte
 * characters, CRLF pairs and quoted fields), with csv-parse and with the quote-free splitter.
 */

const H = "corporation,lastmonth_activity,lastyear_activity,number_of_employees,exited";

const DEMO_CASES: Record<string, string> = {
  plain: `${H}\na,1,2,3,0\nb,4,5,6,1\n`,
  crlfAndBom: `\uFEFF${H}\r\na,1,2,3,0\r\n\r\nb, 4 ,5,6,1\r\n`,
  quotedNewlines: `${H}\n"x\r\ny",1,2,3,0\n"q""uote",1,2,3,1\n"multi\nline\nname",7,8,9,0\nlast,1,1,1,1`,
  rejectsAndEmpties: `${H}\na,,2,3,0\nb,1,2,3,yes\n,1,2,3,0\nc,-1,2,3,0\nd,1e3,2,3,1.0\n,,,,\ne,"1,000",2,3,0\n`,
  reordered: `exited,number_of_employees,extra,corporation,lastyear_activity,lastmonth_activity\n1,3,x,é€😀,2,1\n0,3,y,ü,2,1\n`,
  fieldCount: `${H}\na,1,2,3,0\nb,1,2,3\n`,
  unclosedQuote: `${H}\na,1,2,3,0\n\n"b,1,2,3,0\nc,1,2,3,0\n`,
  strayQuote: `${H}\na,1,2,3,0\nb"c,1,2,3,0\n`,
  headerOnly: `${H}\n`,
  empty: ``,
  missingColumn: `corporation,lastmonth_activity,exited\na,1,0\n`,
  missingColumnAndSyntax: `corporation,lastmonth_activity,exited\na,1,0\n"b,1,0\n`,
  whitespace: `\uFEFF${H}\r\n \ta\f , 1\u00a0,\t2 ,3,0\r\n\r\n\rb,4,5,6,1\rc,7,8,9,0\n\n`,
  noTrailingNewline: `${H}\na,1,2,3,0\nb,4,5,6,1`,
  trailingCr: `${H}\na,1,2,3,0\r`,
  invalidUtf8: Buffer.from([...Buffer.from(`${H}\na,1,2,3,0\n`), 0xc3, 0x28, 0x0a]).toString("latin1"),
};

/** A schema with every kind of column, and one without an id. */
const EVENTS: DataSchema = {
  id: "account",
  label: "outcome",
  positive: "Fraud",
  negative: "ok",
  time: "at",
  features: [
    { name: "channel", type: "categorical" },
    { name: "amount", type: "numeric", min: null, max: 1000 },
  ],
};
const E = "account,channel,amount,outcome,at";
const EVENT_CASES: Record<string, string> = {
  plain: `${E}\na1,web,10.5,ok,2024-03-15\na2,"shop, north",-3,FRAUD,2024-03-15T10:20:30+02:00\n`,
  rejects: `${E}\na1,web,1001,ok,2024-03-15\na2,,5,maybe,2024\na3,app,,ok,03/04/2024\na4,app,1,ok,\n,app,1,ok,2024-02-30\na5,007,,Ok,2024-01\n`,
  missingTime: `account,channel,amount,outcome\na1,web,1,ok\n`,
  extras: `note,${E},more\nx,a1,web,1,ok,2024,y\n`,
};

async function streamed(bytes: Buffer, schema: DataSchema, label: LabelMode, chunk: number, noQuotes = false) {
  const rows: SchemaRow[] = [];
  const rejected: RejectedRowInfo[] = [];
  const pieces = function* () {
    for (let i = 0; i < bytes.length; i += chunk) yield bytes.subarray(i, i + chunk);
  };
  const summary = await streamSchemaCsv(pieces(), { schema, label, reread: () => bytes, noQuotes }, { onRow: (r) => rows.push(r), onRejected: (r) => rejected.push(r) });
  return { ...summary, rows, rejected };
}

function outcome<T>(fn: () => T): { value?: T; error?: unknown } {
  try {
    return { value: fn() };
  } catch (error) {
    return { error };
  }
}

async function expectSameAsWholeFile(bytes: Buffer, schema: DataSchema, label: LabelMode): Promise<void> {
  const expected = outcome(() => parseSchemaCsv(bytes, { schema, label }));
  const ways = [false, ...(bytes.includes(0x22) ? [] : [true])].flatMap((noQuotes) => [1, 3, 7, 64, 1 << 20].map((chunk) => ({ chunk, noQuotes })));
  for (const { chunk, noQuotes } of ways) {
    let got: Awaited<ReturnType<typeof streamed>> | undefined;
    let error: unknown;
    try {
      got = await streamed(bytes, schema, label, chunk, noQuotes);
    } catch (e) {
      error = e;
    }
    if (expected.error) {
      expect(error, `chunk ${chunk}, noQuotes ${noQuotes}`).toMatchObject({
        code: (expected.error as { code: string }).code,
        message: (expected.error as Error).message,
      });
    } else {
      expect(error, `chunk ${chunk}, noQuotes ${noQuotes}`).toBeUndefined();
      const want = expected.value!;
      expect(got!.rows).toEqual(want.rows.map(({ raw: _raw, ...r }) => r));
      expect(got!.rejected).toEqual(want.rejected);
      expect(got!.rowsRead).toBe(want.rowsRead);
      expect(got!.missingByColumn).toEqual(want.missingByColumn);
      expect(got!.hasLabel).toBe(want.hasLabel);
      expect(got!.ignoredColumns).toEqual(want.ignoredColumns);
    }
  }
}

describe("streamSchemaCsv (demo schema)", () => {
  for (const [name, text] of Object.entries(DEMO_CASES)) {
    for (const label of ["required", "optional"] as const) {
      it(`reads ${name} (${label}) like parseSchemaCsv at any chunk size`, async () => {
        const bytes = name === "invalidUtf8" ? Buffer.from(text, "latin1") : Buffer.from(text, "utf8");
        await expectSameAsWholeFile(bytes, DEMO_SCHEMA, label);
      });
    }
  }

  it("refuses to split a file with quotes as if it had none", async () => {
    await expect(streamed(Buffer.from(DEMO_CASES.quotedNewlines), DEMO_SCHEMA, "required", 64, true)).rejects.toThrow(/noQuotes/);
  });

  it("rejects a UTF-16 file and a binary file before parsing", async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${H}\n`, "utf16le")]);
    await expect(streamed(utf16, DEMO_SCHEMA, "required", 4)).rejects.toMatchObject({ code: "unsupported_media_type:csv", message: expect.stringContaining("UTF-16") });
    const nul = Buffer.from(`${H}\na,1,2,3,0\n\0\n`);
    await expect(streamed(nul, DEMO_SCHEMA, "required", 5)).rejects.toMatchObject({ code: "unsupported_media_type:csv", message: expect.stringContaining("NUL") });
  });

  it("names the exact line of an unclosed quote only with reread", async () => {
    const bytes = Buffer.from(DEMO_CASES.unclosedQuote);
    await expect(streamed(bytes, DEMO_SCHEMA, "required", 7)).rejects.toMatchObject({ details: [{ row: 4 }] });
    const once = function* () {
      yield bytes;
    };
    const noReread = streamSchemaCsv(once(), { schema: DEMO_SCHEMA, label: "required" }, { onRow: () => {}, onRejected: () => {} });
    await expect(noReread).rejects.toMatchObject({ code: "bad_request:csv" });
  });
});

describe("streamSchemaCsv (categorical, text labels, time)", () => {
  const schemas: [string, DataSchema][] = [
    ["with id", EVENTS],
    ["without id", { ...EVENTS, id: null }],
  ];
  for (const [schemaName, schema] of schemas) {
    for (const [name, text] of Object.entries(EVENT_CASES)) {
      for (const label of ["required", "optional", "forbidden-ignored"] as const) {
        it(`reads ${name} (${schemaName}, ${label}) like parseSchemaCsv at any chunk size`, async () => {
          await expectSameAsWholeFile(Buffer.from(text, "utf8"), schema, label);
        });
      }
    }
  }

  it("hands over the rows as they are read", async () => {
    const got = await streamed(Buffer.from(EVENT_CASES.plain), EVENTS, "required", 5, false);
    expect(got.rows).toEqual([
      { row: 2, id: "a1", values: ["web", 10.5], label: 0, time: 1710460800000, key: '["a1","web",10.5,0,1710460800000]' },
      { row: 3, id: "a2", values: ["shop, north", -3], label: 1, time: 1710490830000, key: '["a2","shop, north",-3,1,1710490830000]' },
    ]);
  });
});
