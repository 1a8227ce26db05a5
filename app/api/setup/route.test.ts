import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GET, POST } from "@/app/api/setup/route";
import { GET as getHealth } from "@/app/api/health/route";
import { GET as getSchema } from "@/app/api/schema/route";
import { waitForSetups } from "@/lib/actions/setup";
import { readStoredSchema } from "@/lib/db/stored-schema";
import { getRequest, multipartRequest, tableCounts, TINY_DIR, useRouteTestDb } from "@/lib/testing/api";
import { setupCsv } from "@/lib/testing/setup-csv";
import { ingestFolder } from "@/lib/ingestion/ingest";
import { startRunWithLock } from "@/lib/db/runs";
import { SetupStateResponse } from "@/lib/validations/setup";

const t = useRouteTestDb();
// periods of 100 rows: months of the generated files are periods of their own
beforeEach(() => {
  process.env.MIN_PERIOD_ROWS = "50";
  // the hold-out a set-up writes goes beside REPORT_DIR on PostgreSQL: keep it in the test's folder
  process.env.REPORT_DIR = path.join(t.dir, "reports");
});
// a set-up goes on after its 202: let it end before the test's database goes
afterEach(async () => {
  await waitForSetups();
  delete process.env.MIN_PERIOD_ROWS;
  delete process.env.REPORT_DIR;
});

const SCHEMA = {
  id: "client_id",
  label: "churned",
  positive: "yes",
  time: "signup_date",
  features: { balance: { type: "numeric", min: 0 }, region: "categorical", plan_code: "categorical" },
};

/** POST /api/setup with the CSV in `file` and the text fields given. */
function setup(csv: string, fields: Record<string, string>) {
  const form = new FormData();
  form.append("file", new Blob([csv], { type: "text/csv" }), "history.csv");
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  return POST(new Request("http://localhost:3000/api/setup", { method: "POST", body: form }), undefined);
}

async function state() {
  return SetupStateResponse.parse(await (await GET(getRequest("/api/setup"), undefined)).json());
}

async function errorOf(res: Response, status: number) {
  expect(res.status).toBe(status);
  return (await res.json()).error as { code: string; message: string };
}

describe("POST /api/setup", () => {
  it("stores the schema, replays the file by month, deploys the first model; GET /api/setup follows it; a second set-up is 409", async () => {
    expect(await state()).toMatchObject({ stored: false, state: "idle", progress: { done: 0, total: null } });
    const res = await setup(setupCsv({ rows: 600, months: 6 }), { schema: JSON.stringify(SCHEMA), by: "month" });
    expect(res.status).toBe(202);
    expect(res.headers.get("location")).toBe("/api/setup");
    expect(SetupStateResponse.parse(await res.json())).toMatchObject({ state: "running", file: "history.csv", by: "month" });

    const again = await setup(setupCsv({ rows: 600 }), { schema: JSON.stringify(SCHEMA), by: "month" });
    expect(await errorOf(again, 409)).toMatchObject({ code: "conflict:pipeline", message: expect.stringMatching(/A set-up is already running/) });

    await waitForSetups();
    const done = await state();
    expect(done).toMatchObject({ stored: true, state: "done", by: "month", progress: { done: 6, total: 6 } });
    expect(done.periods.map((p) => p.key)).toEqual(["2023-01", "2023-02", "2023-03", "2023-04", "2023-05", "2023-06"]);
    // 20 % of the first month (a seeded draw) is held out as the database's test data
    expect(done.periods[0]).toMatchObject({ key: "2023-01", label: "Jan 2023", rows: 78 });
    expect(done.periods.slice(1).map((p) => p.rows)).toEqual([100, 100, 100, 100, 100]);
    expect(done.runs.map((r) => r.period)).toEqual(done.periods.map((p) => p.key));
    expect(done.runs.every((r) => r.status === "succeeded")).toBe(true);
    expect(done.runs[0]).toMatchObject({ period: "2023-01", outcome: "redeployed" });
    expect(done.finishedAt).not.toBeNull();

    expect(await readStoredSchema(t.db)).toMatchObject({ id: "client_id", label: "churned", time: "signup_date", features: [{ name: "balance" }, { name: "region" }, { name: "plan_code" }] });
    const health = await (await getHealth(getRequest("/api/health"), undefined)).json();
    expect(health.deployedModel).toMatchObject({ version: expect.any(Number) });
    expect((await (await getSchema(getRequest("/api/schema"), undefined)).json()).stored).toBe(true);

    // done: the database has its schema, so the set-up is refused and nothing changes
    const before = await tableCounts(t.db);
    const third = await setup(setupCsv({ rows: 600 }), { schema: JSON.stringify(SCHEMA) });
    expect(await errorOf(third, 409)).toMatchObject({ code: "conflict:schema", message: expect.stringMatching(/A schema is already stored.*new database file/) });
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it("the whole file as one period when no granularity is sent (no time column needed)", async () => {
    const { time: _time, ...untimed } = SCHEMA;
    const res = await setup(setupCsv({ rows: 800 }), { schema: JSON.stringify({ ...untimed, time: null }) });
    expect(res.status).toBe(202);
    await waitForSetups();
    expect(await state()).toMatchObject({ stored: true, state: "done", by: null, progress: { done: 1, total: 1 }, runs: [{ period: "all", outcome: "redeployed" }] });
  });

  it("409 when the database already holds data or a pipeline run holds the lock", async () => {
    const lock = await startRunWithLock(t.db, { trigger: "test", ttlSeconds: 600 });
    const busy = await setup(setupCsv({ rows: 800 }), { schema: JSON.stringify(SCHEMA) });
    expect(await errorOf(busy, 409)).toMatchObject({ code: "conflict:pipeline", message: expect.stringMatching(new RegExp(`run ${lock.id}`)) });
    expect((await state()).state).toBe("idle");
    await t.db.pipelineLock.deleteMany({});

    await ingestFolder(t.db, TINY_DIR);
    const res = await setup(setupCsv({ rows: 800 }), { schema: JSON.stringify(SCHEMA) });
    expect(await errorOf(res, 409)).toMatchObject({ code: "conflict:schema" });
  });

  it("422 for a bad schema, a granularity without a time column, columns the file lacks; 400 for no schema field", async () => {
    const csv = setupCsv({ rows: 800 });
    const notJson = await errorOf(await setup(csv, { schema: "{ label: churned" }), 422);
    expect(notJson).toMatchObject({ code: "unprocessable:schema", message: expect.stringMatching(/The field "schema" is not valid JSON/) });
    const badType = await errorOf(await setup(csv, { schema: JSON.stringify({ ...SCHEMA, features: { balance: "number" } }) }), 422);
    expect(badType).toMatchObject({ code: "unprocessable:schema", message: expect.stringMatching(/the field "schema".*balance/) });
    const noTime = await errorOf(await setup(csv, { schema: JSON.stringify({ ...SCHEMA, time: null }), by: "month" }), 422);
    expect(noTime.message).toMatch(/"by": "month" replays the file by period, which needs a time column/);
    const badBy = await errorOf(await setup(csv, { schema: JSON.stringify(SCHEMA), by: "fortnight" }), 422);
    expect(badBy).toMatchObject({ code: "unprocessable:body", message: expect.stringMatching(/by: must be one of day, week, month, quarter, year/) });
    const lacking = await errorOf(await setup(csv, { schema: JSON.stringify({ ...SCHEMA, features: { balance: "numeric", tenure: "numeric" } }) }), 422);
    expect(lacking).toMatchObject({ code: "unprocessable:csv", message: expect.stringMatching(/history\.csv has no column "tenure", which the schema names/) });
    const noSchema = await errorOf(await POST(multipartRequest("/api/setup", [{ name: "a.csv", content: csv }]), undefined), 422);
    expect(noSchema.message).toMatch(/schema: .*is missing: send the schema as JSON/);
    expect((await state()).state).toBe("idle");
    expect(await readStoredSchema(t.db)).toBeNull();
  });
});
