import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it, vi } from "vitest";
import { inProcessFetch, ROOT, seedDeployedModel, serveInProcess, TINY_TEST_DATA, useRouteTestDb } from "../lib/testing/api";
import { ServerUnreachableError, runApiCalls, type ApiCallsReport } from "./apicalls-report";

const run = promisify(execFile);

const t = useRouteTestDb();
afterEach(async () => {
  delete process.env.ADMIN_TOKEN;
});

function cli(args: string[]) {
  return run(process.execPath, [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), path.join(ROOT, "scripts/apicalls.ts"), ...args], {
    cwd: ROOT,
    env: { ...process.env, TEST_DATA: TINY_TEST_DATA },
  });
}

const byPath = (r: ApiCallsReport, p: string) => r.calls.find((c) => c.path === p)!;

describe("apicalls", () => {
  it("calls every read endpoint and predicts the test data (in-process fetch)", async () => {
    await seedDeployedModel(t.db);
    const report = await runApiCalls({ baseUrl: "http://localhost:3000", testDataPath: TINY_TEST_DATA, fetch: inProcessFetch() });
    expect(report.ok).toBe(true);
    expect(report.failed).toEqual([]);
    expect(report.baseUrl).toBe("http://localhost:3000");
    expect(report.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      "GET /api/health",
      "GET /api/scoring",
      "GET /api/summarystats?dataset=training",
      "GET /api/summarystats?dataset=test",
      "GET /api/diagnostics",
      "GET /api/scores",
      "GET /api/drift",
      "GET /api/models",
      "GET /api/datasets",
      "GET /api/runs",
      "GET /api/metrics",
      "GET /api/openapi.json",
      "GET /scoring",
      "GET /summarystats",
      "GET /diagnostics",
      "POST /api/prediction",
    ]);
    expect(report.calls.every((c) => c.status === 200)).toBe(true);
    expect(byPath(report, "/api/health").body).toMatchObject({ status: "ok", deployedModel: { version: 1 } });
    const prediction = byPath(report, "/api/prediction").body as { predictions: unknown[]; score: { f1: number } };
    expect(prediction.predictions).toHaveLength(20);
    expect(prediction.score.f1).toBe((byPath(report, "/api/scoring").body as { f1: number }).f1);
    expect(typeof byPath(report, "/api/metrics").body).toBe("string");
    expect(byPath(report, "/api/metrics").body as string).toContain("dra_deployed_model_f1");
  });

  it("CLI: writes the report over real HTTP and exits 0; a 5xx makes it exit 1", async () => {
    await seedDeployedModel(t.db);
    const server = await serveInProcess();
    try {
      const out = path.join(t.dir, "reports/apireturns.json");
      const ok = await cli(["--base-url", server.baseUrl, "--out", out]);
      expect(ok.stdout).toContain("report:");
      const report = JSON.parse(fs.readFileSync(out, "utf8")) as ApiCallsReport;
      expect(report.ok).toBe(true);
      expect(report.baseUrl).toBe(server.baseUrl);
      expect(Date.parse(report.startedAt)).toBeGreaterThan(0);
      expect(report.calls).toHaveLength(16);
      expect(byPath(report, "/scoring").body).toEqual(byPath(report, "/api/scoring").body);
      expect(byPath(report, "/api/models").body).toMatchObject({ models: [{ version: 1, deployed: true }] });

      // break the database under the running server: reads now fail with 5xx (logged server-side)
      const log = vi.spyOn(console, "error").mockImplementation(() => undefined);
      await t.db.$executeRawUnsafe("DROP TABLE Score");
      const failed = await cli(["--base-url", server.baseUrl, "--out", out]).then(
        () => null,
        (e: { code: number; stderr: string }) => e,
      );
      expect(failed?.code).toBe(1);
      expect(failed?.stderr).toMatch(/call\(s\) failed/);
      expect((JSON.parse(fs.readFileSync(out, "utf8")) as ApiCallsReport).ok).toBe(false);
      expect(log).toHaveBeenCalled();
      log.mockRestore();
    } finally {
      await server.close();
    }
  });

  it("says clearly when the server is not reachable", async () => {
    await expect(runApiCalls({ baseUrl: "http://127.0.0.1:9", testDataPath: TINY_TEST_DATA })).rejects.toThrow(ServerUnreachableError);
    const e = await cli(["--base-url", "http://127.0.0.1:9", "--out", path.join(t.dir, "x.json")]).then(
      () => null,
      (err: { code: number; stderr: string }) => err,
    );
    expect(e?.code).toBe(1);
    expect(e?.stderr).toContain("Cannot reach the server at http://127.0.0.1:9");
    expect(e?.stderr).toContain("npm start");
  });
});
