import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getDrift } from "@/app/api/drift/route";
import { GET as getDiagnostics } from "@/app/api/diagnostics/route";
import { GET as getReport } from "@/app/api/report/route";
import { GET as getRun } from "./[id]/route";
import { GET as getRuns } from "./route";
import { loadConfig } from "@/lib/config";
import { listAlerts } from "@/lib/db/alerts";
import { listRunTimings } from "@/lib/db/diagnostics";
import { getCurrentDeployment, listScores } from "@/lib/db/models";
import { createTestDb, type TestDb } from "@/lib/testing/temp-db";
import { DiagnosticsResponse, DriftResponse, RunEntry, RunsResponse } from "@/lib/validations/monitoring";
import { runFullProcess, type FullProcessOptions } from "@/lib/pipeline/full";

/*
 * The full process on the demo data, in a temp SOURCE_DIR and a temp database:
 *   bootstrap (first model) → no new data → same-distribution batch → shifted batch,
 * read back through the GET /api/runs/:id, /api/runs, /api/drift, /api/diagnostics and
 * /api/report route handlers.
 */

const ROOT = path.join(__dirname, "../../..");
const noParams = { params: Promise.resolve({}) };
const SAMPLES = path.join(ROOT, "data/samples");

let t: TestDb;
let sourceDir: string;
const options: FullProcessOptions = { dependencies: "skip" };

beforeAll(() => {
  t = createTestDb();
  sourceDir = path.join(t.dir, "source");
  fs.mkdirSync(sourceDir);
  for (const f of fs.readdirSync(path.join(ROOT, "data/sourcedata"))) fs.copyFileSync(path.join(ROOT, "data/sourcedata", f), path.join(sourceDir, f));
  Object.assign(process.env, {
    SOURCE_DIR: sourceDir,
    TEST_DATA: path.join(ROOT, "data/testdata/testdata.csv"),
    REPORT_DIR: path.join(t.dir, "reports"),
    DRIFT_TRIGGER: "latest",
  });
  delete process.env.ALERT_WEBHOOK_URL;
  delete process.env.ADMIN_TOKEN;
});
afterAll(async () => {
  await t.cleanup();
});

const full = () => runFullProcess({ db: t.db, trigger: "cli" }, loadConfig(), undefined, options);

async function runById(id: number) {
  const res = await getRun(new Request(`http://localhost/api/runs/${id}`), { params: Promise.resolve({ id: String(id) }) });
  expect(res.status).toBe(200);
  const body = await res.json();
  RunEntry.parse(body);
  return body;
}

async function drift() {
  const res = await getDrift(new Request("http://localhost/api/drift"), noParams);
  expect(res.status).toBe(200);
  const body = await res.json();
  DriftResponse.parse(body);
  return body;
}

describe("full process (demo data)", () => {
  let firstModelVersion: number;

  it("first run: no model deployed → trains, scores and deploys the first (redeployed, reason says first)", async () => {
    const res = await getReport(new Request("http://localhost/api/report"), noParams);
    expect(res.status).toBe(409);
    const run = await full();
    expect(run).toMatchObject({ status: "succeeded", outcome: "redeployed" });
    expect(run.reason).toMatch(/^first model/);
    expect(run.steps.map((s) => s.name)).toEqual(["ingest", "train", "score", "deploy", "diagnostics", "report"]);
    firstModelVersion = (await getCurrentDeployment(t.db))!.modelVersion.version;
    expect(firstModelVersion).toBe(1);
  }, 60_000);

  it("run 1: no new files → no-new-data, nothing else runs", async () => {
    const run = await full();
    expect(run).toMatchObject({ status: "succeeded", outcome: "no-new-data" });
    expect(run.reason).toMatch(/no new data/);
    const viaApi = await runById(run.id);
    expect(viaApi.outcome).toBe("no-new-data");
    expect(viaApi.steps).toEqual([expect.objectContaining({ name: "ingest", status: "skipped" })]);
    expect((await drift()).checks).toHaveLength(0);
  });

  it("run 2: a batch from the same distribution → scored, checked; no-drift, or recorded drift with its reason", async () => {
    fs.copyFileSync(path.join(SAMPLES, "new_batch_same_distribution.csv"), path.join(sourceDir, "new_batch_same_distribution.csv"));
    const run = await full();
    expect(run.status).toBe("succeeded");
    expect(["no-drift", "redeployed", "gate-rejected"]).toContain(run.outcome);
    const viaApi = await runById(run.id);
    const names = viaApi.steps.map((s: { name: string }) => s.name);
    expect(names.slice(0, 3)).toEqual(["ingest", "score-new-data", "drift"]);
    expect(names.slice(-2)).toEqual(["diagnostics", "report"]);
    const check = (await drift()).checks[0];
    expect(check).toMatchObject({ runId: run.id, modelVersion: 1, triggered: run.outcome !== "no-drift" });
    expect(check.newScore).toBeGreaterThan(0.5);
    // same distribution: no feature moves by PSI
    for (const f of ["lastmonth_activity", "lastyear_activity", "number_of_employees"]) expect(check.features[f].psi.drifted).toBe(false);
    if (run.outcome === "no-drift") expect(run.reason).toMatch(/^no drift/);
    else expect(run.reason).toMatch(/^drift: .*latest: drift/);
    const newData = (await listScores(t.db, { kind: "new-data" })).filter((s) => s.runId === run.id);
    expect(newData).toHaveLength(1);
    expect(newData[0].f1).toBeCloseTo(check.newScore, 12);
    // the new-data score carries its ranking and calibration too (issue 11)
    expect(newData[0].rocAuc).toBeGreaterThan(0.5);
    expect(newData[0].brierScore).toBeGreaterThan(0);
    expect(JSON.parse(newData[0].calibration!).length).toBeGreaterThan(0);
    expect(JSON.parse(newData[0].curves!).roc.x.length).toBeLessThanOrEqual(200);
  }, 60_000);

  it("run 3: a shifted batch with a changed label relation → drift → challenger → gate → redeployed or gate-rejected, all readable", async () => {
    fs.copyFileSync(path.join(SAMPLES, "new_batch_shifted.csv"), path.join(sourceDir, "new_batch_shifted.csv"));
    const before = (await getCurrentDeployment(t.db))!.modelVersion;
    // this run also refreshes the dependency cache, against a registry that refuses connections
    const run = await runFullProcess({ db: t.db, trigger: "cli" }, loadConfig(), undefined, {
      dependencies: "await",
      dependencyTimeoutMs: 10_000,
      dependencyEnv: { npm_config_registry: "http://127.0.0.1:9/" },
    });
    expect(run.status).toBe("succeeded");
    expect(["redeployed", "gate-rejected"]).toContain(run.outcome);

    const viaApi = await runById(run.id);
    const names = viaApi.steps.map((s: { name: string }) => s.name);
    expect(names).toEqual(["ingest", "score-new-data", "drift", "train", "score", "gate", "deploy", "diagnostics", "report"]);
    for (const s of viaApi.steps) {
      expect(s.ms).toBeGreaterThanOrEqual(0);
      expect(s.detail.length).toBeGreaterThan(0);
    }
    expect(viaApi.steps.find((s: { name: string }) => s.name === "deploy").status).toBe(run.outcome === "redeployed" ? "succeeded" : "skipped");
    expect(viaApi.reason).toMatch(/^drift: deployed model v1 scored F1 0\.\d+ on 600 new rows/);
    expect(viaApi.reason).toMatch(/gate \(deploy the challenger only if its F1 on the test data ≥ the champion's F1/);
    expect(viaApi.reason).toMatch(/Welch t-test.*1000 bootstrap F1 samples.*seed 42.*t = -?\d+\.\d+, df = \d+\.\d, two-sided p/);
    expect(viaApi.driftCheck).toMatchObject({ runId: run.id, triggered: true });
    expect(viaApi.timings.map((x: { step: string }) => x.step)).toEqual(
      expect.arrayContaining(["ingest", "score", "drift", "train", "gate", "diagnostics", "report"]),
    );
    const stored = await listRunTimings(t.db, { runId: run.id });
    expect(new Set(stored.map((x) => x.step))).toEqual(new Set(["ingest", "score", "drift", "train", "gate", "diagnostics", "report", ...(run.outcome === "redeployed" ? ["deploy"] : [])]));

    const check = (await drift()).checks[0];
    expect(check.runId).toBe(run.id);
    expect(check.triggered).toBe(true);
    expect(check.newScore).toBeLessThan(0.5);
    expect(check.score.latest).toMatchObject({ status: "drift", drifted: true });
    expect(check.score.raw).toMatchObject({ status: "drift" });
    expect(check.score.nonparametric).toMatchObject({ status: "insufficient-history", drifted: null });
    for (const f of ["lastmonth_activity", "lastyear_activity", "number_of_employees"]) {
      expect(check.features[f].ks.drifted).toBe(true);
      expect(check.features[f].ks.pValue).toBeLessThan(1e-6);
      expect(check.features[f].psi.drifted).toBe(true);
    }
    expect(check.ttest).toMatchObject({ t: expect.any(Number), df: expect.any(Number), pValue: expect.any(Number), resamples: 1000, seed: 42 });
    expect(check.gate).toMatchObject({ passed: run.outcome === "redeployed", champion: { modelVersion: before.version }, challenger: { modelVersion: expect.any(Number) } });
    const after = (await getCurrentDeployment(t.db))!.modelVersion;
    if (run.outcome === "redeployed") expect(after.version).toBe(check.gate.challenger.modelVersion);
    else expect(after.version).toBe(before.version);

    const alerts = await listAlerts(t.db);
    expect(alerts.find((a) => a.runId === run.id && a.kind === "drift")).toBeTruthy();

    // the list, newest first
    const runs = RunsResponse.parse(await (await getRuns(new Request("http://localhost/api/runs"), noParams)).json());
    expect(runs.runs.map((r) => r.id)).toEqual([...runs.runs.map((r) => r.id)].sort((a, b) => b - a));
    expect(runs.runs[0].id).toBe(run.id);

    // diagnostics: API.md shape, timings per step, the (offline) dependency cache
    const diag = await (await getDiagnostics(new Request("http://localhost/api/diagnostics"), noParams)).json();
    DiagnosticsResponse.parse(diag);
    for (const step of ["ingest", "train", "score", "deploy", "drift", "diagnostics", "report"]) {
      expect(diag.timings[step]).toMatchObject({ count: expect.any(Number), lastMs: expect.any(Number), p50Ms: expect.any(Number), p95Ms: expect.any(Number) });
    }
    expect(diag.dependencies.length).toBeGreaterThan(10);
    expect(diag.dependencies.every((d: { status: string; reason: string }) => d.status === "unknown" && /ECONNREFUSED|unreachable/.test(d.reason))).toBe(true);
    expect(Object.keys(diag.missing)).toEqual(expect.arrayContaining(["lastmonth_activity", "lastyear_activity", "number_of_employees"]));
    expect(diag.stability.columns.lastyear_activity.mean.change).not.toBeNull();
    expect(diag.missingByFile.map((f: { name: string }) => f.name)).toContain("new_batch_shifted.csv");

    // the report of this run
    const report = await getReport(new Request("http://localhost/api/report"), noParams);
    expect(report.status).toBe(200);
    expect(report.headers.get("content-type")).toBe("application/pdf");
    expect(report.headers.get("content-disposition")).toMatch(/^attachment; filename="model-v\d+-report\.pdf"$/);
    const pdf = Buffer.from(await report.arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
  }, 90_000);

  it("GET /api/runs/:id answers 404 JSON for an unknown or invalid id", async () => {
    for (const id of ["99999", "abc", "0", "-1", "1.5"]) {
      const res = await getRun(new Request(`http://localhost/api/runs/${id}`), { params: Promise.resolve({ id }) });
      expect(res.status).toBe(404);
      expect((await res.json()).error.code).toBe("not_found:run");
    }
  });
});
