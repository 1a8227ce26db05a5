import path from "node:path";
import { describe, expect, it } from "vitest";
import { formatInferenceReport, inferSchema, inferSchemaFile, type ColumnReport, type InferOptions } from "./infer";
import { DEFAULT_SCHEMA_FILE, loadSchemaFile, parseSchema, schemaFileForm } from "./parse";

const ROOT = path.join(__dirname, "../..");
const DEMO_CSV = path.join(ROOT, "data/sourcedata/clients_2024-01.csv");

/** 20 rows: every kind of column the rules tell apart. */
function mixedCsv(): string {
  const lines = ["client,age,temperature,plan,region,empty,signup,churn"];
  for (let i = 0; i < 20; i++) {
    const age = i === 3 ? "" : String(20 + i);
    const temp = (i - 5) * 1.5;
    const region = ["north", "south", "east"][i % 3];
    const signup = `2024-01-${String(i + 1).padStart(2, "0")}`;
    lines.push(`c${i},${age},${temp},${i % 2},${region},,${signup},${i % 4 === 0 ? "yes" : "no"}`);
  }
  return `${lines.join("\n")}\n`;
}

const column = (cols: ColumnReport[], name: string) => cols.find((c) => c.name === name)!;

async function rejection(csv: string, opts: InferOptions) {
  return inferSchema(csv, { name: "t.csv", ...opts }).then(
    () => {
      throw new Error("inferSchema accepted it");
    },
    (e) => e,
  );
}

describe("inferSchema: the column rules", () => {
  it("numeric (min 0 or unbounded), 0/1 codes → categorical, few text values → categorical, id-like text, empty and date columns left out", async () => {
    const r = await inferSchema(mixedCsv(), { label: "churn" });
    expect(r.rows).toBe(20);
    expect(r.schema).toEqual({
      id: null,
      label: "churn",
      positive: "yes",
      negative: "no",
      time: null,
      features: [
        { name: "age", type: "numeric", min: 0, max: null },
        { name: "temperature", type: "numeric", min: null, max: null },
        { name: "plan", type: "categorical" },
        { name: "region", type: "categorical" },
      ],
    });
    expect(r.columns.map((c) => [c.name, c.role, c.type])).toEqual([
      ["client", "ignored", "text"],
      ["age", "feature", "numeric"],
      ["temperature", "feature", "numeric"],
      ["plan", "feature", "categorical"],
      ["region", "feature", "categorical"],
      ["empty", "ignored", "empty"],
      ["signup", "ignored", "time"],
      ["churn", "label", null],
    ]);
    expect(column(r.columns, "age")).toMatchObject({ distinct: 19, distinctCapped: false, missing: 1 / 20, sample: ["20", "21", "22", "24", "25"] });
    expect(column(r.columns, "age").reason).toMatch(/all ≥ 0, so min 0/);
    expect(column(r.columns, "temperature").reason).toMatch(/unbounded \(values down to -7\.5\)/);
    expect(column(r.columns, "plan").reason).toMatch(/only 2 distinct value\(s\) \(≤ 10\): categorical codes or flags/);
    expect(column(r.columns, "client").reason).toMatch(/20 distinct values over 20 non-empty cells \(more than half\): free text/);
    expect(column(r.columns, "empty")).toMatchObject({ distinct: 0, missing: 1, sample: [] });
    expect(r.notes).toEqual([
      'column "empty" is empty: left out',
      'column "signup" holds ISO dates: pass --time signup to make it the time column',
      'no --id: the schema\'s id is null, so rows are deduplicated by their whole content; column "client" has a distinct value on every row: pass --id client if it names the entity',
    ]);
  });

  it("--id and --time take their columns (matched case-insensitively, spelt as in the header)", async () => {
    const r = await inferSchema(mixedCsv(), { label: "CHURN", id: "Client", time: "signup" });
    expect(r.schema).toMatchObject({ id: "client", label: "churn", time: "signup" });
    expect(r.schema.features.map((f) => f.name)).toEqual(["age", "temperature", "plan", "region"]);
    expect(column(r.columns, "client")).toMatchObject({ role: "id", type: null });
    expect(column(r.columns, "signup")).toMatchObject({ role: "time", type: "time" });
    expect(r.notes).toEqual(['column "empty" is empty: left out']);
  });

  it("a year column stays a feature candidate, with a note proposing it as the time; --time takes it", async () => {
    const csv = `year,x,y\n${Array.from({ length: 30 }, (_, i) => `${2000 + (i % 12)},${i},${i % 2}`).join("\n")}\n`;
    const r = await inferSchema(csv, { label: "y" });
    expect(column(r.columns, "year")).toMatchObject({ role: "feature", type: "numeric", distinct: 12 });
    expect(r.notes).toContain('column "year" holds 4-digit years: pass --time year to make it the time column instead of a feature');
    expect((await inferSchema(csv, { label: "y", time: "year" })).schema).toMatchObject({ time: "year", features: [{ name: "x" }] });
    await expect(inferSchema(csv, { label: "y", time: "x" })).rejects.toMatchObject({ code: "unprocessable:schema", message: expect.stringMatching(/--time "x" must hold ISO dates .* found "0", "1", "2"/) });
  });

  it("a mostly numeric column with stray text is categorical, with a note naming the stray values", async () => {
    const rows = Array.from({ length: 40 }, (_, i) => `${i === 7 ? "N/A" : i % 5},${i % 2}`);
    const r = await inferSchema(`score,y\n${rows.join("\n")}\n`, { label: "y" });
    expect(column(r.columns, "score")).toMatchObject({ role: "feature", type: "categorical" });
    expect(r.notes).toContain('column "score" is 97.5% numbers but also holds "N/A", so it is read as text; clean those cells to make it numeric');
  });

  it("counts distinct values exactly up to 10,000, then says 10000+ (text: free text; numbers: numeric)", async () => {
    const n = 10_050;
    const rows = Array.from({ length: n }, (_, i) => `k${i},${i / 10},${i % 2}`);
    const r = await inferSchema(`key,amount,y\n${rows.join("\n")}\n`, { label: "y" });
    expect(column(r.columns, "key")).toMatchObject({ role: "ignored", type: "text", distinct: 10_000, distinctCapped: true });
    expect(column(r.columns, "key").reason).toMatch(/over 10,000 distinct values/);
    expect(column(r.columns, "amount")).toMatchObject({ role: "feature", type: "numeric", distinct: 10_000, distinctCapped: true });
    expect(formatInferenceReport(r)).toMatch(/^key +ignored +text +10000\+/m);
  });
});

describe("inferSchema: the label", () => {
  it.each<[string, string[], InferOptions["positive"], [string, string]]>([
    ["0/1", ["0", "1"], undefined, ["1", "0"]],
    ["0.0/1.0 (pandas with gaps)", ["1.0", "0.0"], undefined, ["1", "0"]],
    ["0/1 with --positive 0", ["0", "1"], "0", ["0", "1"]],
    ["True/False", ["False", "True"], undefined, ["True", "False"]],
    ["Y/N, mixed case (the most frequent spelling wins)", ["N", "Y", "y", "Y"], undefined, ["Y", "N"]],
    ["churned/stayed with --positive", ["stayed", "churned"], "CHURNED", ["churned", "stayed"]],
  ])("%s", async (_what, values, positive, [pos, neg]) => {
    const rows = Array.from({ length: 12 }, (_, i) => `${i},${values[i % values.length]}`);
    const r = await inferSchema(`x,label\n${rows.join("\n")}\n`, { label: "label", positive });
    expect([r.schema.positive, r.schema.negative]).toEqual([pos, neg]);
  });

  it.each<[string, string, InferOptions, string, RegExp]>([
    ["a missing --label column", "a,b\n1,2\n", { label: "exited" }, "bad_request:schema", /^t\.csv: --label "exited" is not a column; the columns are "a", "b"$/],
    ["a missing --id column", "a,y\n1,0\n", { label: "y", id: "client" }, "bad_request:schema", /--id "client" is not a column/],
    ["--id naming the label", "a,y\n1,0\n", { label: "y", id: "Y" }, "bad_request:schema", /--id and --label both name column "y"/],
    ["one label value", "a,y\n1,0\n2,0\n", { label: "y" }, "unprocessable:schema", /the label "y" must have exactly two distinct values; found 1: "0"/],
    ["three label values", "a,y\n1,0\n2,1\n3,2\n", { label: "y" }, "unprocessable:schema", /found 3: "0", "1", "2"/],
    ["an empty label", "a,y\n1,\n", { label: "y" }, "unprocessable:schema", /found 0$/],
    ["no positive value to choose", "a,y\n1,churned\n2,stayed\n", { label: "y" }, "unprocessable:schema", /the label "y" has the values "churned", "stayed"; none is 1, true, yes or y: say which counts as 1 with --positive VALUE/],
    ["--positive not a label value", "a,y\n1,0\n2,1\n", { label: "y", positive: "yes" }, "bad_request:schema", /--positive "yes" is not a value of the label "y"; its values are "0", "1"/],
    ["a column named as the label in another case", "y,a,Y\n1,2,0\n", { label: "y" }, "unprocessable:schema", /columns "y" and "Y" differ only in case/],
  ])("rejects %s", async (_what, csv, opts, code, message) => {
    const e = await rejection(csv, opts);
    expect(e).toMatchObject({ code });
    expect(e.message).toMatch(message);
  });

  it("notes missing labels and repeated ids", async () => {
    const r = await inferSchema("id,x,y\na,1,0\na,2,\nb,3,1\n", { label: "y", id: "id" });
    expect(r.notes).toEqual(['1 row(s) have no label in "y"; the ingestion rejects them', 'the id "id" repeats: 2 distinct values over 3 rows']);
  });
});

describe("inferSchema: the file", () => {
  it("BOM, CRLF, quoted fields, whitespace and blank lines; the same result streamed in 7-byte chunks", async () => {
    const csv = `\uFEFF id , "note, quoted" ,n,y\r\n a ,"x, ""1""", 5 ,1\r\n\r\n,,,\r\nb,"line\nbreak",6,0\r\n`;
    const whole = await inferSchema(csv, { label: "y" });
    expect(whole.rows).toBe(2);
    expect(whole.columns.map((c) => c.name)).toEqual(["id", "note, quoted", "n", "y"]);
    expect(whole.schema.features).toEqual([{ name: "n", type: "categorical" }]);
    expect(column(whole.columns, "id").sample).toEqual(["a", "b"]);
    expect(column(whole.columns, "note, quoted").sample).toEqual(['x, "1"', "line\nbreak"]);
    const bytes = Buffer.from(csv);
    async function* chunks() {
      for (let i = 0; i < bytes.length; i += 7) yield bytes.subarray(i, i + 7);
    }
    expect(await inferSchema(chunks(), { label: "y" })).toEqual(whole);
  });

  it.each<[string, string | Buffer, string, RegExp]>([
    ["an unclosed quote", 'a,y\n"1,0\n', "bad_request:csv", /^t\.csv: line \d+: .*Quote Not Closed/i],
    ["a row with another field count", "a,y\n1,0\n1,0,3\n", "bad_request:csv", /^t\.csv: line 3: 3 fields, but the header has 2$/],
    ["UTF-16", Buffer.from("\uFEFFa,y\n1,0\n", "utf16le"), "unsupported_media_type:csv", /UTF-16/],
    ["an empty file", "", "unprocessable:csv", /t\.csv is empty/],
    ["a header only", "a,y\n", "unprocessable:csv", /no data rows/],
    ["no feature", "a,y\n,0\n,1\n", "unprocessable:schema", /no column can be a feature: "a": every cell is empty/],
  ])("rejects %s", async (_what, csv, code, message) => {
    const e = await rejection(csv as string, { label: "y" });
    expect(e).toMatchObject({ code });
    expect(e.message).toMatch(message);
  });

  it("a path that is not a file is bad_request:schema naming it", async () => {
    await expect(inferSchemaFile("/no/such.csv", { label: "y" })).rejects.toMatchObject({ code: "bad_request:schema", message: "/no/such.csv: there is no such file" });
    await expect(inferSchemaFile(ROOT, { label: "y" })).rejects.toMatchObject({ code: "bad_request:schema", message: `${ROOT} is not a file` });
  });

  it("the course data with --label exited --id corporation --time month gives data/schema.json; counts agree with pandas", async () => {
    const r = await inferSchemaFile(DEMO_CSV, { label: "exited", id: "corporation", time: "month" });
    expect(r.schema).toEqual(loadSchemaFile(path.join(ROOT, DEFAULT_SCHEMA_FILE)));
    expect(parseSchema(JSON.parse(JSON.stringify(schemaFileForm(r.schema))), "printed")).toEqual(r.schema);
    // /usr/bin/python3 -c 'import pandas as pd; df = pd.read_csv("data/sourcedata/clients_2024-01.csv", dtype=str, keep_default_na=False, na_values=[""]);
    //   print(len(df), df.nunique().to_dict(), df.isna().sum().to_dict())'
    // → 333 {'corporation': 333, 'lastmonth_activity': 268, 'lastyear_activity': 323, 'number_of_employees': 153, 'exited': 2, 'month': 1}
    //       {'corporation': 0, 'lastmonth_activity': 1, 'lastyear_activity': 0, 'number_of_employees': 0, 'exited': 0, 'month': 0}
    expect(r.rows).toBe(333);
    expect(Object.fromEntries(r.columns.map((c) => [c.name, c.distinct]))).toEqual({ corporation: 333, lastmonth_activity: 268, lastyear_activity: 323, number_of_employees: 153, exited: 2, month: 1 });
    expect(Object.fromEntries(r.columns.map((c) => [c.name, c.missing * r.rows]))).toEqual({ corporation: 0, lastmonth_activity: 1, lastyear_activity: 0, number_of_employees: 0, exited: 0, month: 0 });
    expect(r.notes).toEqual([]);
    const report = formatInferenceReport(r);
    expect(report).toMatch(/^333 data rows read\n/);
    expect(report).toMatch(/^lastmonth_activity +feature +numeric +268 +0\.3% +95, 121, 213 +numbers with 268 distinct values/m);
  });
});
