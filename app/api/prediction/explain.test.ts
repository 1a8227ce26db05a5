import { describe, expect, it } from "vitest";
import { POST } from "@/app/api/prediction/route";
import { columnsFromRows } from "@/lib/csv/rows-to-columns";
import { explainClient } from "@/lib/model/explain";
import { modelParameters } from "@/lib/model/stored";
import { HEADER, inProcessFetch, jsonRequest, multipartRequest, seedDeployedModel, TINY_TEST_DATA, useRouteTestDb } from "@/lib/testing/api";
import { DEMO_SCHEMA } from "@/lib/testing/demo-schema";
import { PredictionResponse } from "@/lib/validations/prediction";

const t = useRouteTestDb();

const rows = [
  { corporation: "a", lastmonth_activity: 10, lastyear_activity: 100, number_of_employees: 5 },
  { corporation: "b", lastmonth_activity: 2000, lastyear_activity: 20000, number_of_employees: 50 },
];
/** The rows as columns of the demo schema (features in its order). */
const data = columnsFromRows(
  DEMO_SCHEMA,
  rows.map((r) => ({ values: [r.lastmonth_activity, r.lastyear_activity, r.number_of_employees], label: null })),
);
const call = (req: Request) => POST(req, undefined);
/** The response body without its timing-dependent parts. */
const text = async (req: Request) => (await call(req)).text();

describe("POST /api/prediction?explain=1", () => {
  it("adds each client's feature contributions to the log-odds, largest first, with the sentence", async () => {
    const { model } = await seedDeployedModel(t.db);
    const res = await call(jsonRequest("/api/prediction?explain=1", { rows }));
    expect(res.status).toBe(200);
    const body = PredictionResponse.parse(await res.json());
    body.predictions.forEach((p, i) => {
      const expected = explainClient(modelParameters(model), data, { row: i, outcome: "exited" });
      expect(p.explanation).toEqual({ baselineLogOdds: expected.baselineLogOdds, logOdds: expected.logOdds, contributions: expected.contributions });
      const sizes = p.explanation!.contributions.map((c) => Math.abs(c.contribution));
      expect(sizes).toEqual([...sizes].sort((x, y) => y - x));
      // the schema's feature names are the labels, its label column the outcome; every feature of the demo schema is numeric
      expect(p.explanation!.contributions.map((c) => c.feature).sort()).toEqual(DEMO_SCHEMA.features.map((f) => f.name).sort());
      for (const c of p.explanation!.contributions) {
        expect(c).toMatchObject({ type: "numeric", label: c.feature });
        expect(c.sentence).toMatch(new RegExp(`^${c.feature} .*log-odds of exited$`));
      }
      expect(1 / (1 + Math.exp(-p.explanation!.logOdds))).toBeCloseTo(p.probability, 12);
    });
  });

  it("without explain=1 (or with explain=0) the response is byte-for-byte what it was", async () => {
    await seedDeployedModel(t.db);
    const plain = await text(jsonRequest("/api/prediction", { rows }));
    expect(await text(jsonRequest("/api/prediction?explain=0", { rows }))).toBe(plain);
    expect(await text(jsonRequest("/api/prediction?other=1", { rows }))).toBe(plain);
    const parsed = JSON.parse(plain);
    expect(Object.keys(parsed)).toEqual(["modelVersion", "modelVersionId", "threshold", "rows", "predictions"]);
    // the keys of the default schema (corporation, exited) beside the schema-wide id and predicted; no explanation
    for (const p of parsed.predictions) {
      expect(Object.keys(p).sort()).toEqual(["corporation", "exited", "id", "predicted", "probability"]);
      expect([p.id, p.predicted]).toEqual([p.corporation, p.exited]);
    }
  });

  it("works for a CSV upload and on the classic path /prediction (query string kept)", async () => {
    await seedDeployedModel(t.db);
    const csv = `${HEADER}\na,10,100,5,1\nb,2000,20000,50,0\n`;
    const upload = PredictionResponse.parse(await (await call(multipartRequest("/api/prediction?explain=1", [{ name: "x.csv", content: csv }]))).json());
    expect(upload.predictions.every((p) => p.explanation?.contributions.length === 3)).toBe(true);
    expect(upload.score).toBeDefined();
    const fetch = inProcessFetch();
    const classic = await fetch("http://localhost/prediction?explain=1", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ rows }) });
    expect(classic.status).toBe(200);
    expect(PredictionResponse.parse(await classic.json()).predictions[0].explanation?.contributions).toHaveLength(3);
  });

  it("a bad explain value is a JSON 400 naming the parameter", async () => {
    await seedDeployedModel(t.db);
    const res = await call(jsonRequest("/api/prediction?explain=yes", { rows }));
    expect(res.status).toBe(400);
    const err = (await res.json()).error;
    expect(err.code).toBe("bad_request:query");
    expect(err.details).toEqual([expect.objectContaining({ column: "explain" })]);
  });
});
