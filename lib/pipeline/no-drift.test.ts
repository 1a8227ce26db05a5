import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { listAlerts } from "../db/alerts";
import { listDatasets } from "../db/datasets";
import { listDriftChecks } from "../db/drift";
import { getCurrentDeployment } from "../db/models";
import { listRuns } from "../db/runs";
import { ingestFile } from "../ingestion/ingest";
import { renamedBatch3, useTinySourceDb } from "../testing/tiny-source";

/*
 * The no-drift path on tiny data: a trigger whose checks cannot run yet does not retrain, and
 * says why — for new rows from the source folder and from an upload.
 */

const t = useTinySourceDb("nonparametric");
const { full } = t;

describe("no drift", () => {
  it("new rows, trigger nonparametric with too little history → no-drift with the reason; no challenger, no alert", async () => {
    const first = await full();
    expect(first.outcome).toBe("redeployed");
    fs.writeFileSync(path.join(t.sourceDir, "batch3-new.csv"), renamedBatch3("new-"));
    const run = await full();
    expect(run).toMatchObject({ status: "succeeded", outcome: "no-drift" });
    expect(run.reason).toMatch(/^no drift: deployed model v1 scored F1 \d\.\d{4} on \d+ new rows \(batch3-new\.csv\); no check of the trigger \[nonparametric\] fired \(nonparametric could not run yet: insufficient history\), so it stays deployed\./);
    expect(run.steps.map((s) => s.name)).toEqual(["ingest", "score-new-data", "drift", "diagnostics", "report"]);
    const [check] = await listDriftChecks(t.db);
    expect(check.triggered).toBe(false);
    expect(JSON.parse(check.score).nonparametric).toMatchObject({ status: "insufficient-history", drifted: null, threshold: null });
    expect((await getCurrentDeployment(t.db))!.modelVersion.version).toBe(1);
    expect(await listAlerts(t.db)).toHaveLength(0);
    expect((await listRuns(t.db)).map((r) => r.outcome)).toEqual(["no-drift", "redeployed"]);
  }, 30_000);

  it("uploads are new data too (DESIGN.md: new CSV files, or uploaded): the next run checks an upload's rows (and says it was uploaded); the run after has no new data", async () => {
    expect((await full()).outcome).toBe("redeployed");
    const upload = await ingestFile(t.db, { name: "from-the-form.csv", content: Buffer.from(renamedBatch3("up-")), role: "upload" });
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

describe("a run that did not finish", () => {
  it("leaves the files it ingested for the next run to score and drift-check", async () => {
    const first = await full();
    expect(first.outcome).toBe("redeployed");
    // run 2 ingested batch3 (under new ids), then died before its checks (its lock expired: failed)
    const dead = await t.db.pipelineRun.create({ data: { trigger: "cli", status: "failed", error: "lock expired (process killed?)" } });
    fs.writeFileSync(path.join(t.sourceDir, "batch3-new.csv"), renamedBatch3("new-"));
    await ingestFile(t.db, { name: "batch3-new.csv", path: path.join(t.sourceDir, "batch3-new.csv"), role: "source", runId: dead.id });

    const next = await full();
    expect(next).toMatchObject({ status: "succeeded", outcome: "no-drift" });
    expect(next.steps[0]).toMatchObject({ name: "ingest", status: "skipped", detail: expect.stringContaining(`batch3-new.csv (ingested by run ${dead.id}, which did not finish)`) });
    expect(next.reason).toContain(`batch3-new.csv (ingested by run ${dead.id}, which did not finish)`);
    const batch3 = (await listDatasets(t.db)).find((d) => d.name === "batch3-new.csv")!;
    expect(batch3).toMatchObject({ ingestedByRunId: dead.id, checkedByRunId: next.id });
    // checked once: the run after that has nothing new
    expect((await full()).outcome).toBe("no-new-data");
  }, 30_000);
});
