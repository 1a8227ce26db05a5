import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const ROOT = path.join(__dirname, "..");

/** The database URL points into a folder that does not exist: `schema` must never open (or create) it. */
function cli(args: string[]) {
  const nowhere = path.join(os.tmpdir(), `no-db-${process.pid}`, "app.db");
  return {
    nowhere,
    result: run(process.execPath, [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), path.join(ROOT, "scripts/pipeline.ts"), ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: `file:${nowhere}` },
    }),
  };
}

describe("npm run pipeline -- schema (no database)", () => {
  it("infer: the schema on stdout, the report on stderr, exit 0; nothing opened", async () => {
    const { nowhere, result } = cli(["schema", "infer", "data/sourcedata/clients_2024-01.csv", "--label", "exited", "--id", "corporation", "--time", "month"]);
    const { stdout, stderr } = await result;
    expect(JSON.parse(stdout)).toEqual(JSON.parse(fs.readFileSync(path.join(ROOT, "data/schema.json"), "utf8")));
    expect(stderr).toMatch(/333 data rows read/);
    expect(fs.existsSync(path.dirname(nowhere))).toBe(false);
  });

  it("exit 2 on a usage error, 1 on an AppError", async () => {
    await expect(cli(["schema", "infer", "data/sourcedata/clients_2024-01.csv"]).result).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/^usage: .*schema infer FILE\.csv --label COL/) });
    await expect(cli(["schema", "check", "data/no-such-schema.json"]).result).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/data\/no-such-schema\.json cannot be read.*\(bad_request:schema\)/) });
  });
});
