import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { POST } from "@/app/api/prediction/route";
import { liveStepTimings } from "@/lib/diagnostics/timing-aggregator";
import { columnsFromRows } from "@/lib/csv/rows-to-columns";
import { labelsAt, predictProbabilityColumns, type ModelParameters } from "@/lib/model/logistic";
import { modelParameters } from "@/lib/model/stored";
import { everyTableCount, HEADER, inProcessFetch, jsonRequest, multipartRequest, seedDeployedModel, tableCounts, TINY_TEST_DATA, useRouteTestDb } from "@/lib/testing/api";
import { DEMO_SCHEMA } from "@/lib/testing/demo-schema";
import { createTestDb, testDatabaseKind, type TestDb } from "@/lib/testing/temp-db";
import { PredictionResponse } from "@/lib/validations/prediction";

const t = useRouteTestDb();

const rows = [
  { corporation: "a", lastmonth_activity: 10, lastyear_activity: 100, number_of_employees: 5 },
  { corporation: "b", lastmonth_activity: 2000, lastyear_activity: 20000, number_of_employees: 50 },
  { corporation: "c", lastmonth_activity: 0, lastyear_activity: 0, number_of_employees: 0 },
];

const call = (req: Request) => POST(req, undefined);

/** The model's probabilities and labels for `rows` (as columns of the demo schema, features in its order). */
function predicted(model: ModelParameters, rs: typeof rows) {
  const data = columnsFromRows(DEMO_SCHEMA, rs.map((r) => ({ values: [r.lastmonth_activity, r.lastyear_activity, r.number_of_employees], label: null })));
  const probabilities = predictProbabilityColumns(model, data);
  const labels = labelsAt(probabilities, model.hyperParameters.threshold);
  return Array.from(probabilities, (probability, i) => ({ probability, exited: labels[i] }));
}

describe("POST /api/prediction", () => {
  it("predicts JSON rows in input order with the deployed model and counts a predict timing in memory", async () => {
    const { model } = await seedDeployedModel(t.db);
    const before = await everyTableCount(t.db);
    const res = await call(jsonRequest("/api/prediction", { rows }));
    expect(res.status).toBe(200);
    expect(res.headers.get("server-timing")).toMatch(/^predict;dur=\d+\.\d\d$/);
    const body = PredictionResponse.parse(await res.json());
    const expected = predicted(modelParameters(model), rows);
    expect(body.modelVersion).toBe(model.version);
    expect(body.predictions.map((p) => p.corporation)).toEqual(["a", "b", "c"]);
    expect(body.predictions.map((p) => p.id)).toEqual(["a", "b", "c"]);
    expect(body.unseen).toBeUndefined();
    body.predictions.forEach((p, i) => {
      expect(p.probability).toBeCloseTo(expected[i].probability, 12);
      expect(p.exited).toBe(expected[i].exited);
      expect(p.predicted).toBe(expected[i].exited);
      expect(p.probability).toBeGreaterThan(0);
      expect(p.probability).toBeLessThan(1);
    });
    expect(body.score).toBeUndefined();
    // the timing is aggregated in memory (flushed once per minute), not stored per request
    expect(liveStepTimings(t.db).find((s) => s.step === "predict")).toMatchObject({ count: 1 });
    expect(await everyTableCount(t.db)).toEqual(before);
  });

  it("writes nothing to the database: not on the first request, not on later ones, not for a labelled CSV", async () => {
    await seedDeployedModel(t.db);
    // SQLite counts every row this connection changed; PostgreSQL has no such counter (every table's row count is compared instead).
    const totalChanges = async () =>
      testDatabaseKind() === "postgresql" ? 0 : Number((await t.db.$queryRawUnsafe<{ n: number | bigint }[]>("SELECT total_changes() AS n"))[0].n);
    const before = await everyTableCount(t.db);
    const changes = await totalChanges();
    for (let i = 0; i < 3; i++) expect((await call(jsonRequest("/api/prediction", { rows }))).status).toBe(200);
    const labelled = await call(multipartRequest("/api/prediction", [{ name: "testdata.csv", content: fs.readFileSync(TINY_TEST_DATA) }]));
    expect(labelled.status).toBe(200);
    expect(await everyTableCount(t.db)).toEqual(before);
    // rows changed by this connection (the one the route uses) since it opened: still the same
    expect(await totalChanges()).toBe(changes);
    expect(liveStepTimings(t.db).find((s) => s.step === "predict")).toMatchObject({ count: 4 });
  });

  it("scores a labelled multipart CSV (the test file) and matches the recorded test score", async () => {
    await seedDeployedModel(t.db);
    const csv = fs.readFileSync(TINY_TEST_DATA);
    const res = await call(multipartRequest("/api/prediction", [{ name: "testdata.csv", content: csv }]));
    expect(res.status).toBe(200);
    const body = PredictionResponse.parse(await res.json());
    expect(body.predictions).toHaveLength(20);
    expect(body.predictions[0].corporation).toBe("corp-50101");
    const recorded = await t.db.score.findFirstOrThrow({ orderBy: { id: "desc" } });
    expect(body.score).toMatchObject({ f1: recorded.f1, precision: recorded.precision, recall: recorded.recall, accuracy: recorded.accuracy });
    expect(body.score!.confusion).toEqual({ tp: recorded.tp, fp: recorded.fp, tn: recorded.tn, fn: recorded.fn });
  });

  it("answers on the classic path POST /prediction", async () => {
    await seedDeployedModel(t.db);
    const res = await inProcessFetch()("http://localhost/prediction", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ rows: rows.slice(0, 1) }),
    });
    expect(res.status).toBe(200);
    expect((await res.json()).predictions).toHaveLength(1);
  });

  it("predicts 10,000 rows in one request", async () => {
    await seedDeployedModel(t.db);
    const many = Array.from({ length: 10_000 }, (_, i) => ({
      corporation: `c${i}`,
      lastmonth_activity: (i * 37) % 2000,
      lastyear_activity: (i * 91) % 20000,
      number_of_employees: i % 300,
    }));
    const start = performance.now();
    const res = await call(jsonRequest("/api/prediction", { rows: many }));
    const ms = performance.now() - start;
    expect(res.status).toBe(200);
    const body = PredictionResponse.parse(await res.json());
    expect(body.predictions).toHaveLength(10_000);
    expect(body.predictions[9999].corporation).toBe("c9999");
    expect(ms).toBeLessThan(5000);
  });

  describe("refuses bad input with a 4xx JSON error and changes nothing", () => {
    const cases: [string, () => Request, number, string, unknown?][] = [
      ["bad JSON", () => jsonRequest("/api/prediction", "{rows: ["), 400, "bad_request:json"],
      [
        "wrong content type",
        () => new Request("http://localhost/api/prediction", { method: "POST", headers: { "content-type": "text/plain" }, body: "x" }),
        415,
        "unsupported_media_type:body",
      ],
      ["no rows", () => jsonRequest("/api/prediction", { rows: [] }), 422, "unprocessable:body"],
      [
        "negative and non-numeric features",
        () =>
          jsonRequest("/api/prediction", {
            rows: [rows[0], { ...rows[1], lastmonth_activity: -3 }, { ...rows[2], number_of_employees: "ten" }],
          }),
        422,
        "unprocessable:body",
        [
          { row: 1, column: "lastmonth_activity", problem: "must not be negative, got -3" },
          { row: 2, column: "number_of_employees", problem: 'must be a number, got "ten"' },
        ],
      ],
      [
        "a missing column in JSON",
        () => jsonRequest("/api/prediction", { rows: [{ corporation: "x", lastmonth_activity: 1, lastyear_activity: 2 }] }),
        422,
        "unprocessable:body",
        [{ row: 0, column: "number_of_employees", problem: "is missing" }],
      ],
      ["labels other than 0/1", () => jsonRequest("/api/prediction", { rows: [{ ...rows[0], exited: 2 }] }), 422, "unprocessable:body"],
      [
        "a finite number too large to compute with",
        () => jsonRequest("/api/prediction", { rows: [{ ...rows[0], lastyear_activity: 1e308 }] }),
        422,
        "unprocessable:body",
        [{ row: 0, column: "lastyear_activity", problem: "is too large: 1e+308 (at most 1e+15)" }],
      ],
      [
        "CSV missing columns",
        () => multipartRequest("/api/prediction", [{ name: "x.csv", content: "corporation,lastmonth_activity\na,1\n" }]),
        422,
        "unprocessable:csv",
      ],
      [
        "CSV with bad values",
        () => multipartRequest("/api/prediction", [{ name: "x.csv", content: `${HEADER}\na,1,2,3,0\nb,-1,2,3,0\nc,1,,3,1\nd,1,2,3,7\n` }]),
        422,
        "unprocessable:rows",
        [
          { row: 3, column: "lastmonth_activity", problem: 'must not be negative: "-1"' },
          { row: 4, column: "lastyear_activity", problem: "is empty; every numeric feature is needed to predict" },
          { row: 5, column: "exited", problem: 'must be 0 or 1, got "7"' },
        ],
      ],
      ["empty CSV", () => multipartRequest("/api/prediction", [{ name: "x.csv", content: "" }]), 422, "unprocessable:csv"],
      [
        "binary upload",
        () => multipartRequest("/api/prediction", [{ name: "x.png", content: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1]) }]),
        415,
        "unsupported_media_type:csv",
      ],
      [
        "a server path instead of data",
        () => jsonRequest("/api/prediction", { path: "/etc/passwd" }),
        422,
        "unprocessable:body",
      ],
    ];
    for (const [name, build, status, code, details] of cases) {
      it(name, async () => {
        await seedDeployedModel(t.db);
        const before = await tableCounts(t.db);
        const res = await call(build());
        expect(res.status).toBe(status);
        const body = await res.json();
        expect(body.error.code).toBe(code);
        expect(body.error.message.length).toBeGreaterThan(10);
        if (details) expect(body.error.details).toEqual(details);
        expect(await tableCounts(t.db)).toEqual(before);
      });
    }

    it("oversized body (MAX_UPLOAD_MB) from Content-Length and while reading", async () => {
      await seedDeployedModel(t.db);
      process.env.MAX_UPLOAD_MB = "0.001";
      const before = await tableCounts(t.db);
      const big = JSON.stringify({ rows: Array.from({ length: 100 }, () => rows[0]) });
      const declared = await call(jsonRequest("/api/prediction", big, { headers: { "content-length": String(big.length) } }));
      expect(declared.status).toBe(413);
      expect((await declared.json()).error.code).toBe("payload_too_large:body");
      const stream = new ReadableStream({
        start(c) {
          c.enqueue(new TextEncoder().encode(big));
          c.close();
        },
      });
      const streamed = await call(
        new Request("http://localhost/api/prediction", { method: "POST", headers: { "content-type": "application/json" }, body: stream, duplex: "half" } as RequestInit),
      );
      expect(streamed.status).toBe(413);
      expect(await tableCounts(t.db)).toEqual(before);
    });

    it("no deployed model → 409", async () => {
      const before = await tableCounts(t.db);
      const res = await call(jsonRequest("/api/prediction", { rows }));
      expect(res.status).toBe(409);
      expect((await res.json()).error.code).toBe("conflict:no_deployed_model");
      expect(await tableCounts(t.db)).toEqual(before);
    });
  });
});

describe("POST /api/prediction with labelled JSON rows", () => {
  it("scores when every row has exited; refuses a mix of labelled and unlabelled rows", async () => {
    const { model } = await seedDeployedModel(t.db);
    const labelled = rows.map((r, i) => ({ ...r, exited: (i % 2) as 0 | 1 }));
    const body = PredictionResponse.parse(await (await call(jsonRequest("/api/prediction", { rows: labelled }))).json());
    const labels = predicted(modelParameters(model), rows).map((p) => p.exited);
    const tp = labels.filter((p, i) => p === 1 && labelled[i].exited === 1).length;
    const fp = labels.filter((p, i) => p === 1 && labelled[i].exited === 0).length;
    const fn = labels.filter((p, i) => p === 0 && labelled[i].exited === 1).length;
    expect(body.score!.confusion).toEqual({ tp, fp, fn, tn: 3 - tp - fp - fn });
    expect(body.score!.rows).toBe(3);

    const before = await tableCounts(t.db);
    const mixed = await call(jsonRequest("/api/prediction", { rows: [labelled[0], rows[1]] }));
    expect(mixed.status).toBe(422);
    expect((await mixed.json()).error.details).toEqual([{ row: 1, column: "exited", problem: expect.stringContaining("every row") }]);
    expect(await tableCounts(t.db)).toEqual(before);
  });
});
