import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TINY_DIR, TINY_TEST_DATA, inProcessFetch, tableCounts } from "@/lib/testing/api";
import { createTestDb, type TestDb } from "@/lib/testing/temp-db";
import { DiagnosticsResponse, DriftResponse, RunDetailResponse, RunStartResponse, RunsResponse } from "@/lib/validations/monitoring";

/*
 * The monitoring routes answer in the shapes API.md fixes (the same zod schemas the OpenAPI
 * document is generated from), driven only through HTTP the way a script would: start a
 * run, poll it, read the lists.
 */

let t: TestDb;
beforeEach(() => {
  t = createTestDb();
  process.env.TEST_DATA = TINY_TEST_DATA;
  process.env.SOURCE_DIR = TINY_DIR;
  delete process.env.ADMIN_TOKEN;
});
afterEach(async () => {
  delete process.env.SOURCE_DIR;
  await t.cleanup();
});

describe("monitoring routes (API.md shapes)", () => {
  it("POST /api/runs → 202, poll GET /api/runs/:id until it finishes; runs, drift and diagnostics parse", async () => {
    const f = inProcessFetch();
    const empty = DiagnosticsResponse.parse(await (await f("http://localhost/api/diagnostics")).json());
    expect(empty.dependencies).toBeInstanceOf(Array);
    expect(DriftResponse.parse(await (await f("http://localhost/api/drift")).json()).checks).toEqual([]);

    const started = await f("http://localhost/api/runs", { method: "POST" });
    expect(started.status).toBe(202);
    const { run } = RunStartResponse.parse(await started.json());
    expect(run.status).toBe("running");

    let detail = RunDetailResponse.parse(await (await f(`http://localhost/api/runs/${run.id}`)).json());
    for (let i = 0; i < 200 && detail.status === "running"; i++) {
      await new Promise((r) => setTimeout(r, 100));
      detail = RunDetailResponse.parse(await (await f(`http://localhost/api/runs/${run.id}`)).json());
    }
    expect(detail.status).toBe("succeeded");
    expect(detail.outcome).toBe("redeployed");
    expect(detail.steps.map((s) => s.name)).toContain("ingest");

    const runs = RunsResponse.parse(await (await f("http://localhost/api/runs")).json()).runs;
    expect(runs[0].id).toBe(run.id);
    DriftResponse.parse(await (await f("http://localhost/api/drift")).json());
    const diag = DiagnosticsResponse.parse(await (await f("http://localhost/api/diagnostics")).json());
    expect(Object.keys(diag.timings)).toEqual(expect.arrayContaining(["ingest", "train", "score", "deploy"]));
    expect(diag.timings.train.count).toBeGreaterThanOrEqual(1);
  });

  it("unknown or invalid run id → 404 JSON, nothing changed", async () => {
    const f = inProcessFetch();
    const before = await tableCounts(t.db);
    for (const id of ["999", "abc", "-1", "1.5", "1e3", "99999999999999999999", "2147483648"]) {
      const res = await f(`http://localhost/api/runs/${id}`);
      expect(res.status).toBe(404);
      const body = await res.json();
      expect(body.error.code).toBe("not_found:run");
      expect(body.error.message).toMatch(/run/);
    }
    expect(await tableCounts(t.db)).toEqual(before);
  });
});
