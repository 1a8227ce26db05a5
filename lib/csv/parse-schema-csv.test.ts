import { describe, it, expect } from "vitest";
import { AppError } from "../errors";
import type { DataSchema } from "../schema/types";
import { DEMO_SCHEMA } from "../testing/demo-schema";
import { parseSchemaCsv, type LabelMode, type ParsedSchemaCsv } from "./parse-schema-csv";

/*
 * parse-client-csv.test.ts for the schema-driven reader, on the demo schema (same inputs, same
 * rows, errors and messages, in the new row shape), then what only a schema can ask for:
 * categorical features, bounds other than 0, text labels, a time column, no id column.
 */

const HEADER = "corporation,lastmonth_activity,lastyear_activity,number_of_employees,exited";

function csv(...lines: string[]): string {
  return lines.join("\n") + "\n";
}

/** Runs fn, expects an AppError, returns it. */
function appError(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error("expected an AppError, nothing was thrown");
}

const required = { schema: DEMO_SCHEMA, label: "required" } as const;
const demo = (label: LabelMode) => ({ schema: DEMO_SCHEMA, label });

/** The demo row in the old reader's terms (corporation, the three features, exited). */
function demoRow(r: ParsedSchemaCsv["rows"][number]) {
  const [lastmonth_activity, lastyear_activity, number_of_employees] = r.values;
  return { corporation: r.id, lastmonth_activity, lastyear_activity, number_of_employees, exited: r.label };
}

describe("parseSchemaCsv (demo schema) — well-formed input", () => {
  it("parses a plain file", () => {
    const r = parseSchemaCsv(csv(HEADER, "abcd,10,100,5,0", "efgh,0,2.5,1,1"), required);
    expect(r.rowsRead).toBe(2);
    expect(r.rejected).toEqual([]);
    expect(r.hasLabel).toBe(true);
    expect(r.ignoredColumns).toEqual([]);
    expect(r.rows).toEqual([
      {
        row: 2,
        id: "abcd",
        values: [10, 100, 5],
        label: 0,
        time: null,
        key: '["abcd",10,100,5,0]',
        raw: { corporation: "abcd", lastmonth_activity: "10", lastyear_activity: "100", number_of_employees: "5", exited: "0" },
      },
      {
        row: 3,
        id: "efgh",
        values: [0, 2.5, 1],
        label: 1,
        time: null,
        key: '["efgh",0,2.5,1,1]',
        raw: { corporation: "efgh", lastmonth_activity: "0", lastyear_activity: "2.5", number_of_employees: "1", exited: "1" },
      },
    ]);
    expect(r.missingByColumn).toEqual({
      corporation: 0,
      lastmonth_activity: 0,
      lastyear_activity: 0,
      number_of_employees: 0,
      exited: 0,
    });
  });

  it("accepts a UTF-8 BOM in a string and in a Buffer", () => {
    const text = "\ufeff" + csv(HEADER, "abcd,1,2,3,0");
    for (const input of [text, Buffer.from(text, "utf8"), new TextEncoder().encode(text)]) {
      const r = parseSchemaCsv(input, required);
      expect(r.rows).toHaveLength(1);
      expect(r.rows[0].id).toBe("abcd");
    }
  });

  it("accepts CRLF, CR-only and mixed line endings", () => {
    const lines = [HEADER, "a,1,2,3,0", "b,4,5,6,1"];
    for (const text of [lines.join("\r\n") + "\r\n", lines.join("\r"), `${lines[0]}\r\n${lines[1]}\n${lines[2]}`]) {
      const r = parseSchemaCsv(text, required);
      expect(r.rows.map((x) => [x.row, x.id, x.label])).toEqual([
        [2, "a", 0],
        [3, "b", 1],
      ]);
      expect(r.rows[1].raw.exited).toBe("1");
    }
  });

  it("handles quoted fields, quoted commas, escaped quotes and whitespace around quotes", () => {
    const r = parseSchemaCsv(csv(HEADER, '"Acme, Inc.",1,2,3,0', '"The ""Best"" Co", "4" ,5,6,1'), required);
    expect(r.rejected).toEqual([]);
    expect(r.rows.map((x) => x.id)).toEqual(["Acme, Inc.", 'The "Best" Co']);
    expect(r.rows[1].values[0]).toBe(4);
    expect(r.rows[1].key).toBe('["The \\"Best\\" Co",4,5,6,1]');
  });

  it("numbers a record that spans lines by the line where it starts", () => {
    const text = csv(HEADER, '"multi\nline\nname",1,2,3,0', "next,4,5,6,1", '"crlf\r\ninside",7,8,9,0', "last,1,1,1,1");
    const r = parseSchemaCsv(text, required);
    expect(r.rows.map((x) => [x.row, x.id])).toEqual([
      [2, "multi\nline\nname"],
      [5, "next"],
      [6, "crlf\r\ninside"],
      [8, "last"],
    ]);
  });

  it("accepts any column order, extra columns and header names in any case with spaces", () => {
    const text = csv(
      " Exited ,NOTES,Number_Of_Employees,lastyear_activity , LastMonth_Activity,Corporation,",
      "1,big client,30,1200,100,abcd,",
    );
    const r = parseSchemaCsv(text, required);
    expect(r.rows).toHaveLength(1);
    expect(r.rows[0]).toMatchObject({ row: 2, id: "abcd", values: [100, 1200, 30], label: 1, time: null });
    // Schema columns keyed by schema name, extra named columns by their header; unnamed columns dropped.
    expect(r.rows[0].raw).toEqual({
      corporation: "abcd",
      lastmonth_activity: "100",
      lastyear_activity: "1200",
      number_of_employees: "30",
      exited: "1",
      NOTES: "big client",
    });
    expect(r.ignoredColumns).toEqual(["NOTES"]);
  });

  it("skips blank lines, whitespace-only lines and all-empty records, and numbers rows by file line", () => {
    const text = csv("", HEADER, "", "a,1,2,3,0", "   ", ",,,,", "b,4,5,6,1", "", "");
    const r = parseSchemaCsv(text, required);
    expect(r.rowsRead).toBe(2);
    expect(r.rows.map((x) => x.row)).toEqual([4, 7]);
  });

  it("trims values and accepts signs, decimals, exponents and -0", () => {
    const r = parseSchemaCsv(csv(HEADER, " abcd , 12 ,+3.5, 1e3 , 1 ", "b,.5,7.,-0,0"), required);
    expect(r.rejected).toEqual([]);
    expect(r.rows[0]).toMatchObject({ id: "abcd", values: [12, 3.5, 1000], label: 1 });
    expect(r.rows[1].values).toEqual([0.5, 7, 0]);
    expect(Object.is(r.rows[1].values[2], 0)).toBe(true);
    expect(r.rows[1].key).toBe('["b",0.5,7,0,0]');
    // raw holds the cells as parsed: whitespace outside quotes trimmed
    expect(r.rows[0].raw.corporation).toBe("abcd");
    expect(r.rows[0].raw.lastyear_activity).toBe("+3.5");
  });

  it("accepts values up to the bound 1e15 (MAX_FEATURE_VALUE)", () => {
    const r = parseSchemaCsv(csv(HEADER, "a,1e15,1000000000000000,999999999999999.9,0"), required);
    expect(r.rejected).toEqual([]);
    expect(r.rows[0].values.slice(0, 2)).toEqual([1e15, 1e15]);
  });

  it("accepts labels written as 0.0 and 1.0", () => {
    const r = parseSchemaCsv(csv(HEADER, "a,1,2,3,1.0", "b,1,2,3,0.00", "c,1,2,3, 1 "), required);
    expect(r.rows.map((x) => x.label)).toEqual([1, 0, 1]);
  });
});

describe("parseSchemaCsv (demo schema) — the row key", () => {
  it("equals the key stored databases hold (bulk-ingest's rowKey formula), numbers as parsed", () => {
    const text = csv(
      HEADER,
      "abcd,10,100,5,0",
      'x"y,1.50,+2,1e3,1.0',
      "é€😀,,0.1,-0,1",
      "b\\c,0.30000000000000004,123456789.123,7.,0",
      "tiny,0.0000001,0.000001,1e-7,1",
    ).replace('x"y', '"x""y"');
    const r = parseSchemaCsv(text, required);
    expect(r.rejected).toEqual([]);
    expect(r.rows).toHaveLength(5);
    for (const row of r.rows) {
      const old = demoRow(row);
      // lib/db/bulk-ingest.ts rowKey, as written there:
      expect(row.key).toBe(JSON.stringify([old.corporation, old.lastmonth_activity, old.lastyear_activity, old.number_of_employees, old.exited]));
    }
    expect(r.rows.map((x) => x.key)).toEqual([
      '["abcd",10,100,5,0]',
      '["x\\"y",1.5,2,1000,1]',
      '["é€😀",null,0.1,0,1]',
      '["b\\\\c",0.30000000000000004,123456789.123,7,0]',
      '["tiny",1e-7,0.000001,1e-7,1]',
    ]);
  });

  it("holds null for the label when labels are not in play", () => {
    const r = parseSchemaCsv(csv(HEADER, "a,1,2,3,1"), demo("forbidden-ignored"));
    expect(r.rows[0].key).toBe('["a",1,2,3,null]');
  });
});

describe("parseSchemaCsv (demo schema) — empty feature cells", () => {
  it("keeps rows with empty features as null and reports the missing fraction per column", () => {
    const text = csv(HEADER, "a,,2,3,0", "b,1,,,1", "c,1,2,3,0", "d,  ,2,3,1");
    const r = parseSchemaCsv(text, required);
    expect(r.rejected).toEqual([]);
    expect(r.rows.map((x) => x.values)).toEqual([
      [null, 2, 3],
      [1, null, null],
      [1, 2, 3],
      [null, 2, 3],
    ]);
    expect(r.missingByColumn).toEqual({
      corporation: 0,
      lastmonth_activity: 0.5,
      lastyear_activity: 0.25,
      number_of_employees: 0.25,
      exited: 0,
    });
  });

  it("counts empty cells of rejected rows too (fractions are over all rows read)", () => {
    const text = csv(HEADER, ",,2,3,0", "b,1,2,3,", "c,1,2,3,1", "d,1,2,3,0");
    const r = parseSchemaCsv(text, required);
    expect(r.rowsRead).toBe(4);
    expect(r.rejected.map((x) => x.row)).toEqual([2, 3]);
    expect(r.missingByColumn).toMatchObject({ corporation: 0.25, lastmonth_activity: 0.25, exited: 0.25 });
  });
});

describe("parseSchemaCsv (demo schema) — rejected rows", () => {
  const cases: [string, string, string, RegExp][] = [
    ["empty corporation", "  ,1,2,3,0", "corporation", /must not be empty/],
    ["text feature", "a,abc,2,3,0", "lastmonth_activity", /not a number: "abc"/],
    ["incomplete exponent", "a,1e,2,3,0", "lastmonth_activity", /not a number/],
    ["NaN", "a,1,NaN,3,0", "lastyear_activity", /not a number/],
    ["Infinity", "a,1,Infinity,3,0", "lastyear_activity", /not a number/],
    ["overflowing exponent", "a,1,1e999,3,0", "lastyear_activity", /not a finite number/],
    ["hex", "a,1,2,0x10,0", "number_of_employees", /not a number/],
    ["negative", "a,1,2,-3,0", "number_of_employees", /^must not be negative: "-3"$/],
    ["huge but finite (its square overflows)", "a,1e308,2,3,0", "lastmonth_activity", /too large: "1e308" \(at most 1e\+15/],
    ["just above the bound", "a,1,1000000000000001,3,0", "lastyear_activity", /too large/],
    ["quoted thousands separator", 'a,"1,000",2,3,0', "lastmonth_activity", /thousands separators/],
    ["space thousands separator", "a,1 000,2,3,0", "lastmonth_activity", /thousands separators/],
    ["dotted thousands separator", "a,1.000.000,2,3,0", "lastmonth_activity", /thousands separators/],
    ["decimal comma", 'a,"1,5",2,3,0', "lastmonth_activity", /thousands separators/],
    ["empty label", "a,1,2,3,", "exited", /^label is missing \(must be 0 or 1\)$/],
    ["label 2", "a,1,2,3,2", "exited", /^must be 0 or 1, got "2"$/],
    ["label yes", "a,1,2,3,yes", "exited", /must be 0 or 1, got "yes"/],
    ["label true", "a,1,2,3,true", "exited", /must be 0 or 1/],
    ["label 0.5", "a,1,2,3,0.5", "exited", /must be 0 or 1/],
    ["label 1.01", "a,1,2,3,1.01", "exited", /must be 0 or 1/],
    ["label -1", "a,1,2,3,-1", "exited", /must be 0 or 1/],
  ];

  it.each(cases)("%s → rejected with its row number and column", (_name, line, column, problem) => {
    const r = parseSchemaCsv(csv(HEADER, "ok1,1,2,3,0", line, "ok2,1,2,3,1"), required);
    expect(r.rowsRead).toBe(3);
    expect(r.rows.map((x) => x.id)).toEqual(["ok1", "ok2"]);
    expect(r.rejected).toHaveLength(1);
    expect(r.rejected[0].row).toBe(3);
    expect(r.rejected[0].column).toBe(column);
    expect(r.rejected[0].problem).toMatch(problem);
    expect(r.rejected[0].raw.corporation).toBe(line.startsWith("  ") ? "" : "a");
  });

  it("cuts long cells in problems and in raw to 100 characters with the length", () => {
    const long = "9".repeat(150) + "x";
    const r = parseSchemaCsv(csv(HEADER, `${"c".repeat(250)},1,2,3,0`, `a,${long},2,3,0`), required);
    expect(r.rejected.map((x) => x.column)).toEqual(["corporation", "lastmonth_activity"]);
    expect(r.rejected[0].problem).toBe(`is too long: "${"c".repeat(100)}"… (250 characters) (at most 200 characters)`);
    expect(r.rejected[0].raw.corporation).toBe(`${"c".repeat(100)}… (250 characters)`);
    expect(r.rejected[1].problem).toBe(`not a number: "${"9".repeat(100)}"… (151 characters)`);
  });

  it("reports the first problem in schema column order", () => {
    // Column order in the file differs from the schema order; the schema order decides.
    const text = csv(
      "exited,number_of_employees,lastyear_activity,lastmonth_activity,corporation",
      "yes,-1,abc,xyz,a",
      "yes,-1,5,6,b",
      "9,1,2,3,c",
    );
    const r = parseSchemaCsv(text, required);
    expect(r.rejected.map((x) => [x.row, x.column])).toEqual([
      [2, "lastmonth_activity"],
      [3, "number_of_employees"],
      [4, "exited"],
    ]);
  });

  it("numbers rejected rows by file line across blank lines and multi-line records", () => {
    const text = csv(HEADER, '"a\nb",1,2,3,0', "", "bad,1,2,3,yes");
    const r = parseSchemaCsv(text, required);
    expect(r.rejected.map((x) => x.row)).toEqual([5]);
  });
});

describe("parseSchemaCsv (demo schema) — label modes", () => {
  const noLabel = csv("corporation,lastmonth_activity,lastyear_activity,number_of_employees", "a,1,2,3");
  const withBadLabel = csv(HEADER, "a,1,2,3,yes", "b,1,2,3,1");

  it("required: a missing exited column is a whole-file error", () => {
    const e = appError(() => parseSchemaCsv(noLabel, required));
    expect(e.code).toBe("unprocessable:csv");
    expect(e.message).toMatch(/exited/);
    expect(e.message).toMatch(/Labelled data \(exited = 0 or 1\) is required here\./);
  });

  it("optional: no exited column → no labels", () => {
    const r = parseSchemaCsv(noLabel, demo("optional"));
    expect(r.hasLabel).toBe(false);
    expect(r.rows[0].label).toBeNull();
    expect(Object.keys(r.missingByColumn)).toEqual(["corporation", "lastmonth_activity", "lastyear_activity", "number_of_employees"]);
  });

  it("optional: an exited column present is parsed and validated", () => {
    const r = parseSchemaCsv(withBadLabel, demo("optional"));
    expect(r.hasLabel).toBe(true);
    expect(r.rows.map((x) => x.label)).toEqual([1]);
    expect(r.rejected).toMatchObject([{ row: 2, column: "exited" }]);
  });

  it("forbidden-ignored: exited is ignored even when present and invalid, but kept in raw", () => {
    const r = parseSchemaCsv(withBadLabel, demo("forbidden-ignored"));
    expect(r.hasLabel).toBe(false);
    expect(r.rejected).toEqual([]);
    expect(r.rows.map((x) => x.label)).toEqual([null, null]);
    expect(r.rows[0].raw.exited).toBe("yes");
    expect(r.missingByColumn).not.toHaveProperty("exited");
    // the label column is the schema's, not an ignored extra
    expect(r.ignoredColumns).toEqual([]);
    expect(parseSchemaCsv(noLabel, demo("forbidden-ignored")).rows).toHaveLength(1);
  });
});

describe("parseSchemaCsv (demo schema) — whole-file errors", () => {
  const modes: LabelMode[] = ["required", "optional", "forbidden-ignored"];

  it.each([
    ["empty string", ""],
    ["only blank lines", "\n\r\n  \n"],
    ["only a BOM", "\ufeff"],
  ])("%s → unprocessable:csv (no data rows)", (_name, text) => {
    for (const label of modes) {
      const e = appError(() => parseSchemaCsv(text, demo(label)));
      expect(e.code).toBe("unprocessable:csv");
      expect(e.status).toBe(422);
      expect(e.message).toMatch(/the file has no data rows/);
    }
  });

  it("header only (with trailing blank lines) → unprocessable:csv (no data rows)", () => {
    const e = appError(() => parseSchemaCsv(HEADER + "\r\n\r\n", required));
    expect(e.code).toBe("unprocessable:csv");
    expect(e.message).toMatch(/the file has no data rows/);
  });

  it("missing columns → unprocessable:csv naming the missing and the found columns", () => {
    const e = appError(() => parseSchemaCsv(csv("Corporation,lastmonth,number_of_employees,extra", "a,1,2,x"), required));
    expect(e.code).toBe("unprocessable:csv");
    expect(e.message).toMatch(/Missing required column\(s\): lastmonth_activity, lastyear_activity, exited\./);
    expect(e.message).toMatch(/Found: Corporation, lastmonth, number_of_employees, extra\./);
    expect(e.details).toEqual([
      { row: 1, column: "lastmonth_activity", problem: "required column is missing" },
      { row: 1, column: "lastyear_activity", problem: "required column is missing" },
      { row: 1, column: "exited", problem: "required column is missing" },
    ]);
  });

  it("a file without a header (data on line 1) → unprocessable:csv missing columns", () => {
    const e = appError(() => parseSchemaCsv(csv("abcd,1,2,3,0", "efgh,4,5,6,1"), required));
    expect(e.code).toBe("unprocessable:csv");
    expect(e.message).toMatch(/Missing required column/);
  });

  it("duplicate header names (case-insensitive) → unprocessable:csv", () => {
    const e = appError(() => parseSchemaCsv(csv(HEADER + ",Corporation ", "a,1,2,3,0,b"), required));
    expect(e.code).toBe("unprocessable:csv");
    expect(e.message).toMatch(/more than once \(Corporation\)/);
    expect(e.details).toEqual([{ row: 1, column: "Corporation", problem: "duplicate column name" }]);
    expect(appError(() => parseSchemaCsv(csv(HEADER + ",note,NOTE", "a,1,2,3,0,x,y"), required)).code).toBe("unprocessable:csv");
  });

  it("several unnamed columns (trailing commas) are not duplicates", () => {
    const r = parseSchemaCsv(csv(HEADER + ",,", "a,1,2,3,0,,"), required);
    expect(r.rows).toHaveLength(1);
    expect(r.ignoredColumns).toEqual([]);
  });

  it("inconsistent field count → bad_request:csv with the line", () => {
    const e = appError(() => parseSchemaCsv(csv(HEADER, "a,1,2,3,0", "", "b,1,2,3"), required));
    expect(e.code).toBe("bad_request:csv");
    expect(e.status).toBe(400);
    expect(e.message).toMatch(/line 4/);
    expect(e.details).toEqual([{ row: 4, problem: "has 4 fields but the header has 5" }]);
    const more = appError(() => parseSchemaCsv(csv(HEADER, "a,1,2,3,0,extra"), required));
    expect(more.details?.[0].row).toBe(2);
  });

  it("unclosed quote → bad_request:csv pointing at the line where the record starts", () => {
    const e = appError(() => parseSchemaCsv(csv(HEADER, "a,1,2,3,0", "", '"b,1,2,3,0', "c,1,2,3,1"), required));
    expect(e.code).toBe("bad_request:csv");
    expect(e.message).toMatch(/line 4/);
    expect(e.details?.[0]).toMatchObject({ row: 4 });
  });

  it("stray quote inside an unquoted field → bad_request:csv with the line", () => {
    const e = appError(() => parseSchemaCsv(csv(HEADER, "a,1,2,3,0", 'Joe "Big" Co,1,2,3,0'), required));
    expect(e.code).toBe("bad_request:csv");
    expect(e.details?.[0].row).toBe(3);
  });

  it("text after a closing quote → bad_request:csv with the line", () => {
    const e = appError(() => parseSchemaCsv(csv(HEADER, "a,1,2,3,0", "b,1,2,3,0", '"c"x,1,2,3,0'), required));
    expect(e.code).toBe("bad_request:csv");
    expect(e.details?.[0].row).toBe(4);
  });

  it("line numbers in syntax errors stay right after quoted CRLF line breaks", () => {
    const text = [HEADER, '"a\r\nb",1,2,3,0', "c,1,2,3"].join("\r\n") + "\r\n";
    const e = appError(() => parseSchemaCsv(text, required));
    expect(e.details?.[0].row).toBe(4);
  });

  it("binary input (NUL bytes) → unsupported_media_type:csv", () => {
    const dsStore = Buffer.from([0, 0, 0, 1, 0x42, 0x75, 0x64, 0x31, 0, 0, 0x10, 0]);
    for (const input of [dsStore, new Uint8Array(dsStore), "corporation\u0000,x"]) {
      const e = appError(() => parseSchemaCsv(input, required));
      expect(e.code).toBe("unsupported_media_type:csv");
      expect(e.status).toBe(415);
    }
  });

  it("invalid UTF-8 and UTF-16 → unsupported_media_type:csv", () => {
    const latin1 = Buffer.from(csv(HEADER, "Soci\u00e9t\u00e9,1,2,3,0"), "latin1");
    expect(appError(() => parseSchemaCsv(latin1, required)).code).toBe("unsupported_media_type:csv");
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv(HEADER, "a,1,2,3,0"), "utf16le")]);
    const e = appError(() => parseSchemaCsv(utf16, required));
    expect(e.code).toBe("unsupported_media_type:csv");
    expect(e.message).toMatch(/UTF-16/);
  });

  it("valid UTF-8 with non-ASCII names is fine", () => {
    const r = parseSchemaCsv(Buffer.from(csv(HEADER, "Soci\u00e9t\u00e9 G\u00e9n\u00e9rale,1,2,3,0")), required);
    expect(r.rows[0].id).toBe("Soci\u00e9t\u00e9 G\u00e9n\u00e9rale");
  });
});

// ---------------------------------------------------------------------------------------------
// Schemas other than the demo's

const SHOP: DataSchema = {
  id: "customer",
  label: "churned",
  positive: "Yes",
  negative: "No",
  time: null,
  features: [
    { name: "plan", type: "categorical" },
    { name: "age", type: "numeric", min: 18, max: 120 },
    { name: "balance", type: "numeric", min: null, max: null },
    { name: "score", type: "numeric", min: null, max: 100 },
  ],
};
const SHOP_HEADER = "customer,plan,age,balance,score,churned";
const shop = (label: LabelMode = "required") => ({ schema: SHOP, label });

describe("parseSchemaCsv — categorical features", () => {
  it("keeps a category as its trimmed text ('007' stays '007'; '3' and '03' differ); empty → null", () => {
    const r = parseSchemaCsv(csv(SHOP_HEADER, 'c1, 007 ,30,10,50,Yes', "c2,3,30,10,50,No", "c3,03,30,10,50,No", "c4,,30,10,50,No", 'c5," basic plan ",30,10,50,No'), shop());
    expect(r.rejected).toEqual([]);
    expect(r.rows.map((x) => x.values[0])).toEqual(["007", "3", "03", null, "basic plan"]);
    expect(r.rows[0].key).toBe('["c1","007",30,10,50,1]');
    expect(r.rows[3].key).toBe('["c4",null,30,10,50,0]');
    expect(r.missingByColumn.plan).toBe(0.2);
  });

  it("rejects a category longer than 200 characters", () => {
    const r = parseSchemaCsv(csv(SHOP_HEADER, `c1,${"p".repeat(200)},30,10,50,Yes`, `c2,${"p".repeat(201)},30,10,50,Yes`), shop());
    expect(r.rows.map((x) => x.id)).toEqual(["c1"]);
    expect(r.rejected).toMatchObject([{ row: 3, column: "plan", problem: expect.stringMatching(/^is too long for a category: "p{100}"… \(201 characters\) \(at most 200 characters\)$/) }]);
  });
});

describe("parseSchemaCsv — numeric bounds from the schema", () => {
  const cases: [string, string, string | null, string | null][] = [
    ["at min", "18", null, null],
    ["below min", "17", "age", 'must be at least 18: "17"'],
    ["at max", "120", null, null],
    ["above max", "120.5", "age", 'must be at most 120: "120.5"'],
  ];
  it.each(cases)("age %s", (_name, age, column, problem) => {
    const r = parseSchemaCsv(csv(SHOP_HEADER, `c1,basic,${age},0,0,No`), shop());
    if (column === null) expect(r.rows[0].values[1]).toBe(Number(age));
    else expect(r.rejected).toMatchObject([{ column, problem }]);
  });

  it("allows negatives without a min, checks a max alone, and keeps ±1e15 as the outer bound", () => {
    const r = parseSchemaCsv(
      csv(SHOP_HEADER, "c1,basic,30,-250.5,-1e6,No", "c2,basic,30,-1e15,100,No", "c3,basic,30,-1.5e15,0,No", "c4,basic,30,0,100.01,No", "c5,basic,30,-0,-0,No"),
      shop(),
    );
    expect(r.rows.map((x) => [x.id, x.values[2], x.values[3]])).toEqual([
      ["c1", -250.5, -1e6],
      ["c2", -1e15, 100],
      ["c5", 0, 0],
    ]);
    expect(Object.is(r.rows[2].values[2], 0)).toBe(true);
    expect(r.rejected.map((x) => [x.raw.customer, x.column, x.problem])).toEqual([
      ["c3", "balance", 'is too small: "-1.5e15" (at least -1e+15; check the unit or the export)'],
      ["c4", "score", 'must be at most 100: "100.01"'],
    ]);
  });
});

describe("parseSchemaCsv — text labels", () => {
  it("matches positive and negative case-insensitively ('Yes', 'yes', 'YES', ' no ')", () => {
    const r = parseSchemaCsv(csv(SHOP_HEADER, "c1,b,30,0,0,Yes", "c2,b,30,0,0,yes", "c3,b,30,0,0,YES", "c4,b,30,0,0, no ", "c5,b,30,0,0,No"), shop());
    expect(r.rows.map((x) => x.label)).toEqual([1, 1, 1, 0, 0]);
  });

  it("names the schema's values in problems", () => {
    const r = parseSchemaCsv(csv(SHOP_HEADER, "c1,b,30,0,0,1", "c2,b,30,0,0,", "c3,b,30,0,0,maybe"), shop());
    expect(r.rejected.map((x) => [x.column, x.problem])).toEqual([
      ["churned", 'must be No or Yes, got "1"'],
      ["churned", "label is missing (must be No or Yes)"],
      ["churned", 'must be No or Yes, got "maybe"'],
    ]);
  });

  it("names the schema's values in the missing-label-column hint", () => {
    const e = appError(() => parseSchemaCsv(csv("customer,plan,age,balance,score", "c1,b,30,0,0"), shop()));
    expect(e.message).toMatch(/Missing required column\(s\): churned\..*Labelled data \(churned = No or Yes\) is required here\./);
  });

  it("compares numeric labels as numbers: '1.0' is '1', for a schema written with '1.0' too", () => {
    const s10 = { ...DEMO_SCHEMA, positive: "1.0", negative: "0.0" };
    const r = parseSchemaCsv(csv(HEADER, "a,1,2,3,1", "b,1,2,3,0", "c,1,2,3,1.00", "d,1,2,3,2"), { schema: s10, label: "required" });
    expect(r.rows.map((x) => x.label)).toEqual([1, 0, 1]);
    expect(r.rejected[0].problem).toBe('must be 0.0 or 1.0, got "2"');
  });
});

const EVENTS: DataSchema = {
  id: "account",
  label: "fraud",
  positive: "1",
  negative: "0",
  time: "at",
  features: [{ name: "amount", type: "numeric", min: 0, max: null }],
};
const events = { schema: EVENTS, label: "required" } as const;

describe("parseSchemaCsv — the time column", () => {
  // Golden values from pandas (UTC for a time without offset):
  //   /usr/bin/python3 -c "import pandas as pd; t = pd.Timestamp(S); t = t.tz_localize('UTC') if t.tzinfo is None else t; print(t.value // 10**6)"
  // and for year 50 (out of pandas' range) from datetime:
  //   /usr/bin/python3 -c "from datetime import *; print((datetime(50,6,1,tzinfo=timezone.utc)-datetime(1970,1,1,tzinfo=timezone.utc))//timedelta(milliseconds=1))"
  const accepted: [string, number][] = [
    ["2024", 1704067200000],
    ["2024-03", 1709251200000],
    ["2024-03-15", 1710460800000],
    ["2024-03-15T10:20", 1710498000000],
    ["2024-03-15T10:20:30", 1710498030000],
    ["2024-03-15T10:20:30.123", 1710498030123],
    ["2024-03-15T10:20:30.123456", 1710498030123],
    ["2024-03-15T10:20:30Z", 1710498030000],
    ["2024-03-15T10:20:30+02:00", 1710490830000],
    ["2024-03-15T10:20:30-05:30", 1710517830000],
    ["2024-03-15 10:20:30", 1710498030000],
    ["2024-02-29", 1709164800000],
    ["2000-02-29", 951782400000],
    ["1969-12-31T23:59:59.999Z", -1],
    ["1850-07-04", -3770928000000],
    ["0050-06-01", -60576249600000],
  ];

  it.each(accepted)("%s → %d ms", (text, ms) => {
    const r = parseSchemaCsv(csv("account,amount,fraud,at", `a1,5,0, ${text} `), events);
    expect(r.rejected).toEqual([]);
    expect(r.rows[0].time).toBe(ms);
    expect(r.rows[0].key).toBe(JSON.stringify(["a1", 5, 0, ms]));
  });

  const rejected: [string, string, RegExp][] = [
    ["impossible day", "2024-02-30", /^is not a real date or time: "2024-02-30"$/],
    ["not a leap year", "2023-02-29", /not a real date/],
    ["1900 is not a leap year", "1900-02-29", /not a real date/],
    ["month 13", "2024-13-01", /not a real date/],
    ["hour 24", "2024-03-15T24:00", /not a real date/],
    ["day-first or month-first", "03/04/2024", /^not an ISO 8601 date or date-time: "03\/04\/2024"; the order of day and month is ambiguous \(write YYYY-MM-DD/],
    ["dotted", "3.4.24", /order of day and month is ambiguous/],
    ["text", "last Tuesday", /^not an ISO 8601 date or date-time: "last Tuesday" \(write YYYY-MM-DD/],
    ["unpadded", "2024-3-5", /not an ISO 8601/],
    ["epoch seconds", "1710460800", /not an ISO 8601/],
    ["empty", "", /^time is missing/],
  ];

  it.each(rejected)("%s (%s) → rejected", (_name, text, problem) => {
    const r = parseSchemaCsv(csv("account,amount,fraud,at", `a1,5,0,${text}`, "a2,5,0,2024-01-01"), events);
    expect(r.rows.map((x) => x.id)).toEqual(["a2"]);
    expect(r.rejected).toHaveLength(1);
    expect(r.rejected[0]).toMatchObject({ row: 2, column: "at" });
    expect(r.rejected[0].problem).toMatch(problem);
    const ambiguous = /ambiguous/.test(r.rejected[0].problem);
    expect(ambiguous).toBe(text === "03/04/2024" || text === "3.4.24");
  });

  it("reports the time after the label, and counts empty time cells as missing", () => {
    const r = parseSchemaCsv(csv("at,fraud,amount,account", ",x,5,a1", ",1,5,a2", "2024-01-01,1,5,a3", "2024-01-02,0,,a4"), events);
    expect(r.rejected.map((x) => x.column)).toEqual(["fraud", "at"]);
    expect(r.missingByColumn).toEqual({ account: 0, amount: 0.25, fraud: 0, at: 0.5 });
    expect(Object.keys(r.rows[0].raw)).toEqual(["account", "amount", "fraud", "at"]);
  });

  it("labelled data may leave the whole time column out (issue 18): its rows have no time, the file is about when it arrives", () => {
    const r = parseSchemaCsv(csv("account,amount,fraud", "a1,5,0"), events);
    expect(r.rows.map((x) => [x.id, x.values, x.label, x.time])).toEqual([["a1", [5], 0, null]]);
    expect(r.rejected).toEqual([]);
    // a file that has the column must fill it: an empty cell still rejects the row
    const half = parseSchemaCsv(csv("account,amount,fraud,at", "a1,5,0,", "a2,6,1,2024-03-01"), events);
    expect(half.rows.map((x) => x.id)).toEqual(["a2"]);
    expect(half.rejected.map((x) => [x.row, x.column])).toEqual([[2, "at"]]);
  });

  it("data to predict or to monitor may leave the time column out: its rows have no time", () => {
    for (const label of ["optional", "forbidden-ignored"] as const) {
      const r = parseSchemaCsv(csv("account,amount", "a1,5"), { schema: EVENTS, label });
      expect(r.rows.map((x) => [x.id, x.values, x.time])).toEqual([["a1", [5], null]]);
      expect(r.missingByColumn).toEqual({ account: 0, amount: 0 });
    }
  });
});

describe("parseSchemaCsv — a schema without an id column", () => {
  const NO_ID: DataSchema = { ...SHOP, id: null };

  it("reads rows with id null and keys them by the whole row", () => {
    const r = parseSchemaCsv(csv("plan,age,balance,score,churned,customer", "gold,40,1.5,,Yes,c1", "gold,40,1.5,,Yes,c2"), { schema: NO_ID, label: "required" });
    expect(r.rows.map((x) => [x.id, x.values, x.label, x.key])).toEqual([
      [null, ["gold", 40, 1.5, null], 1, '["gold",40,1.5,null,1]'],
      [null, ["gold", 40, 1.5, null], 1, '["gold",40,1.5,null,1]'],
    ]);
    // a column named like an id is an extra column here
    expect(r.ignoredColumns).toEqual(["customer"]);
    expect(r.rows[0].raw).toEqual({ plan: "gold", age: "40", balance: "1.5", score: "", churned: "Yes", customer: "c1" });
    expect(Object.keys(r.missingByColumn)).toEqual(["plan", "age", "balance", "score", "churned"]);
  });

  it("keys a schema with neither id nor label in play by the features alone, plus null and the time", () => {
    const schema: DataSchema = { ...EVENTS, id: null };
    const r = parseSchemaCsv(csv("amount,at", "5,2024"), { schema, label: "optional" });
    expect(r.rows[0].key).toBe(JSON.stringify([5, null, 1704067200000]));
  });
});

describe("parseSchemaCsv — ignoredColumns", () => {
  it("lists the named extra columns as written, in header order, without unnamed ones", () => {
    const r = parseSchemaCsv(csv(`Region ,${SHOP_HEADER}, notes,,Source`, "eu,c1,b,30,0,0,Yes,x,,web"), shop());
    expect(r.ignoredColumns).toEqual(["Region", "notes", "Source"]);
    expect(r.rows[0].raw).toMatchObject({ Region: "eu", notes: "x", Source: "web" });
  });

  it("does not list the label column in mode forbidden-ignored", () => {
    const r = parseSchemaCsv(csv(`${SHOP_HEADER},extra`, "c1,b,30,0,0,Yes,e"), shop("forbidden-ignored"));
    expect(r.ignoredColumns).toEqual(["extra"]);
  });
});
