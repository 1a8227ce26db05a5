import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../config";
import { listDatasets } from "../db/datasets";
import { listRuns } from "../db/runs";
import { storedTestData } from "../db/stored-schema";
import { isAppError } from "../errors";
import { scoresView } from "../reads/core";
import { driftView, runsView } from "../reads/monitoring";
import { parseSchema } from "../schema/parse";
import { setupCsv } from "../testing/setup-csv";
import { createTestDb, type TestDb } from "../testing/temp-db";
import { PeriodQuery, pageRequest } from "../validations/pagination";
import { replayFile } from "./replay-file";

/*
 * Backfill by period (issue 18): a history file cut on its time column, one full-process run per
 * period, oldest first, every fact stamped with the period of its rows; short periods merged; a
 * date a reader would have to guess refuses the whole file before anything is stored.
 */

let t: TestDb;
const SCHEMA = parseSchema(
  { id: "client_id", label: "churned", positive: "yes", negative: "no", time: "signup_date", features: { balance: { type: "numeric", min: 0 }, region: "categorical", plan_code: "categorical" } },
  "the test schema",
);

beforeEach(() => {
  t = createTestDb();
  Object.assign(process.env, { SOURCE_DIR: path.join(t.dir, "source"), REPORT_DIR: path.join(t.dir, "reports"), DRIFT_TRIGGER: "latest" });
  delete process.env.ALERT_WEBHOOK_URL;
});
afterEach(async () => {
  await t.cleanup();
});

function historyFile(content: string): string {
  const file = path.join(t.dir, "history.csv");
  fs.writeFileSync(file, content);
  return file;
}

async function rejection(p: Promise<unknown>) {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  if (!isAppError(e)) throw new Error(`expected an AppError, got ${String(e)}`);
  return e;
}

describe("replay FILE --by: one run per period", () => {
  it("quarters of two years: the first trains and deploys, each later one is scored on its own rows; every fact carries its quarter", async () => {
    const file = historyFile(setupCsv({ rows: 2400, months: 24, noLeak: true }));
    const seen: string[] = [];
    const r = await replayFile({ db: t.db, trigger: "cli" }, loadConfig(), file, { by: "quarter", minPeriodRows: 200, schema: SCHEMA, fullOptions: { dependencies: "skip" }, onRun: (p) => seen.push(p.key) });
    const quarters = ["2023-Q1", "2023-Q2", "2023-Q3", "2023-Q4", "2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"];
    expect(r.periods.map((p) => p.key)).toEqual(quarters);
    expect(seen).toEqual(quarters);
    expect(r.merges).toEqual([]);
    expect(r.runs.map((x) => x.run.status)).toEqual(quarters.map(() => "succeeded"));
    expect(r.runs[0].run.outcome).toBe("redeployed");
    expect(r.periods[0]).toMatchObject({ label: "Q1 2023", start: "2023-01-01T00:00:00.000Z", end: "2023-03-31T23:59:59.999Z" });

    // the hold-out: a fifth of the first quarter, stored as the database's test data
    expect(r.testData.heldOut).toBe(true);
    expect(await storedTestData(t.db)).toBe(r.testData.path);
    expect(r.testData.rows + r.periods[0].rows).toBe(300);
    expect(r.testData.rows).toBeGreaterThan(40);
    expect(r.testData.rows).toBeLessThan(80);

    // runs: the min and max date of their quarter's rows (the file has days 1–28 of each month)
    const runs = (await runsView(t.db, { limit: 100 })).runs.reverse();
    expect(runs.map((x) => [x.periodStart, x.periodEnd])).toEqual(
      quarters.map((q) => {
        const [y, n] = q.split("-Q").map(Number);
        const m0 = String((n - 1) * 3 + 1).padStart(2, "0");
        const m2 = String((n - 1) * 3 + 3).padStart(2, "0");
        return [`${y}-${m0}-01T00:00:00.000Z`, `${y}-${m2}-28T00:00:00.000Z`];
      }),
    );
    // new-data scores: one per later quarter, with its rows and the quarter's period
    const scores = (await scoresView(t.db, { limit: 1000 })).scores;
    const newData = scores.filter((s) => s.kind === "new-data");
    expect(newData.map((s) => s.periodStart?.slice(0, 7))).toEqual(["2023-04", "2023-07", "2023-10", "2024-01", "2024-04", "2024-07", "2024-10"]);
    expect(newData.map((s) => s.rows)).toEqual(r.periods.slice(1).map((p) => p.rows));
    // test scores are about the hold-out: the first quarter
    for (const s of scores.filter((x) => x.kind === "test")) expect(s.periodStart?.slice(0, 7)).toBe("2023-01");
    // drift checks are about their run's quarter
    const checks = (await driftView(t.db, { limit: 100 })).checks;
    expect(checks).toHaveLength(7);
    for (const c of checks) expect(c.periodStart).toBe(runs.find((x) => x.id === c.runId)?.periodStart);

    // lists filter by period: `to` keeps the whole month it names
    const q = (from: string, to: string) => pageRequest({ limit: 100, ...PeriodQuery.parse({ from, to }) });
    const spring = await scoresView(t.db, q("2024-04", "2024-06"));
    expect(spring.scores.map((s) => [s.kind, s.periodStart?.slice(0, 7)])).toEqual([["new-data", "2024-04"]]);
    const second = await runsView(t.db, q("2024-01-01", "2024-12"));
    expect(second.runs.map((x) => x.periodStart?.slice(0, 7))).toEqual(["2024-10", "2024-07", "2024-04", "2024-01"]);

    // a second replay of the same file finds every period in the ledger: no new run
    const again = await replayFile({ db: t.db, trigger: "cli" }, loadConfig(), file, { by: "quarter", minPeriodRows: 200, fullOptions: { dependencies: "skip" } });
    expect(again.runs).toEqual([]);
    expect((await listRuns(t.db)).length).toBe(8);
  }, 120_000);

  it("periods under MIN_PERIOD_ROWS are merged into the next one, the last into the one before, and the merges are reported", async () => {
    // 1,000 rows over 10 months: 100 a month; at 250 a period holds three months, the tenth joins the ninth
    const file = historyFile(setupCsv({ rows: 1000, months: 10, noLeak: true }));
    const r = await replayFile({ db: t.db, trigger: "cli" }, loadConfig(), file, { by: "month", minPeriodRows: 250, schema: SCHEMA, fullOptions: { dependencies: "skip" } });
    expect(r.periods.map((p) => [p.key, p.merged])).toEqual([
      ["2023-03", ["2023-01", "2023-02"]],
      ["2023-06", ["2023-04", "2023-05"]],
      ["2023-09", ["2023-07", "2023-08", "2023-10"]],
    ]);
    expect(r.periods.map((p) => p.label)).toEqual(["Jan 2023 – Mar 2023", "Apr 2023 – Jun 2023", "Jul 2023 – Oct 2023"]);
    expect(r.merges[0]).toBe("2023-01 (100 rows), 2023-02 (100 rows) merged into 2023-03: fewer than MIN_PERIOD_ROWS = 250 rows");
    expect(r.periods.slice(1).map((p) => p.rows)).toEqual([300, 400]);
    expect(r.runs.map((x) => x.run.status)).toEqual(["succeeded", "succeeded", "succeeded"]);
  }, 60_000);

  it("a date whose day and month order is ambiguous refuses the whole file with its row and column; nothing is stored", async () => {
    const lines = setupCsv({ rows: 600, months: 6, noLeak: true }).split("\n");
    lines[5] = lines[5].replace(/,2023-(\d\d)-(\d\d),/, ",$2/$1/2023,");
    const file = historyFile(lines.join("\n"));
    const e = await rejection(replayFile({ db: t.db, trigger: "cli" }, loadConfig(), file, { by: "month", minPeriodRows: 100, schema: SCHEMA }));
    expect(e.code).toBe("unprocessable:csv");
    expect(e.details).toEqual([{ row: 6, column: "signup_date", problem: expect.stringMatching(/not an ISO 8601 date.*ambiguous/) }]);
    expect(await listDatasets(t.db)).toEqual([]);
    expect(await listRuns(t.db)).toEqual([]);
  });

  it("--by without a time column in the schema, and a file under 2 × MIN_PERIOD_ROWS rows, are refused", async () => {
    const file = historyFile(setupCsv({ rows: 300, months: 6, noLeak: true }));
    const noTime = await rejection(replayFile({ db: t.db, trigger: "cli" }, loadConfig(), file, { by: "month", minPeriodRows: 100, schema: { ...SCHEMA, time: null } }));
    expect(noTime.code).toBe("unprocessable:replay");
    expect(noTime.message).toMatch(/needs the schema's time column/);
    const short = await rejection(replayFile({ db: t.db, trigger: "cli" }, loadConfig(), file, { by: null, minPeriodRows: 200 }));
    expect(short.code).toBe("unprocessable:replay");
    expect(short.message).toMatch(/has 300 data rows; a replay needs at least 2 × MIN_PERIOD_ROWS = 400/);
    expect(await listRuns(t.db)).toEqual([]);
  });
});
