import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { POST as ackAlert } from "@/app/api/alerts/[id]/acknowledge/route";
import { GET as getAlerts } from "@/app/api/alerts/route";
import { GET as getDependencies, POST as refreshDependencies } from "@/app/api/diagnostics/dependencies/route";
import { GET as getQuarantine } from "@/app/api/diagnostics/quarantine/route";
import { GET as getDiagnostics } from "@/app/api/diagnostics/route";
import { GET as getStability } from "@/app/api/diagnostics/stability/route";
import { GET as getDrift } from "@/app/api/drift/route";
import { GET as getReport, POST as postReport } from "@/app/api/report/route";
import { GET as getRuns } from "@/app/api/runs/route";
import { createAlert } from "@/lib/db/alerts";
import { ingestFile, ingestFolder } from "@/lib/ingestion/ingest";
import { deployFirstModel } from "@/lib/pipeline/first-start";
import { createTestDb, type TestDb } from "@/lib/testing/temp-db";
import { DiagnosticsResponse, DriftResponse, RunsResponse } from "@/lib/validations/monitoring";

const TINY = path.join(__dirname, "../../../data/samples/tiny");
const noParams = { params: Promise.resolve({}) };
const get = (url: string) => new Request(`http://localhost${url}`);
const post = (url: string) => new Request(`http://localhost${url}`, { method: "POST" });

let t: TestDb;
beforeEach(() => {
  t = createTestDb();
  Object.assign(process.env, {
    SOURCE_DIR: TINY,
    TEST_DATA: path.join(TINY, "testdata.csv"),
    REPORT_DIR: path.join(t.dir, "reports"),
    npm_config_registry: "http://127.0.0.1:9/",
  });
  delete process.env.ADMIN_TOKEN;
});
afterEach(async () => {
  await t.cleanup();
});

describe("monitoring routes on an empty database", () => {
  it("answer with empty lists in the API.md shapes", async () => {
    expect(DriftResponse.parse(await (await getDrift(get("/api/drift"), noParams)).json()).checks).toEqual([]);
    expect(RunsResponse.parse(await (await getRuns(get("/api/runs"), noParams)).json()).runs).toEqual([]);
    const diag = DiagnosticsResponse.parse(await (await getDiagnostics(get("/api/diagnostics"), noParams)).json());
    expect(diag).toMatchObject({ timings: {}, dependencies: [] });
    expect((await (await getQuarantine(get("/api/diagnostics/quarantine"), noParams)).json()).rows).toEqual([]);
    expect((await (await getAlerts(get("/api/alerts"), noParams)).json()).alerts).toEqual([]);
    expect((await (await getStability(get("/api/diagnostics/stability"), noParams)).json()).snapshots).toEqual([]);
  });

  it("report: 409 JSON without a deployed model", async () => {
    const res = await getReport(get("/api/report"), noParams);
    expect(res.status).toBe(409);
    expect((await res.json()).error.code).toBe("conflict:no_deployed_model");
  });

  it("bad query parameters → 400 naming the parameter", async () => {
    const res = await getDrift(get("/api/drift?take=banana"), noParams);
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toMatch(/take/);
  });
});

describe("monitoring routes with data", () => {
  beforeEach(async () => {
    const ingest = await ingestFolder(t.db, TINY, { exclude: [path.join(TINY, "testdata.csv")] });
    await deployFirstModel({ db: t.db, trigger: "first-start" }, path.join(TINY, "testdata.csv"), ingest);
  });

  it("quarantine lists the rejected rows with file, row, column, problem and raw row", async () => {
    const bad = "corporation,lastmonth_activity,lastyear_activity,number_of_employees,exited\nq1,1,2,3,7\nq2,-5,2,3,1\nq3,1,2,3,0\n";
    await ingestFile(t.db, { name: "bad.csv", content: Buffer.from(bad), role: "upload" });
    const body = await (await getQuarantine(get("/api/diagnostics/quarantine"), noParams)).json();
    expect(body.total).toBe(2);
    expect(body.rows.map((r: { row: number }) => r.row).sort()).toEqual([2, 3]);
    expect(body.rows.find((r: { row: number }) => r.row === 2)).toMatchObject({ id: expect.any(Number), dataset: "bad.csv", column: "exited", problem: expect.any(String), raw: expect.objectContaining({ corporation: "q1" }) });
    expect(body.rows.find((r: { row: number }) => r.row === 3)).toMatchObject({ column: "lastmonth_activity" });
    const limited = await (await getQuarantine(get("/api/diagnostics/quarantine?take=1"), noParams)).json();
    expect(limited.rows).toHaveLength(1);
  });

  it("diagnostics: missing per column, per file, imputation counts and stability against the previous snapshot", async () => {
    const diag = await (await getDiagnostics(get("/api/diagnostics"), noParams)).json();
    DiagnosticsResponse.parse(diag);
    expect(Object.keys(diag.missing).sort()).toEqual(["exited", "lastmonth_activity", "lastyear_activity", "number_of_employees"]);
    expect(diag.missingByFile.map((f: { name: string }) => f.name)).toEqual(["batch1.csv", "batch2.csv", "batch3.csv"]);
    expect(diag.timings.train).toMatchObject({ count: 1 });
    expect(diag.stability).toMatchObject({ previousSnapshotId: expect.any(Number), columns: { lastmonth_activity: { mean: { previous: expect.any(Number), current: expect.any(Number) } } } });
    const stability = await (await getStability(get("/api/diagnostics/stability"), noParams)).json();
    expect(stability.snapshots).toHaveLength(3);
    expect(stability.snapshots[0].previousSnapshotId).toBeNull();
  });

  it("report: 404 before the first one, generated by POST, then a PDF attachment", async () => {
    const none = await getReport(get("/api/report"), noParams);
    expect(none.status).toBe(404);
    expect((await none.json()).error.code).toBe("not_found:report");
    const made = await postReport(post("/api/report"), noParams);
    expect(made.status).toBe(201);
    const res = await getReport(get("/api/report"), noParams);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="model-v1-report.pdf"');
    const pdf = Buffer.from(await res.arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    expect(fs.existsSync(path.join(t.dir, "reports", "model-report.pdf"))).toBe(true);
  });

  it("alerts: listed newest first, acknowledged by POST, 404 for an unknown id", async () => {
    const a = await createAlert(t.db, { kind: "drift", message: "first", runId: null });
    const b = await createAlert(t.db, { kind: "run-failed", message: "second", runId: 3 });
    const list = await (await getAlerts(get("/api/alerts"), noParams)).json();
    expect(list.alerts.map((x: { id: number }) => x.id)).toEqual([b.id, a.id]);
    const ack = await ackAlert(post(`/api/alerts/${a.id}/acknowledge`), { params: Promise.resolve({ id: String(a.id) }) });
    expect(ack.status).toBe(200);
    const open = await (await getAlerts(get("/api/alerts?open=true"), noParams)).json();
    expect(open.alerts.map((x: { id: number }) => x.id)).toEqual([b.id]);
    const missing = await ackAlert(post("/api/alerts/999/acknowledge"), { params: Promise.resolve({ id: "999" }) });
    expect(missing.status).toBe(404);
  });

  it("dependencies: POST refreshes the cache (offline → unknown), GET /api/diagnostics reads it without calling npm", async () => {
    const t0 = Date.now();
    const res = await refreshDependencies(post("/api/diagnostics/dependencies"), noParams);
    expect(res.status).toBe(200);
    expect(Date.now() - t0).toBeLessThan(15_000);
    const body = await res.json();
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, "../../../package.json"), "utf8"));
    expect(body.dependencies.map((d: { name: string }) => d.name).sort()).toEqual([...Object.keys(pkg.dependencies), ...Object.keys(pkg.devDependencies)].sort());
    expect(body.dependencies.find((d: { name: string }) => d.name === "zod")).toMatchObject({ declared: pkg.dependencies.zod, installed: expect.stringMatching(/^\d+\.\d+\.\d+/), latest: null, status: "unknown" });
    const cached = await (await getDependencies(get("/api/diagnostics/dependencies"), noParams)).json();
    expect(cached.checkedAt).toBe(body.checkedAt);
    const diag = await (await getDiagnostics(get("/api/diagnostics"), noParams)).json();
    expect(diag.dependencies).toHaveLength(body.dependencies.length);
    expect(diag.dependenciesCheckedAt).toBe(body.checkedAt);
  });

  it("POST routes need the token when ADMIN_TOKEN is set", async () => {
    process.env.ADMIN_TOKEN = "s3cret-token";
    try {
      for (const handler of [postReport, refreshDependencies]) expect((await handler(post("/x"), noParams)).status).toBe(401);
    } finally {
      delete process.env.ADMIN_TOKEN;
    }
  });
});
