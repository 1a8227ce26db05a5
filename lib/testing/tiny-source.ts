import fs from "node:fs";
import path from "node:path";
import { afterEach } from "vitest";
import { loadConfig } from "../config";
import { runFullProcess, type RunView } from "../pipeline/full";
import { TINY_DIR } from "./api";
import { useTestDb, type TestDb } from "./temp-db";

type TinySourceDb = TestDb & { sourceDir: string; full: () => Promise<RunView> };

/**
 * The set-up of the full-process tests on tiny data: before each test a fresh database, a source
 * folder in it with tiny batch1 and batch2, the tiny test data, a report folder and the given
 * DRIFT_TRIGGER (put back to "latest" after the test). The object returned is the current test's
 * database with `sourceDir`; `full()` runs the full process on it as the CLI would.
 */
export function useTinySourceDb(driftTrigger: string): TinySourceDb {
  const current = useTestDb<TinySourceDb>((t) => {
    t.sourceDir = path.join(t.dir, "source");
    fs.mkdirSync(t.sourceDir);
    for (const f of ["batch1.csv", "batch2.csv"]) fs.copyFileSync(path.join(TINY_DIR, f), path.join(t.sourceDir, f));
    Object.assign(process.env, { SOURCE_DIR: t.sourceDir, TEST_DATA: path.join(TINY_DIR, "testdata.csv"), REPORT_DIR: path.join(t.dir, "reports"), DRIFT_TRIGGER: driftTrigger });
  });
  current.full = () => runFullProcess({ db: current.db, trigger: "cli" }, loadConfig(), undefined, { dependencies: "skip" });
  afterEach(() => {
    process.env.DRIFT_TRIGGER = "latest";
  });
  return current;
}

/** Tiny batch3 under other client ids (`prefix` + id): new rows from the same source. */
export function renamedBatch3(prefix: string): string {
  const [header, ...lines] = fs.readFileSync(path.join(TINY_DIR, "batch3.csv"), "utf8").trimEnd().split("\n");
  const col = header.split(",").indexOf("corporation");
  return [header, ...lines.map((l) => l.split(",").map((v, i) => (i === col ? `${prefix}${v}` : v)).join(","))].join("\n") + "\n";
}
