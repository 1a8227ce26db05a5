import { describe, it, expect } from "vitest";
import { AppError } from "@/lib/errors";
import { parseClientCsv, type LabelMode } from "./parse-client-csv";

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

const required = { label: "required" } as const;

describe("parseClientCsv — well-formed input", () => {
  it("parses a plain file", () => {
    const r = parseClientCsv(csv(HEADER, "abcd,10,100,5,0", "efgh,0,2.5,1,1"), required);
    expect(r.rowsRead).toBe(2);
    expect(r.rejected).toEqual([]);
    expect(r.hasLabel).toBe(true);
    expect(r.rows).toEqual([
      {
        row: 2,
        corporation: "abcd",
        lastmonth_activity: 10,
        lastyear_activity: 100,
        number_of_employees: 5,
        exited: 0,
        raw: { corporation: "abcd", lastmonth_activity: "10", lastyear_activity: "100", number_of_employees: "5", exited: "0" },
      },
      {
        row: 3,
        corporation: "efgh",
        lastmonth_activity: 0,
        lastyear_activity: 2.5,
        number_of_employees: 1,
        exited: 1,
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
      const r = parseClientCsv(input, required);
      expect(r.rows).toHaveLength(1);
      expect(r.rows[0].corporation).toBe("abcd");
    }
  });

  it("accepts CRLF, CR-only and mixed line endings", () => {
    const lines = [HEADER, "a,1,2,3,0", "b,4,5,6,1"];
    for (const text of [lines.join("\r\n") + "\r\n", lines.join("\r"), `${lines[0]}\r\n${lines[1]}\n${lines[2]}`]) {
      const r = parseClientCsv(text, required);
      expect(r.rows.map((x) => [x.row, x.corporation, x.exited])).toEqual([
        [2, "a", 0],
        [3, "b", 1],
      ]);
      expect(r.rows[1].raw.exited).toBe("1");
    }
  });

  it("handles quoted fields, quoted commas, escaped quotes and whitespace around quotes", () => {
    const r = parseClientCsv(csv(HEADER, '"Acme, Inc.",1,2,3,0', '"The ""Best"" Co", "4" ,5,6,1'), required);
    expect(r.rejected).toEqual([]);
    expect(r.rows.map((x) => x.corporation)).toEqual(["Acme, Inc.", 'The "Best" Co']);
    expect(r.rows[1].lastmonth_activity).toBe(4);
  });

  it("numbers a record that spans lines by the line where it starts", () => {
    const text = csv(HEADER, '"multi\nline\nname",1,2,3,0', "next,4,5,6,1", '"crlf\r\ninside",7,8,9,0', "last,1,1,1,1");
    const r = parseClientCsv(text, required);
    expect(r.rows.map((x) => [x.row, x.corporation])).toEqual([
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
    const r = parseClientCsv(text, required);
    expect(r.rows).toHaveLength(1);
    expect(r.rows[0]).toMatchObject({
      row: 2,
      corporation: "abcd",
      lastmonth_activity: 100,
      lastyear_activity: 1200,
      number_of_employees: 30,
      exited: 1,
    });
    // Schema columns keyed by schema name, extra named columns by their header; unnamed columns dropped.
    expect(r.rows[0].raw).toEqual({
      corporation: "abcd",
      lastmonth_activity: "100",
      lastyear_activity: "1200",
      number_of_employees: "30",
      exited: "1",
      NOTES: "big client",
    });
  });

  it("skips blank lines, whitespace-only lines and all-empty records, and numbers rows by file line", () => {
    const text = csv("", HEADER, "", "a,1,2,3,0", "   ", ",,,,", "b,4,5,6,1", "", "");
    const r = parseClientCsv(text, required);
    expect(r.rowsRead).toBe(2);
    expect(r.rows.map((x) => x.row)).toEqual([4, 7]);
  });

  it("trims values and accepts signs, decimals, exponents and -0", () => {
    const r = parseClientCsv(csv(HEADER, " abcd , 12 ,+3.5, 1e3 , 1 ", "b,.5,7.,-0,0"), required);
    expect(r.rejected).toEqual([]);
    expect(r.rows[0]).toMatchObject({ corporation: "abcd", lastmonth_activity: 12, lastyear_activity: 3.5, number_of_employees: 1000, exited: 1 });
    expect(r.rows[1]).toMatchObject({ lastmonth_activity: 0.5, lastyear_activity: 7, number_of_employees: 0 });
    expect(Object.is(r.rows[1].number_of_employees, 0)).toBe(true);
    // raw holds the cells as parsed: whitespace outside quotes trimmed
    expect(r.rows[0].raw.corporation).toBe("abcd");
    expect(r.rows[0].raw.lastyear_activity).toBe("+3.5");
  });

  it("accepts values up to the bound 1e15 (MAX_FEATURE_VALUE)", () => {
    const r = parseClientCsv(csv(HEADER, "a,1e15,1000000000000000,999999999999999.9,0"), required);
    expect(r.rejected).toEqual([]);
    expect(r.rows[0]).toMatchObject({ lastmonth_activity: 1e15, lastyear_activity: 1e15 });
  });

  it("accepts labels written as 0.0 and 1.0", () => {
    const r = parseClientCsv(csv(HEADER, "a,1,2,3,1.0", "b,1,2,3,0.00", "c,1,2,3, 1 "), required);
    expect(r.rows.map((x) => x.exited)).toEqual([1, 0, 1]);
  });
});

describe("parseClientCsv — empty feature cells", () => {
  it("keeps rows with empty features as null and reports the missing fraction per column", () => {
    const text = csv(HEADER, "a,,2,3,0", "b,1,,,1", "c,1,2,3,0", "d,  ,2,3,1");
    const r = parseClientCsv(text, required);
    expect(r.rejected).toEqual([]);
    expect(r.rows.map((x) => [x.lastmonth_activity, x.lastyear_activity, x.number_of_employees])).toEqual([
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
    const r = parseClientCsv(text, required);
    expect(r.rowsRead).toBe(4);
    expect(r.rejected.map((x) => x.row)).toEqual([2, 3]);
    expect(r.missingByColumn).toMatchObject({ corporation: 0.25, lastmonth_activity: 0.25, exited: 0.25 });
  });
});

describe("parseClientCsv — rejected rows", () => {
  const cases: [string, string, string, RegExp][] = [
    ["empty corporation", "  ,1,2,3,0", "corporation", /must not be empty/],
    ["text feature", "a,abc,2,3,0", "lastmonth_activity", /not a number: "abc"/],
    ["incomplete exponent", "a,1e,2,3,0", "lastmonth_activity", /not a number/],
    ["NaN", "a,1,NaN,3,0", "lastyear_activity", /not a number/],
    ["Infinity", "a,1,Infinity,3,0", "lastyear_activity", /not a number/],
    ["overflowing exponent", "a,1,1e999,3,0", "lastyear_activity", /not a finite number/],
    ["hex", "a,1,2,0x10,0", "number_of_employees", /not a number/],
    ["negative", "a,1,2,-3,0", "number_of_employees", /must not be negative/],
    ["huge but finite (its square overflows)", "a,1e308,2,3,0", "lastmonth_activity", /too large: "1e308" \(at most 1e\+15/],
    ["just above the bound", "a,1,1000000000000001,3,0", "lastyear_activity", /too large/],
    ["quoted thousands separator", 'a,"1,000",2,3,0', "lastmonth_activity", /thousands separators/],
    ["space thousands separator", "a,1 000,2,3,0", "lastmonth_activity", /thousands separators/],
    ["dotted thousands separator", "a,1.000.000,2,3,0", "lastmonth_activity", /thousands separators/],
    ["decimal comma", 'a,"1,5",2,3,0', "lastmonth_activity", /thousands separators/],
    ["empty label", "a,1,2,3,", "exited", /label is missing/],
    ["label 2", "a,1,2,3,2", "exited", /must be 0 or 1, got "2"/],
    ["label yes", "a,1,2,3,yes", "exited", /must be 0 or 1, got "yes"/],
    ["label true", "a,1,2,3,true", "exited", /must be 0 or 1/],
    ["label 0.5", "a,1,2,3,0.5", "exited", /must be 0 or 1/],
    ["label 1.01", "a,1,2,3,1.01", "exited", /must be 0 or 1/],
    ["label -1", "a,1,2,3,-1", "exited", /must be 0 or 1/],
  ];

  it.each(cases)("%s → rejected with its row number and column", (_name, line, column, problem) => {
    const r = parseClientCsv(csv(HEADER, "ok1,1,2,3,0", line, "ok2,1,2,3,1"), required);
    expect(r.rowsRead).toBe(3);
    expect(r.rows.map((x) => x.corporation)).toEqual(["ok1", "ok2"]);
    expect(r.rejected).toHaveLength(1);
    expect(r.rejected[0].row).toBe(3);
    expect(r.rejected[0].column).toBe(column);
    expect(r.rejected[0].problem).toMatch(problem);
    expect(r.rejected[0].raw.corporation).toBe(line.startsWith("  ") ? "" : "a");
  });

  it("reports the first problem in schema column order", () => {
    // Column order in the file differs from the schema order; the schema order decides.
    const text = csv(
      "exited,number_of_employees,lastyear_activity,lastmonth_activity,corporation",
      "yes,-1,abc,xyz,a",
      "yes,-1,5,6,b",
      "9,1,2,3,c",
    );
    const r = parseClientCsv(text, required);
    expect(r.rejected.map((x) => [x.row, x.column])).toEqual([
      [2, "lastmonth_activity"],
      [3, "number_of_employees"],
      [4, "exited"],
    ]);
  });

  it("numbers rejected rows by file line across blank lines and multi-line records", () => {
    const text = csv(HEADER, '"a\nb",1,2,3,0', "", "bad,1,2,3,yes");
    const r = parseClientCsv(text, required);
    expect(r.rejected.map((x) => x.row)).toEqual([5]);
  });
});

describe("parseClientCsv — label modes", () => {
  const noLabel = csv("corporation,lastmonth_activity,lastyear_activity,number_of_employees", "a,1,2,3");
  const withBadLabel = csv(HEADER, "a,1,2,3,yes", "b,1,2,3,1");

  it("required: a missing exited column is a whole-file error", () => {
    const e = appError(() => parseClientCsv(noLabel, required));
    expect(e.code).toBe("unprocessable:csv");
    expect(e.message).toMatch(/exited/);
  });

  it("optional: no exited column → no labels", () => {
    const r = parseClientCsv(noLabel, { label: "optional" });
    expect(r.hasLabel).toBe(false);
    expect(r.rows[0].exited).toBeNull();
    expect(Object.keys(r.missingByColumn)).toEqual(["corporation", "lastmonth_activity", "lastyear_activity", "number_of_employees"]);
  });

  it("optional: an exited column present is parsed and validated", () => {
    const r = parseClientCsv(withBadLabel, { label: "optional" });
    expect(r.hasLabel).toBe(true);
    expect(r.rows.map((x) => x.exited)).toEqual([1]);
    expect(r.rejected).toMatchObject([{ row: 2, column: "exited" }]);
  });

  it("forbidden-ignored: exited is ignored even when present and invalid, but kept in raw", () => {
    const r = parseClientCsv(withBadLabel, { label: "forbidden-ignored" });
    expect(r.hasLabel).toBe(false);
    expect(r.rejected).toEqual([]);
    expect(r.rows.map((x) => x.exited)).toEqual([null, null]);
    expect(r.rows[0].raw.exited).toBe("yes");
    expect(r.missingByColumn).not.toHaveProperty("exited");
    expect(parseClientCsv(noLabel, { label: "forbidden-ignored" }).rows).toHaveLength(1);
  });
});

describe("parseClientCsv — whole-file errors", () => {
  const modes: LabelMode[] = ["required", "optional", "forbidden-ignored"];

  it.each([
    ["empty string", ""],
    ["only blank lines", "\n\r\n  \n"],
    ["only a BOM", "\ufeff"],
  ])("%s → unprocessable:csv (no data rows)", (_name, text) => {
    for (const label of modes) {
      const e = appError(() => parseClientCsv(text, { label }));
      expect(e.code).toBe("unprocessable:csv");
      expect(e.status).toBe(422);
      expect(e.message).toMatch(/the file has no data rows/);
    }
  });

  it("header only (with trailing blank lines) → unprocessable:csv (no data rows)", () => {
    const e = appError(() => parseClientCsv(HEADER + "\r\n\r\n", required));
    expect(e.code).toBe("unprocessable:csv");
    expect(e.message).toMatch(/the file has no data rows/);
  });

  it("missing columns → unprocessable:csv naming the missing and the found columns", () => {
    const e = appError(() => parseClientCsv(csv("Corporation,lastmonth,number_of_employees,extra", "a,1,2,x"), required));
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
    const e = appError(() => parseClientCsv(csv("abcd,1,2,3,0", "efgh,4,5,6,1"), required));
    expect(e.code).toBe("unprocessable:csv");
    expect(e.message).toMatch(/Missing required column/);
  });

  it("duplicate header names (case-insensitive) → unprocessable:csv", () => {
    const e = appError(() => parseClientCsv(csv(HEADER + ",Corporation ", "a,1,2,3,0,b"), required));
    expect(e.code).toBe("unprocessable:csv");
    expect(e.message).toMatch(/more than once \(Corporation\)/);
    expect(e.details).toEqual([{ row: 1, column: "Corporation", problem: "duplicate column name" }]);
    expect(appError(() => parseClientCsv(csv(HEADER + ",note,NOTE", "a,1,2,3,0,x,y"), required)).code).toBe("unprocessable:csv");
  });

  it("several unnamed columns (trailing commas) are not duplicates", () => {
    const r = parseClientCsv(csv(HEADER + ",,", "a,1,2,3,0,,"), required);
    expect(r.rows).toHaveLength(1);
  });

  it("inconsistent field count → bad_request:csv with the line", () => {
    const e = appError(() => parseClientCsv(csv(HEADER, "a,1,2,3,0", "", "b,1,2,3"), required));
    expect(e.code).toBe("bad_request:csv");
    expect(e.status).toBe(400);
    expect(e.message).toMatch(/line 4/);
    expect(e.details).toEqual([{ row: 4, problem: "has 4 fields but the header has 5" }]);
    const more = appError(() => parseClientCsv(csv(HEADER, "a,1,2,3,0,extra"), required));
    expect(more.details?.[0].row).toBe(2);
  });

  it("unclosed quote → bad_request:csv pointing at the line where the record starts", () => {
    const e = appError(() => parseClientCsv(csv(HEADER, "a,1,2,3,0", "", '"b,1,2,3,0', "c,1,2,3,1"), required));
    expect(e.code).toBe("bad_request:csv");
    expect(e.message).toMatch(/line 4/);
    expect(e.details?.[0]).toMatchObject({ row: 4 });
  });

  it("stray quote inside an unquoted field → bad_request:csv with the line", () => {
    const e = appError(() => parseClientCsv(csv(HEADER, "a,1,2,3,0", 'Joe "Big" Co,1,2,3,0'), required));
    expect(e.code).toBe("bad_request:csv");
    expect(e.details?.[0].row).toBe(3);
  });

  it("text after a closing quote → bad_request:csv with the line", () => {
    const e = appError(() => parseClientCsv(csv(HEADER, "a,1,2,3,0", "b,1,2,3,0", '"c"x,1,2,3,0'), required));
    expect(e.code).toBe("bad_request:csv");
    expect(e.details?.[0].row).toBe(4);
  });

  it("line numbers in syntax errors stay right after quoted CRLF line breaks", () => {
    const text = [HEADER, '"a\r\nb",1,2,3,0', "c,1,2,3"].join("\r\n") + "\r\n";
    const e = appError(() => parseClientCsv(text, required));
    expect(e.details?.[0].row).toBe(4);
  });

  it("binary input (NUL bytes) → unsupported_media_type:csv", () => {
    const dsStore = Buffer.from([0, 0, 0, 1, 0x42, 0x75, 0x64, 0x31, 0, 0, 0x10, 0]);
    for (const input of [dsStore, new Uint8Array(dsStore), "corporation\u0000,x"]) {
      const e = appError(() => parseClientCsv(input, required));
      expect(e.code).toBe("unsupported_media_type:csv");
      expect(e.status).toBe(415);
    }
  });

  it("invalid UTF-8 and UTF-16 → unsupported_media_type:csv", () => {
    const latin1 = Buffer.from(csv(HEADER, "Soci\u00e9t\u00e9,1,2,3,0"), "latin1");
    expect(appError(() => parseClientCsv(latin1, required)).code).toBe("unsupported_media_type:csv");
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv(HEADER, "a,1,2,3,0"), "utf16le")]);
    const e = appError(() => parseClientCsv(utf16, required));
    expect(e.code).toBe("unsupported_media_type:csv");
    expect(e.message).toMatch(/UTF-16/);
  });

  it("valid UTF-8 with non-ASCII names is fine", () => {
    const r = parseClientCsv(Buffer.from(csv(HEADER, "Soci\u00e9t\u00e9 G\u00e9n\u00e9rale,1,2,3,0")), required);
    expect(r.rows[0].corporation).toBe("Soci\u00e9t\u00e9 G\u00e9n\u00e9rale");
  });
});
