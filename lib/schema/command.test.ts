import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { schemaCommand } from "./command";
import { DEFAULT_SCHEMA_FILE, loadSchemaFile, parseSchema } from "./parse";

const ROOT = path.join(__dirname, "../..");
const DEMO_CSV = path.join(ROOT, "data/sourcedata/clients_2024-01.csv");

async function run(args: string[], env: Record<string, string> = {}) {
  let out = "";
  let err = "";
  const code = await schemaCommand(args, { out: (s) => (out += s), err: (s) => (err += s), env });
  return { code, out, err };
}

describe("pipeline -- schema infer", () => {
  it("prints the file form on stdout (a valid SCHEMA_FILE) and the column report on stderr", async () => {
    const r = await run(["infer", DEMO_CSV, "--label", "exited", "--id", "corporation", "--time", "month"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual(JSON.parse(fs.readFileSync(path.join(ROOT, DEFAULT_SCHEMA_FILE), "utf8")));
    expect(parseSchema(JSON.parse(r.out), "stdout")).toEqual(loadSchemaFile(path.join(ROOT, DEFAULT_SCHEMA_FILE)));
    expect(r.err).toMatch(/^333 data rows read\ncolumn +role +type +distinct +missing +sample +reason\ncorporation +id /);
  });

  it.each([
    ["no FILE", ["infer", "--label", "exited"]],
    ["no --label", ["infer", DEMO_CSV]],
    ["--label without a value", ["infer", DEMO_CSV, "--label"]],
    ["an unknown option", ["infer", DEMO_CSV, "--label", "exited", "--lable", "x"]],
    ["two files", ["infer", DEMO_CSV, DEMO_CSV, "--label", "exited"]],
    ["no subcommand", []],
    ["an unknown subcommand", ["guess"]],
  ])("exits 2 with the usage on %s", async (_what, args) => {
    const r = await run(args);
    expect(r).toMatchObject({ code: 2, out: "" });
    expect(r.err).toMatch(/^usage: npm run pipeline -- schema infer FILE\.csv --label COL/);
  });

  it("exits 1 with the error's message and code", async () => {
    expect(await run(["infer", DEMO_CSV, "--label", "churn"])).toMatchObject({
      code: 1,
      out: "",
      err: expect.stringMatching(/^error: .*clients_2024-01\.csv: --label "churn" is not a column; the columns are "corporation", .* \(bad_request:schema\)\n$/),
    });
    expect(await run(["infer", "/no/such.csv", "--label", "y"])).toMatchObject({ code: 1, err: "error: /no/such.csv: there is no such file (bad_request:schema)\n" });
  });
});

describe("pipeline -- schema check", () => {
  it("checks FILE, else SCHEMA_FILE, else data/schema.json, printing the normalised schema", async () => {
    const demo = loadSchemaFile(path.join(ROOT, DEFAULT_SCHEMA_FILE));
    const byPath = await run(["check", path.join(ROOT, DEFAULT_SCHEMA_FILE)]);
    expect(byPath.code).toBe(0);
    expect(JSON.parse(byPath.out)).toEqual(demo);
    expect(byPath.err).toMatch(/: a valid schema with 3 feature\(s\)\n$/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "schema-check-"));
    const mine = path.join(dir, "mine.json");
    fs.writeFileSync(mine, JSON.stringify({ id: null, label: "y", positive: "yes", features: { a: "categorical" } }));
    expect(JSON.parse((await run(["check"], { SCHEMA_FILE: mine })).out)).toMatchObject({ id: null, positive: "yes", negative: "no" });
    if (process.cwd() === ROOT) expect(JSON.parse((await run(["check"])).out)).toEqual(demo);
  });

  it("an invalid file exits 1 naming it and the field", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "schema-check-"));
    const bad = path.join(dir, "bad.json");
    fs.writeFileSync(bad, JSON.stringify({ id: null, label: "y", positive: "yes", features: { a: { type: "numeric", min: 3, max: 1 } } }));
    expect(await run(["check", bad])).toMatchObject({ code: 1, out: "", err: `error: ${bad}: feature "a": min (3) is greater than max (1) (unprocessable:schema)\n` });
    expect(await run(["check"], { SCHEMA_FILE: path.join(dir, "none.json") })).toMatchObject({ code: 1, err: expect.stringMatching(/none\.json cannot be read: there is no such file \(bad_request:schema\)/) });
  });
});
