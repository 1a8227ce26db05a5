import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { POST as postTimingCheck } from "./route";
import { GET as getDiagnostics } from "../route";
import { countRecords, listDatasets } from "@/lib/db/datasets";
import { listRecentTimings } from "@/lib/db/diagnostics";
import { createTestDb, type TestDb } from "@/lib/testing/temp-db";
import { runTimingCheck } from "@/lib/diagnostics/timing-check";

const TINY = path.join(__dirname, "../../../../data/samples/tiny");
const noParams = { params: Promise.resolve({}) };

let t: TestDb;
let sourceDir: string;
const snapshot = (dir: string) => fs.readdirSync(dir).map((f) => [f, fs.statSync(path.join(dir, f)).mtimeMs, fs.readFileSync(path.join(dir, f), "utf8")]);

beforeEach(() => {
  t = createTestDb();
  sourceDir = path.join(t.dir, "source");
  fs.cpSync(TINY, sourceDir, { recursive: true });
  Object.assign(process.env, { SOURCE_DIR: sourceDir, TEST_DATA: path.join(sourceDir, "testdata.csv") });
  delete process.env.ADMIN_TOKEN;
});
afterEach(async () => {
  await t.cleanup();
});

describe("timing check", () => {
  it("times ingestion and training N times on a copy, records the means, never touches the live data", async () => {
    const before = snapshot(sourceDir);
    const r = await runTimingCheck(t.db, { sourceDir, testData: path.join(sourceDir, "testdata.csv"), iterations: 2 });
    expect(r.iterations).toBe(2);
    expect(r.files).toEqual(["batch1.csv", "batch2.csv", "batch3.csv"]); // not the test file, not notes.txt
    expect(r.rows).toBe(40);
    for (const step of ["ingest", "train"] as const) {
      expect(r.steps[step].samplesMs).toHaveLength(2);
      expect(r.steps[step].meanMs).toBeCloseTo((r.steps[step].samplesMs[0] + r.steps[step].samplesMs[1]) / 2, 9);
    }
    // live database: nothing ingested, only the two mean timings
    expect(await countRecords(t.db)).toEqual({ rows: 0, positives: 0 });
    expect(await t.db.storedSchema.count()).toBe(0);
    expect(await listDatasets(t.db)).toHaveLength(0);
    const timings = await listRecentTimings(t.db, { source: "timing-check" });
    expect(timings.map((x) => x.step).sort()).toEqual(["ingest", "train"]);
    expect(timings.find((x) => x.step === "train")!.ms).toBeCloseTo(r.steps.train.meanMs, 9);
    expect(snapshot(sourceDir)).toEqual(before);

    const diag = await (await getDiagnostics(new Request("http://localhost/api/diagnostics"), noParams)).json();
    expect(diag.timingCheck.train.meanMs).toBeCloseTo(r.steps.train.meanMs, 9);
    expect(diag.timings.train).toBeUndefined(); // timing-check means are not pipeline timings
  }, 60_000);

  it("POST /api/diagnostics/timing-check runs it (iterations from the body; bad values → 422)", async () => {
    const ok = await postTimingCheck(
      new Request("http://localhost/api/diagnostics/timing-check", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ iterations: 1 }) }),
      noParams,
    );
    expect(ok.status).toBe(200);
    expect((await ok.json()).timingCheck).toMatchObject({ iterations: 1, steps: { ingest: { meanMs: expect.any(Number) }, train: { meanMs: expect.any(Number) } } });
    const bad = await postTimingCheck(
      new Request("http://localhost/api/diagnostics/timing-check", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ iterations: 99 }) }),
      noParams,
    );
    expect(bad.status).toBe(422);
  }, 60_000);

  it("an empty source folder → 409 with a clear message", async () => {
    const empty = path.join(t.dir, "empty");
    fs.mkdirSync(empty);
    await expect(runTimingCheck(t.db, { sourceDir: empty })).rejects.toMatchObject({ code: "conflict:timing_check" });
  });
});
