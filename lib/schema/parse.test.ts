import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { DEMO_SCHEMA } from "../testing/demo-schema";
import {
  DEFAULT_SCHEMA_FILE,
  canonicalSchemaJson,
  labelParser,
  labelValueOf,
  loadSchemaFile,
  parseSchema,
  schemaDifferences,
  schemaFileForm,
} from "./parse";
import type { DataSchema } from "./types";

const ROOT = path.join(__dirname, "../..");

/** data/schema.json as lib/testing/demo-schema.ts spells it out for other tests (this file pins that the two agree). */
const DEMO = DEMO_SCHEMA;

const base = { id: "client", label: "churn", positive: "yes", negative: "no", features: { age: "numeric" } };

function rejection(json: unknown): AppError {
  try {
    parseSchema(json, "my-schema.json");
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error("parseSchema accepted it");
}

function tempFile(name: string, content: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "schema-"));
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
}

describe("parseSchema", () => {
  it("reads the demo file data/schema.json", () => {
    expect(loadSchemaFile(path.join(ROOT, DEFAULT_SCHEMA_FILE))).toEqual(DEMO);
  });

  it("normalises: every form of feature, the file's key order, names trimmed, numbers and booleans as text, time optional", () => {
    const s = parseSchema(
      {
        id: null,
        label: " churn ",
        positive: 1,
        negative: 0,
        features: {
          zeta: "categorical",
          alpha: "numeric",
          " tenure ": { type: "numeric", min: 0, max: 120 },
          plan: { type: "categorical" },
          spend: { type: "numeric", max: null },
        },
      },
      "f.json",
    );
    expect(s).toEqual({
      id: null,
      label: "churn",
      positive: "1",
      negative: "0",
      time: null,
      features: [
        { name: "zeta", type: "categorical" },
        { name: "alpha", type: "numeric", min: null, max: null },
        { name: "tenure", type: "numeric", min: 0, max: 120 },
        { name: "plan", type: "categorical" },
        { name: "spend", type: "numeric", min: null, max: null },
      ],
    });
    expect(parseSchema({ ...base, positive: true, negative: false, time: "month" }, "f.json")).toMatchObject({ positive: "true", negative: "false", time: "month" });
  });

  it.each([
    ["1", "0"],
    [1, "0"],
    ["1.0", "0"],
    [true, "false"],
    ["true", "false"],
    ["TRUE", "FALSE"],
    ["True", "False"],
    ["yes", "no"],
    ["Yes", "No"],
    ["YES", "NO"],
    ["y", "n"],
    ["Y", "N"],
  ])("derives a missing negative: positive %j → %j", (positive, negative) => {
    expect(parseSchema({ ...base, positive, negative: undefined }, "f.json").negative).toBe(negative);
  });

  it("asks for negative when it cannot be derived", () => {
    const e = rejection({ ...base, positive: "churned", negative: undefined });
    expect(e.code).toBe("unprocessable:schema");
    expect(e.message).toMatch(/^my-schema\.json: "negative" is missing .*"churned".*write "negative"/);
  });

  it.each<[string, unknown, RegExp]>([
    ["a missing key", { ...base, id: undefined }, /"id" is missing/],
    ["a wrong type", { ...base, label: 3 }, /"label" must be a column name/],
    ["an unknown key", { ...base, lable: "x" }, /the schema file has an unknown key: "lable"/],
    ["not an object", [1], /the schema file must be a JSON object/],
    ["a wrong feature type", { ...base, features: { age: "number" } }, /feature "age" must be "numeric", "categorical"/],
    ["a misspelt bound", { ...base, features: { age: { type: "numeric", minimum: 0 } } }, /feature "age" has an unknown key: "minimum"/],
    ["a bound that is not a number", { ...base, features: { age: { type: "numeric", min: "0" } } }, /feature "age": "min" must be a finite number/],
    ["min > max", { ...base, features: { age: { type: "numeric", min: 5, max: 2 } } }, /feature "age": min \(5\) is greater than max \(2\)/],
    ["no feature", { ...base, features: {} }, /"features" is empty/],
    ["an empty name", { ...base, features: { " ": "numeric" } }, /a feature name \(" "\) must not be empty/],
    ["a name over 200 characters", { ...base, label: "x".repeat(201) }, /"label" is longer than 200 characters/],
    ["an empty positive", { ...base, positive: " " }, /"positive" must not be empty/],
    ["positive = negative", { ...base, positive: "Yes", negative: "yes" }, /"positive" \("Yes"\) and "negative" \("yes"\) are the same label value/],
    ["positive = negative as numbers", { ...base, positive: "1", negative: 1.0 }, /are the same label value/],
    ["a feature that is the label", { ...base, features: { Churn: "categorical" } }, /column "Churn" is used twice \("label" and feature "Churn"\)/],
    ["the id as time", { ...base, time: "CLIENT" }, /column "CLIENT" is used twice \("id" and "time"\)/],
    ["a feature twice in another case", { ...base, features: { age: "numeric", AGE: "numeric" } }, /column "AGE" is used twice \(feature "age" and feature "AGE"\)/],
  ])("rejects %s, naming the file and the field", (_what, json, message) => {
    const e = rejection(json);
    expect(e.code).toBe("unprocessable:schema");
    expect(e.message).toMatch(/^my-schema\.json: /);
    expect(e.message).toMatch(message);
  });
});

describe("loadSchemaFile", () => {
  it("a missing file is bad_request:schema naming the path; bad JSON is unprocessable:schema naming the path; a BOM is fine", () => {
    expect(() => loadSchemaFile("/no/such/schema.json")).toThrow(expect.objectContaining({ code: "bad_request:schema", message: expect.stringMatching(/\/no\/such\/schema\.json.*no such file/) }));
    const bad = tempFile("bad.json", "{ id: 1 }");
    expect(() => loadSchemaFile(bad)).toThrow(expect.objectContaining({ code: "unprocessable:schema", message: expect.stringContaining(`${bad}: not valid JSON`) }));
    const bom = tempFile("bom.json", `\uFEFF${fs.readFileSync(path.join(ROOT, DEFAULT_SCHEMA_FILE), "utf8")}`);
    expect(loadSchemaFile(bom)).toEqual(DEMO);
  });
});

describe("canonicalSchemaJson and schemaFileForm", () => {
  it("canonical JSON has a fixed key order whatever the input's, and keeps the feature order", () => {
    const shuffled = { features: DEMO.features.map((f) => ({ max: null, min: 0, type: "numeric" as const, name: f.name })), time: "month", negative: "0", positive: "1", label: "exited", id: "corporation" };
    expect(canonicalSchemaJson(shuffled)).toBe(canonicalSchemaJson(DEMO));
    expect(canonicalSchemaJson(DEMO)).toBe(
      '{"id":"corporation","label":"exited","positive":"1","negative":"0","time":"month","features":[' +
        '{"name":"lastmonth_activity","type":"numeric","min":0,"max":null},{"name":"lastyear_activity","type":"numeric","min":0,"max":null},{"name":"number_of_employees","type":"numeric","min":0,"max":null}]}',
    );
  });

  it("the file form is what data/schema.json holds, and parses back to the same schema", () => {
    expect(schemaFileForm(DEMO)).toEqual(JSON.parse(fs.readFileSync(path.join(ROOT, DEFAULT_SCHEMA_FILE), "utf8")));
    const mixed: DataSchema = {
      ...DEMO,
      time: "month",
      features: [
        { name: "a", type: "numeric", min: null, max: null },
        { name: "b", type: "numeric", min: null, max: 9 },
        { name: "c", type: "categorical" },
      ],
    };
    expect(schemaFileForm(mixed)).toMatchObject({ features: { a: "numeric", b: { type: "numeric", max: 9 }, c: "categorical" } });
    expect(parseSchema(JSON.parse(JSON.stringify(schemaFileForm(mixed))), "x")).toEqual(mixed);
  });
});

describe("schemaDifferences", () => {
  it("is empty for the same schema", () => {
    expect(schemaDifferences(DEMO, structuredClone(DEMO))).toEqual([]);
  });

  it("names each difference in words", () => {
    const wanted: DataSchema = {
      ...DEMO,
      id: null,
      label: "churn",
      features: [
        { name: "number_of_employees", type: "numeric", min: 1, max: 100 },
        { name: "lastmonth_activity", type: "categorical" },
        { name: "region", type: "categorical" },
      ],
    };
    expect(schemaDifferences(DEMO, wanted)).toEqual([
      'id: stored "corporation", the file says none',
      'label: stored "exited", the file says "churn"',
      'feature "number_of_employees": stored min 0, the file says 1',
      'feature "number_of_employees": stored max none, the file says 100',
      'feature "lastmonth_activity": stored as numeric, the file says categorical',
      'feature "region" is not in the stored schema',
      'feature "lastyear_activity" is stored but not in the file',
      "features are in another order: stored lastmonth_activity, number_of_employees; the file says number_of_employees, lastmonth_activity",
    ]);
  });

  it("agrees with the canonical JSON: a reordering alone is a difference", () => {
    const reordered = { ...DEMO, features: [...DEMO.features].reverse() };
    expect(canonicalSchemaJson(reordered)).not.toBe(canonicalSchemaJson(DEMO));
    expect(schemaDifferences(DEMO, reordered)).toHaveLength(1);
  });
});

describe("labelParser / labelValueOf", () => {
  it("reads 0/1 labels, also as pandas writes an integer column with gaps (floats)", () => {
    // /usr/bin/python3 -c 'import pandas as pd; print(repr(pd.DataFrame({"exited":[1,None,0]}).to_csv(index=False)))'
    // → 'exited\n1.0\n""\n0.0\n'
    const read = labelParser(DEMO);
    expect(["1.0", "", "0.0"].map(read)).toEqual([1, null, 0]);
    expect(["1", "0", " 1 ", "01", "+1", "1e0", "-0", "2", "0.5", "yes", "1,0", "NaN"].map(read)).toEqual([1, 0, 1, 1, 1, 1, 0, null, null, null, null, null]);
  });

  it("reads text labels case-insensitively; a third value is null", () => {
    const schema = { positive: "Yes", negative: "No" };
    expect(["Yes", "yes", "YES", " no ", "No", "maybe", "", "1", "y"].map((c) => labelValueOf(schema, c))).toEqual([1, 1, 1, 0, 0, null, null, null, null]);
  });

  it("mixed text and number values", () => {
    const read = labelParser({ positive: "churned", negative: "0" });
    expect(["CHURNED", "0", "0.0", "1", "stayed"].map(read)).toEqual([1, 0, 0, null, null]);
  });
});
