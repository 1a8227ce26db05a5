import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { GET as schemaRoute } from "@/app/api/schema/route";
import { GET as summaryStats } from "@/app/api/summarystats/route";
import { databaseUrlOf } from "@/lib/db/client";
import { readTrainingColumns } from "@/lib/db/columns";
import { currentSchema } from "@/lib/db/stored-schema";
import { featureDriftOfColumns } from "@/lib/drift/observed-feature-drift";
import { getRequest, inProcessFetch, jsonRequest, multipartRequest, ROOT } from "@/lib/testing/api";
import { useTestDb } from "@/lib/testing/temp-db";
import { ModelDetailResponse, SummaryStatsResponse } from "@/lib/validations/core";
import { PredictionResponse } from "@/lib/validations/prediction";
import { SchemaResponse } from "@/lib/validations/schema";

/*
 * Another team's table through the product, as a user drives it over HTTP: the bundled "wide"
 * dataset (data/wide: a client id in no order, 8 numeric and 4 categorical features — one of codes
 * that look like numbers —, 1 % empty cells, labels yes/no, a month column, a new region level and
 * a shifted numeric feature in the last month) with its schema file. The figures are held to
 * statsmodels / scikit-learn / scipy on the same rows: data/golden/wide_pipeline_golden.json,
 * written by `/usr/bin/python3 data/golden/wide_pipeline_golden.py` (its docstring says how).
 */

const WIDE = path.join(ROOT, "data/wide");
const golden = JSON.parse(fs.readFileSync(path.join(ROOT, "data/golden/wide_pipeline_golden.json"), "utf8"));
const files = fs.readdirSync(WIDE).filter((f) => f.endsWith(".csv")).sort();

const t = useTestDb(() => {
  process.env.SCHEMA_FILE = path.join(WIDE, "schema.json");
  process.env.TEST_DATA = path.join(WIDE, "test/wide_test.csv");
  delete process.env.ADMIN_TOKEN;
});

async function ingestAll(call: typeof fetch): Promise<void> {
  for (const name of files) {
    const res = await call(multipartRequest("/api/ingest", [{ name, content: fs.readFileSync(path.join(WIDE, name)) }]));
    expect(res.status, name).toBe(201);
  }
}

describe("a table with categorical features, from the schema file to predictions", () => {
  it("trains a model whose F1 and ROC AUC on the test file equal statsmodels' fit of the same design", async () => {
    const call = inProcessFetch();
    await ingestAll(call);
    const schema = SchemaResponse.parse(await (await schemaRoute(getRequest("/api/schema"), undefined)).json());
    expect(schema).toMatchObject({ id: "client_id", label: "churned", positive: "yes", time: "month", stored: true });
    expect(schema.features.filter((f) => f.type === "categorical").map((f) => f.name)).toEqual(["region", "industry", "contract_type", "plan_code"]);

    const trained = await call(jsonRequest("/api/train", {}));
    expect(trained.status).toBe(201);
    const { model } = (await trained.json()) as { model: { id: number } };
    const detail = ModelDetailResponse.parse(await (await call(getRequest(`/api/models/${model.id}`))).json());
    expect(detail.testScore?.rows).toBe(golden.test.rows);
    expect(Math.abs(detail.testScore!.f1 - golden.test.f1)).toBeLessThanOrEqual(0.002);
    expect(Math.abs(detail.testScore!.ranking!.rocAuc! - golden.test.rocAuc)).toBeLessThanOrEqual(1e-4);
    // a categorical level is a term of its own, in the coefficient table
    expect(detail.model.coefficients?.original.map((r) => r.term)).toContain("region=south");
  });

  it("measures drift by type: KS for a numeric feature, chi-square and Jensen–Shannon for a categorical one, as scipy", async () => {
    await ingestAll(inProcessFetch());
    const url = databaseUrlOf(t.db);
    const schema = await currentSchema(t.db);
    const ids = (await t.db.dataset.findMany({ orderBy: { id: "asc" }, select: { id: true } })).map((d) => d.id);
    const reference = await readTrainingColumns(url, schema, { datasetIds: [ids[0]] });
    const current = await readTrainingColumns(url, schema, { datasetIds: [ids[3]] });
    expect([reference.n, current.n]).toEqual([golden.drift.referenceRows, golden.drift.currentRows]);
    const drift = featureDriftOfColumns(schema, reference, current);
    const spend = drift.monthly_spend;
    const region = drift.region;
    if (spend.type !== "numeric" || region.type !== "categorical" || !spend.ks || !region.chi2) throw new Error("both features should have been compared");
    expect(spend.ks.statistic).toBeCloseTo(golden.drift.monthly_spend.ksStatistic, 12);
    expect(spend.ks.pValue / golden.drift.monthly_spend.ksPValue).toBeCloseTo(1, 6);
    expect(region.chi2.statistic).toBeCloseTo(golden.drift.region.chi2, 9);
    expect(region.chi2.df).toBe(golden.drift.region.df);
    expect(region.chi2.pValue / golden.drift.region.pValue).toBeCloseTo(1, 6);
    expect(region.js.distance).toBeCloseTo(golden.drift.region.js, 12);
    // "overseas" is the level the reference never had
    expect(region.unseen.levels).toEqual(["overseas"]);
    expect(region.unseen.drifted).toBe(true);
  });

  it("predicts JSON rows named as the CSV headers, counts levels never seen, and summarises categorical columns by level", async () => {
    const call = inProcessFetch();
    await ingestAll(call);
    const trained = (await (await call(jsonRequest("/api/train", {}))).json()) as { model: { id: number } };
    expect((await call(jsonRequest("/api/deploy", { modelVersionId: trained.model.id }))).status).toBe(200);
    const row = {
      client_id: "new-1",
      tenure_months: 12,
      monthly_spend: 150,
      support_tickets: 2,
      logins_last_30d: 10,
      late_payments: 1,
      seats: 5,
      discount_pct: 10,
      nps_score: -20,
      region: "mars",
      industry: "software",
      contract_type: "monthly",
      plan_code: 7, // a number is read as its text: "7", a level of its own (not "007")
    };
    const res = await call(jsonRequest("/api/prediction?explain=1", { rows: [row, { ...row, client_id: "new-2", region: "north" }] }));
    expect(res.status).toBe(200);
    const body = PredictionResponse.parse(await res.json());
    expect(body.predictions.map((p) => [p.id, p.client_id])).toEqual([
      ["new-1", "new-1"],
      ["new-2", "new-2"],
    ]);
    expect(body.unseen).toEqual({ region: 1 });
    const regionOf = (i: number) => body.predictions[i].explanation!.contributions.find((c) => c.feature === "region")!;
    expect(regionOf(0)).toMatchObject({ type: "categorical", level: "mars", unseen: true, contribution: 0 });
    expect(regionOf(1)).toMatchObject({ type: "categorical", level: "north", unseen: false });

    const bad = await call(jsonRequest("/api/prediction", { rows: [{ ...row, nps_score: 150 }] }));
    expect(bad.status).toBe(422);

    const stats = SummaryStatsResponse.parse(await (await summaryStats(getRequest("/api/summarystats"), undefined)).json());
    const region = stats.columns.region;
    expect(region).toMatchObject({ type: "categorical" });
    if (!("type" in region)) throw new Error("categorical summary expected");
    expect(region.top[0].level).toBe("north");
    expect(region.distinct).toBe(6);
  });
});
