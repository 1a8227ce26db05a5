import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASE, everyTableCount, HEADER, inProcessFetch, seedDeployedModel, TINY_TEST_DATA } from "@/lib/testing/api";
import { createTestDb, type TestDb } from "@/lib/testing/temp-db";

/*
 * The battery: bad inputs across upload, prediction, deploy, rollback, runs and query strings.
 * Each must be answered with its 4xx code and a message that says what to fix, change nothing
 * in the database (every table's row count, the ledger, the deployed model), and leave the
 * server answering. One database for all (a refused request changes nothing: that is checked).
 */

type Case = { name: string; path: string; init?: RequestInit; status: number; code: string };

const json = (body: unknown): RequestInit => ({ method: "POST", headers: { "content-type": "application/json" }, body: typeof body === "string" ? body : JSON.stringify(body) });
const upload = (files: { name: string; content: string | Uint8Array; type?: string }[], field = "file"): RequestInit => {
  const form = new FormData();
  for (const f of files) form.append(field, new Blob([f.content as BlobPart], { type: f.type ?? "text/csv" }), f.name);
  return { method: "POST", body: form };
};
const row = { corporation: "c1", lastmonth_activity: 10, lastyear_activity: 100, number_of_employees: 5 };
const csv = (...lines: string[]) => [HEADER, ...lines].join("\n") + "\n";

const CASES: Case[] = [
  // uploads
  { name: "ingest: JSON instead of multipart", path: "/api/ingest", init: json({ file: "x" }), status: 415, code: "unsupported_media_type" },
  { name: "ingest: no file in the field", path: "/api/ingest", init: upload([{ name: "a.csv", content: csv("a,1,2,3,0") }], "other"), status: 422, code: "unprocessable:upload" },
  { name: "ingest: empty file", path: "/api/ingest", init: upload([{ name: "a.csv", content: "" }]), status: 422, code: "unprocessable:csv" },
  { name: "ingest: header only", path: "/api/ingest", init: upload([{ name: "a.csv", content: HEADER + "\n" }]), status: 422, code: "unprocessable:csv" },
  { name: "ingest: missing label column", path: "/api/ingest", init: upload([{ name: "a.csv", content: "corporation,lastmonth_activity,lastyear_activity,number_of_employees\na,1,2,3\n" }]), status: 422, code: "unprocessable:csv" },
  { name: "ingest: duplicate header names", path: "/api/ingest", init: upload([{ name: "a.csv", content: HEADER + ",Exited\na,1,2,3,0,1\n" }]), status: 422, code: "unprocessable:csv" },
  { name: "ingest: binary file", path: "/api/ingest", init: upload([{ name: "a.csv", content: new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 1, 2]) }]), status: 415, code: "unsupported_media_type:csv" },
  { name: "ingest: UTF-16 file", path: "/api/ingest", init: upload([{ name: "a.csv", content: new Uint8Array([0xff, 0xfe, ...Buffer.from(csv("a,1,2,3,0"), "utf16le")]) }]), status: 415, code: "unsupported_media_type:csv" },
  { name: "ingest: invalid UTF-8", path: "/api/ingest", init: upload([{ name: "a.csv", content: new Uint8Array([...Buffer.from(csv("a,1,2,3,0")), 0xc3, 0x28]) }]), status: 415, code: "unsupported_media_type:csv" },
  { name: "ingest: unclosed quote", path: "/api/ingest", init: upload([{ name: "a.csv", content: csv('"a,1,2,3,0', "b,1,2,3,1") }]), status: 400, code: "bad_request:csv" },
  { name: "ingest: stray quote", path: "/api/ingest", init: upload([{ name: "a.csv", content: csv('a"b,1,2,3,0') }]), status: 400, code: "bad_request:csv" },
  { name: "ingest: a record with too many fields", path: "/api/ingest", init: upload([{ name: "a.csv", content: csv("a,1,2,3,0,9") }]), status: 400, code: "bad_request:csv" },
  { name: "ingest: a good and an unusable file", path: "/api/ingest", init: upload([{ name: "good.csv", content: csv("g,1,2,3,0") }, { name: "bad.csv", content: "" }]), status: 422, code: "unprocessable:csv" },
  { name: "ingest: broken multipart body", path: "/api/ingest", init: { method: "POST", headers: { "content-type": "multipart/form-data; boundary=XYZ" }, body: "--XYZ\r\nContent-Disposition: form-data; name=\"file\"" }, status: 400, code: "bad_request:multipart" },
  { name: "ingest: multipart without a boundary", path: "/api/ingest", init: { method: "POST", headers: { "content-type": "multipart/form-data" }, body: "x" }, status: 400, code: "bad_request:multipart" },
  { name: "ingest: plain text body", path: "/api/ingest", init: { method: "POST", headers: { "content-type": "text/plain" }, body: csv("a,1,2,3,0") }, status: 415, code: "unsupported_media_type" },
  { name: "ingest: declared length over MAX_UPLOAD_MB", path: "/api/ingest", init: { method: "POST", headers: { "content-type": "multipart/form-data; boundary=XYZ", "content-length": String(10 * 1024 * 1024 * 1024) }, body: "--XYZ--" }, status: 413, code: "payload_too_large" },
  // predictions, JSON
  { name: "prediction: invalid JSON", path: "/api/prediction", init: json("{rows: ["), status: 400, code: "bad_request:json" },
  { name: "prediction: empty JSON body", path: "/api/prediction", init: json(""), status: 400, code: "bad_request" },
  { name: "prediction: a JSON array", path: "/api/prediction", init: json([row]), status: 422, code: "unprocessable:body" },
  { name: "prediction: no rows field", path: "/api/prediction", init: json({ row }), status: 422, code: "unprocessable:body" },
  { name: "prediction: rows empty", path: "/api/prediction", init: json({ rows: [] }), status: 422, code: "unprocessable:body" },
  { name: "prediction: rows not an array", path: "/api/prediction", init: json({ rows: row }), status: 422, code: "unprocessable:body" },
  { name: "prediction: a row without corporation", path: "/api/prediction", init: json({ rows: [{ ...row, corporation: undefined }] }), status: 422, code: "unprocessable:body" },
  { name: "prediction: an empty corporation", path: "/api/prediction", init: json({ rows: [{ ...row, corporation: "  " }] }), status: 422, code: "unprocessable:body" },
  { name: "prediction: a 1,000-character corporation", path: "/api/prediction", init: json({ rows: [{ ...row, corporation: "c".repeat(1000) }] }), status: 422, code: "unprocessable:body" },
  { name: "prediction: a feature as text", path: "/api/prediction", init: json({ rows: [{ ...row, lastmonth_activity: "10" }] }), status: 422, code: "unprocessable:body" },
  { name: "prediction: a negative feature", path: "/api/prediction", init: json({ rows: [{ ...row, number_of_employees: -1 }] }), status: 422, code: "unprocessable:body" },
  { name: "prediction: a feature of 1e308", path: "/api/prediction", init: json({ rows: [{ ...row, lastyear_activity: 1e308 }] }), status: 422, code: "unprocessable:body" },
  { name: "prediction: a null feature", path: "/api/prediction", init: json({ rows: [{ ...row, lastyear_activity: null }] }), status: 422, code: "unprocessable:body" },
  { name: "prediction: a missing feature", path: "/api/prediction", init: json({ rows: [{ corporation: "c", lastmonth_activity: 1, lastyear_activity: 2 }] }), status: 422, code: "unprocessable:body" },
  { name: "prediction: a label of 2", path: "/api/prediction", init: json({ rows: [{ ...row, exited: 2 }] }), status: 422, code: "unprocessable:body" },
  { name: "prediction: labels on some rows only", path: "/api/prediction", init: json({ rows: [{ ...row, exited: 1 }, row] }), status: 422, code: "unprocessable:rows" },
  { name: "prediction: text/plain", path: "/api/prediction", init: { method: "POST", headers: { "content-type": "text/plain" }, body: JSON.stringify({ rows: [row] }) }, status: 415, code: "unsupported_media_type" },
  { name: "prediction: too many rows", path: "/api/prediction", init: json({ rows: Array.from({ length: 100_001 }, () => row) }), status: 422, code: "unprocessable:body" },
  // predictions, CSV
  { name: "prediction CSV: missing a feature column", path: "/api/prediction", init: upload([{ name: "p.csv", content: "corporation,lastmonth_activity\na,1\n" }]), status: 422, code: "unprocessable:csv" },
  { name: "prediction CSV: an empty feature cell", path: "/api/prediction", init: upload([{ name: "p.csv", content: csv("a,,2,3,0") }]), status: 422, code: "unprocessable:rows" },
  { name: "prediction CSV: a non-number", path: "/api/prediction", init: upload([{ name: "p.csv", content: csv("a,ten,2,3,0") }]), status: 422, code: "unprocessable:rows" },
  { name: "prediction CSV: a binary file", path: "/api/prediction", init: upload([{ name: "p.csv", content: new Uint8Array([0, 1, 2, 3]) }]), status: 415, code: "unsupported_media_type:csv" },
  { name: "prediction CSV: a path-like file name is only a name", path: "/api/prediction", init: upload([{ name: "../../etc/passwd", content: "" }]), status: 422, code: "unprocessable:csv" },
  // deploy and rollback
  { name: "deploy: empty object", path: "/api/deploy", init: json({}), status: 422, code: "unprocessable:body" },
  { name: "deploy: id as text", path: "/api/deploy", init: json({ modelVersionId: "1" }), status: 422, code: "unprocessable:body" },
  { name: "deploy: negative id", path: "/api/deploy", init: json({ modelVersionId: -1 }), status: 422, code: "unprocessable:body" },
  { name: "deploy: fractional id", path: "/api/deploy", init: json({ modelVersionId: 1.5 }), status: 422, code: "unprocessable:body" },
  { name: "deploy: unknown version", path: "/api/deploy", init: json({ modelVersionId: 999999 }), status: 404, code: "not_found:model" },
  { name: "deploy: invalid JSON", path: "/api/deploy", init: json("{"), status: 400, code: "bad_request:json" },
  { name: "deploy: reason not text", path: "/api/deploy", init: json({ modelVersionId: 1, reason: 42 }), status: 422, code: "unprocessable:body" },
  { name: "rollback: only one deployment", path: "/api/rollback", init: json({}), status: 409, code: "conflict:no_previous_deployment" },
  { name: "rollback: invalid JSON", path: "/api/rollback", init: json("]"), status: 400, code: "bad_request:json" },
  { name: "rollback: reason not text", path: "/api/rollback", init: json({ reason: ["x"] }), status: 422, code: "unprocessable:body" },
  // runs
  { name: "runs: unknown trigger", path: "/api/runs", init: json({ trigger: "evil" }), status: 422, code: "unprocessable:body" },
  { name: "runs: invalid JSON", path: "/api/runs", init: json("{x"), status: 400, code: "bad_request:json" },
  { name: "runs: unknown run id", path: "/api/runs/999999", status: 404, code: "not_found:run" },
  { name: "runs: run id not a number", path: "/api/runs/abc", status: 404, code: "not_found:run" },
  { name: "timing check: 0 iterations", path: "/api/diagnostics/timing-check", init: json({ iterations: 0 }), status: 422, code: "unprocessable:body" },
  { name: "timing check: 1,000 iterations", path: "/api/diagnostics/timing-check", init: json({ iterations: 1000 }), status: 422, code: "unprocessable:body" },
  { name: "alerts: acknowledge an unknown alert", path: "/api/alerts/999999/acknowledge", init: json({}), status: 404, code: "not_found:alert" },
  // query strings
  { name: "runs: limit 0", path: "/api/runs?limit=0", status: 400, code: "bad_request:query" },
  { name: "runs: limit not a number", path: "/api/runs?limit=abc", status: 400, code: "bad_request:query" },
  { name: "runs: limit over 1000", path: "/api/runs?limit=100000", status: 400, code: "bad_request:query" },
  { name: "runs: negative cursor", path: "/api/runs?before=-1", status: 400, code: "bad_request:query" },
  { name: "scores: cursor not a number", path: "/api/scores?before=x", status: 400, code: "bad_request:query" },
  { name: "models: fractional limit", path: "/api/models?limit=1.5", status: 400, code: "bad_request:query" },
  { name: "datasets: SQL in the cursor", path: "/api/datasets?before=1%3BDROP%20TABLE%20Dataset", status: 400, code: "bad_request:query" },
  { name: "drift: run id not a number", path: "/api/drift?runId=x", status: 400, code: "bad_request:query" },
  { name: "alerts: open neither true nor false", path: "/api/alerts?open=maybe", status: 400, code: "bad_request:query" },
  { name: "quarantine: limit 0", path: "/api/diagnostics/quarantine?limit=0", status: 400, code: "bad_request:query" },
  { name: "summarystats: unknown dataset", path: "/api/summarystats?dataset=foo", status: 400, code: "bad_request:query" },
];

let t: TestDb;
let fetchIt: typeof fetch;
beforeAll(async () => {
  t = createTestDb();
  process.env.TEST_DATA = TINY_TEST_DATA;
  delete process.env.ADMIN_TOKEN;
  await seedDeployedModel(t.db);
  fetchIt = inProcessFetch();
}, 120_000);
afterAll(async () => {
  await t.cleanup();
});

describe(`the battery: ${CASES.length} bad inputs`, () => {
  it("has at least 60 distinct inputs", () => {
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
    expect(CASES.length).toBeGreaterThanOrEqual(60);
  });

  for (const c of CASES) {
    it(c.name, async () => {
      const before = await everyTableCount(t.db);
      const live = await t.db.deployment.findFirst({ orderBy: { id: "desc" } });
      const res = await fetchIt(BASE + c.path, c.init);
      const body = await res.json();
      expect({ status: res.status, code: body.error?.code }).toMatchObject({ status: c.status, code: expect.stringMatching(new RegExp(`^${c.code}`)) });
      // a message that says what is wrong in words, not a stack trace
      expect(body.error.message).toMatch(/\w+ \w+ \w+/);
      expect(body.error.message).not.toMatch(/\n\s+at /);
      expect(await everyTableCount(t.db)).toEqual(before);
      expect(await t.db.deployment.findFirst({ orderBy: { id: "desc" } })).toEqual(live);
      const health = await fetchIt(BASE + "/api/health");
      expect(health.status).toBe(200);
    });
  }
});
