import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../config";
import { listDatasets } from "../db/datasets";
import { listDriftChecks } from "../db/drift";
import { ingestFile } from "../ingestion/ingest";
import { createTestDb, type TestDb } from "../testing/temp-db";
import { runFullProcess } from "./full";

/*
 * Uploads are new data too (DESIGN.md: "new CSV files (data/sourcedata/, or uploaded)"): a file
 * ingested through POST /api/ingest is scored and drift-checked by the next run, once.
 */

const TINY = path.join(__dirname, "../../data/samples/tiny");
let t: TestDb;
let sourceDir: string;

beforeEach(() => {
  t = createTestDb();
  sourceDir = path.join(t.dir, "source");
  fs.mkdirSync(sourceDir);
  for (const f of ["batch1.csv", "batch2.csv"]) fs.copyFileSync(path.join(TINY, f), path.join(sourceDir, f));
  Object.assign(process.env, { SOURCE_DIR: sourceDir, TEST_DATA: path.join(TINY, "testdata.csv"), REPORT_DIR: path.join(t.dir, "reports"), DRIFT_TRIGGER: "nonparametric" });
});
afterEach(async () => {
  process.env.DRIFT_TRIGGER = "latest";
  await t.cleanup();
});

const full = () => runFullProcess({ db: t.db, trigger: "cli" }, loadConfig(), undefined, { dependencies: "skip" });

describe("uploaded files in the full process", () => {
  it("the next run checks an upload's rows (and says it was uploaded); the run after has no new data", async () => {
    expect((await full()).outcome).toBe("redeployed");
    const [header, ...lines] = fs.readFileSync(path.join(TINY, "batch3.csv"), "utf8").trimEnd().split("\n");
    const col = header.split(",").indexOf("corporation");
    const renamed = lines.map((l) => l.split(",").map((v, i) => (i === col ? `up-${v}` : v)).join(","));
    const upload = await ingestFile(t.db, { name: "from-the-form.csv", content: Buffer.from([header, ...renamed].join("\n") + "\n"), role: "upload" });
    expect(upload.dataset.checkedByRunId).toBeNull();

    const run = await full();
    expect(run).toMatchObject({ status: "succeeded", outcome: "no-drift" });
    expect(run.reason).toContain(`on ${upload.dataset.rowsAccepted} new rows (from-the-form.csv (uploaded))`);
    expect(run.steps.map((s) => s.name)).toEqual(["ingest", "score-new-data", "drift", "diagnostics", "report"]);
    expect(run.steps[0]).toMatchObject({ status: "skipped", detail: expect.stringContaining("1 uploaded file(s) to check") });
    const checks = await listDriftChecks(t.db);
    expect(checks).toHaveLength(1);
    const uploaded = (await listDatasets(t.db)).find((d) => d.name === "from-the-form.csv")!;
    expect(uploaded.checkedByRunId).toBe(run.id);

    const again = await full();
    expect(again.outcome).toBe("no-new-data");
    expect(await listDriftChecks(t.db)).toHaveLength(1);
  }, 60_000);
});
