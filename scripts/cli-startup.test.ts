import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { useTestDb } from "../lib/testing/temp-db";

const run = promisify(execFile);
const ROOT = path.join(__dirname, "..");
const TINY = path.join(ROOT, "data/samples/tiny");

const t = useTestDb();

/**
 * What a CLI start loads is its start-up time (issue 20: `npm run pipeline -- ingest` with nothing
 * new). A preload writes the CommonJS modules the process loaded when it exits.
 */
async function modulesLoadedBy(args: string[]): Promise<string[]> {
  const list = path.join(t.dir, `modules-${args[0]}.json`);
  const preload = path.join(t.dir, "list-modules.cjs");
  fs.writeFileSync(preload, `process.on("exit", () => require("node:fs").writeFileSync(${JSON.stringify(list)}, JSON.stringify(Object.keys(require.cache))));\n`);
  await run(process.execPath, ["--require", preload, path.join(ROOT, "scripts/cli.cjs"), "pipeline", ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: t.url, SOURCE_DIR: TINY, TEST_DATA: path.join(TINY, "testdata.csv") },
  });
  return JSON.parse(fs.readFileSync(list, "utf8")) as string[];
}

const packagesOf = (files: string[]) => new Set(files.map((f) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(f)?.[1]).filter((p): p is string => !!p && p !== ".cache"));

describe("CLI start-up", () => {
  it("ingest loads neither the PostgreSQL driver on SQLite nor what training, reports and the dependency check need", async () => {
    if (!t.url.startsWith("file:")) return; // the PostgreSQL side is what a postgresql:// URL loads
    await modulesLoadedBy(["ingest"]); // the first ingest stores the files
    const packages = packagesOf(await modulesLoadedBy(["ingest"])); // nothing new
    expect(packages).toContain("@prisma/client");
    expect(packages).toContain("better-sqlite3");
    for (const unused of ["pg", "@prisma/adapter-pg", "ml-matrix", "ml-logistic-regression", "semver", "pdfkit"]) expect(packages).not.toContain(unused);
  });
});
