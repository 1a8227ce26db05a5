import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GET } from "@/app/api/summarystats/route";
import { ingestFile } from "@/lib/ingestion/ingest";
import { TEST_DATA, getRequest, inProcessFetch, tableCounts } from "@/lib/testing/api";
import { createTestDb, type TestDb } from "@/lib/testing/temp-db";
import { SummaryStatsResponse } from "@/lib/validations/core";

/*
 * Golden values from pandas 1.5 (Debian's /usr/bin/python3), the definition users compare with:
 *
 *   import io, pandas as pd
 *   df = pd.concat([pd.read_csv(io.StringIO(A)), pd.read_csv(io.StringIO(B))], ignore_index=True)
 *   for c in df.columns.drop("corporation"):
 *       s = df[c]; print(c, s.mean(), s.median(), s.std(), s.min(), s.max(), s.isna().mean())
 *
 * and the same on pd.read_csv("data/testdata/testdata.csv") and on A alone.
 */

const A = `corporation,lastmonth_activity,lastyear_activity,number_of_employees,exited
a1,10.5,100,5,0
a2,,300,15,1
a3,33.25,1e3,,0
a4,0,0,0,1
a5,1234.125,98765.5,7,0
`;
const B = `exited,corporation,number_of_employees,lastmonth_activity,lastyear_activity
1,b1,3,17,
0,b2,11,0.1,220
0,b3,,1e2,1.5
1,b4,4,,40000
`;

const PANDAS_TRAINING = {
  lastmonth_activity: { mean: 199.28214285714284, median: 17.0, std: 457.6344485308584, min: 0.0, max: 1234.125, missing: 0.2222222222222222 },
  lastyear_activity: { mean: 17548.375, median: 260.0, std: 35641.486002720805, min: 0.0, max: 98765.5, missing: 0.1111111111111111 },
  number_of_employees: { mean: 6.428571428571429, median: 5.0, std: 5.094347941825426, min: 0.0, max: 15.0, missing: 0.2222222222222222 },
  exited: { mean: 0.4444444444444444, median: 0.0, std: 0.5270462766947299, min: 0.0, max: 1.0, missing: 0.0 },
};
const PANDAS_TEST = {
  lastmonth_activity: { mean: 436.974, median: 317.0, std: 431.7472787980243, min: 0.0, max: 3000.0, missing: 0.0 },
  lastyear_activity: { mean: 4762.52, median: 3866.5, std: 3342.529449360121, min: 321.0, max: 24188.0, missing: 0.0 },
  number_of_employees: { mean: 85.07, median: 34.5, std: 156.02682410303484, min: 1.0, max: 1492.0, missing: 0.0 },
  exited: { mean: 0.288, median: 0.0, std: 0.45328460581375885, min: 0.0, max: 1.0, missing: 0.0 },
};
const PANDAS_A = {
  lastmonth_activity: { mean: 319.46875, median: 21.875, std: 609.9287387935168, min: 0.0, max: 1234.125, missing: 0.2 },
  lastyear_activity: { mean: 20033.1, median: 300.0, std: 44014.482026374, min: 0.0, max: 98765.5, missing: 0.0 },
  number_of_employees: { mean: 6.75, median: 6.0, std: 6.238322424070967, min: 0.0, max: 15.0, missing: 0.2 },
  exited: { mean: 0.4, median: 0.0, std: 0.5477225575051662, min: 0.0, max: 1.0, missing: 0.0 },
};

/** `actual`: the response's columns (numeric summaries or categorical ones); every column here must be a numeric summary. */
function expectClose(actual: Record<string, object>, expected: Record<string, Record<string, number>>) {
  expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
  for (const [col, stats] of Object.entries(expected)) {
    expect(actual[col], col).not.toHaveProperty("type", "categorical");
    for (const [k, v] of Object.entries(stats)) {
      const got = (actual[col] as Record<string, number | null>)[k];
      expect(got, `${col}.${k}`).not.toBeNull();
      expect(Math.abs((got as number) - v), `${col}.${k}: ${got} vs pandas ${v}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(v)));
    }
  }
}

let t: TestDb;
beforeEach(() => {
  t = createTestDb();
  process.env.TEST_DATA = TEST_DATA;
});
afterEach(async () => {
  await t.cleanup();
});

const get = async (query: string) => GET(getRequest(`/api/summarystats${query}`), undefined);

describe("GET /api/summarystats", () => {
  it("training (default): equals pandas on the ingested files; imputed cells count as missing", async () => {
    await ingestFile(t.db, { name: "a.csv", content: Buffer.from(A), role: "upload" });
    await ingestFile(t.db, { name: "b.csv", content: Buffer.from(B), role: "upload" });
    const res = await get("");
    expect(res.status).toBe(200);
    const body = SummaryStatsResponse.parse(await res.json());
    expect(body).toMatchObject({ dataset: "training", rows: 9 });
    expectClose(body.columns, PANDAS_TRAINING);
  });

  it("test: equals pandas on the TEST_DATA file", async () => {
    const body = SummaryStatsResponse.parse(await (await get("?dataset=test")).json());
    expect(body).toMatchObject({ dataset: "test", name: "testdata.csv", rows: 500 });
    expectClose(body.columns, PANDAS_TEST);
  });

  it("test data with empty cells: pandas skips NaN and reports the missing fraction", async () => {
    const file = path.join(t.dir, "with-gaps.csv");
    fs.writeFileSync(file, A);
    process.env.TEST_DATA = file;
    const body = SummaryStatsResponse.parse(await (await get("?dataset=test")).json());
    expect(body.rows).toBe(5);
    expectClose(body.columns, PANDAS_A);
  });

  it("an empty training set gives nulls, not errors", async () => {
    const body = SummaryStatsResponse.parse(await (await get("?dataset=training")).json());
    expect(body.rows).toBe(0);
    expect(body.columns.lastmonth_activity).toEqual({ mean: null, median: null, std: null, min: null, max: null, missing: 0 });
  });

  it("answers on the classic path /summarystats", async () => {
    const res = await inProcessFetch()("http://localhost/summarystats?dataset=test");
    expect(res.status).toBe(200);
    expect((await res.json()).rows).toBe(500);
  });

  it("an unknown dataset → 400 naming the valid values; no database change", async () => {
    const before = await tableCounts(t.db);
    const res = await get("?dataset=prod");
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBe("bad_request:query");
    expect(body.error.details).toEqual([{ column: "dataset", problem: "must be one of training, test" }]);
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it("a missing test file → 409", async () => {
    process.env.TEST_DATA = "/nonexistent.csv";
    const res = await get("?dataset=test");
    expect(res.status).toBe(409);
    expect((await res.json()).error.code).toBe("conflict:test_data");
  });
});

describe("GET /api/summarystats on a large training set", () => {
  it("computes on a worker thread above 100,000 records, equal to the in-thread computation, and caches until the next ingestion", async () => {
    const lines = ["corporation,lastmonth_activity,lastyear_activity,number_of_employees,exited"];
    for (let i = 0; i < 100_050; i++) lines.push(`c${i},${(i * 7919) % 3001},${i % 2 ? "" : (i * 104729) % 30011},${1 + (i % 97)},${i % 3 === 0 ? 1 : 0}`);
    await ingestFile(t.db, { name: "big.csv", content: Buffer.from(lines.join("\n")), role: "upload" });
    const body = SummaryStatsResponse.parse(await (await GET(getRequest("/api/summarystats"), undefined)).json());
    expect(body.rows).toBe(100_050);
    const { trainingSummary } = await import("@/lib/reads/summary");
    expect(body.columns).toEqual((await trainingSummary(t.db)).columns);
    expect(body.columns.lastyear_activity.missing).toBeCloseTo(0.5, 12);
    // a new file changes the training set: the summary follows
    await ingestFile(t.db, { name: "one.csv", content: Buffer.from(`${lines[0]}\nnew,1,2,3,1\n`), role: "upload" });
    const after = SummaryStatsResponse.parse(await (await GET(getRequest("/api/summarystats"), undefined)).json());
    expect(after.rows).toBe(100_051);
  }, 120_000);
});
