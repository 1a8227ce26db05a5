import { describe, expect, it } from "vitest";
import { parseClientCsv, streamClientCsv, type LabelMode, type RejectedRowInfo, type StreamedRow } from "./parse-client-csv";

/*
 * streamClientCsv must be parseClientCsv read in pieces: the same rows, row numbers, rejected
 * rows, missing fractions and errors, whatever the chunk borders (1 byte splits multi-byte
 * characters, CRLF pairs and quoted fields).
 */

const H = "corporation,lastmonth_activity,lastyear_activity,number_of_employees,exited";

const CASES: Record<string, string> = {
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

async function streamed(bytes: Buffer, label: LabelMode, chunk: number, noQuotes = false) {
  const rows: StreamedRow[] = [];
  const rejected: RejectedRowInfo[] = [];
  const pieces = function* () {
    for (let i = 0; i < bytes.length; i += chunk) yield bytes.subarray(i, i + chunk);
  };
  const summary = await streamClientCsv(pieces(), { label, reread: () => bytes, noQuotes }, { onRow: (r) => rows.push(r), onRejected: (r) => rejected.push(r) });
  return { ...summary, rows, rejected };
}

function outcome<T>(fn: () => T): { value?: T; error?: unknown } {
  try {
    return { value: fn() };
  } catch (error) {
    return { error };
  }
}

describe("streamClientCsv", () => {
  for (const [name, text] of Object.entries(CASES)) {
    for (const label of ["required", "optional"] as const) {
      it(`reads ${name} (${label}) like parseClientCsv at any chunk size`, async () => {
        const bytes = name === "invalidUtf8" ? Buffer.from(text, "latin1") : Buffer.from(text, "utf8");
        const expected = outcome(() => parseClientCsv(bytes, { label }));
        const ways = [false, ...(bytes.includes(0x22) ? [] : [true])].flatMap((noQuotes) => [1, 3, 7, 64, 1 << 20].map((chunk) => ({ chunk, noQuotes })));
        for (const { chunk, noQuotes } of ways) {
          let got: Awaited<ReturnType<typeof streamed>> | undefined;
          let error: unknown;
          try {
            got = await streamed(bytes, label, chunk, noQuotes);
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
          }
        }
      });
    }
  }

  it("refuses to split a file with quotes as if it had none", async () => {
    await expect(streamed(Buffer.from(CASES.quotedNewlines), "required", 64, true)).rejects.toThrow(/noQuotes/);
  });

  it("rejects a UTF-16 file and a binary file before parsing", async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${H}\n`, "utf16le")]);
    await expect(streamed(utf16, "required", 4)).rejects.toMatchObject({ code: "unsupported_media_type:csv", message: expect.stringContaining("UTF-16") });
    const nul = Buffer.from(`${H}\na,1,2,3,0\n\0\n`);
    await expect(streamed(nul, "required", 5)).rejects.toMatchObject({ code: "unsupported_media_type:csv", message: expect.stringContaining("NUL") });
  });
});
