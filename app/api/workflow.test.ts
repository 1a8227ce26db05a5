import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TINY_DIR, TINY_TEST_DATA, serveInProcess } from "@/lib/testing/api";
import { createTestDb, type TestDb } from "@/lib/testing/temp-db";
import { DatasetsResponse, HealthResponse, ModelsResponse, ScoresResponse, ScoringResponse } from "@/lib/validations/core";
import { IngestResponse } from "@/lib/validations/ingest";
import { DeploymentResponse, TrainResponse } from "@/lib/validations/models";
import { PredictionResponse } from "@/lib/validations/prediction";

/*
 * A client that knows only API.md, over real HTTP (node:http in front of the route handlers),
 * with ADMIN_TOKEN set: ingest, train, deploy, predict, score, train again, roll back, list.
 */

const TOKEN = "workflow-admin-token";
let t: TestDb;
let server: Awaited<ReturnType<typeof serveInProcess>>;
beforeEach(async () => {
  t = createTestDb();
  process.env.TEST_DATA = TINY_TEST_DATA;
  process.env.ADMIN_TOKEN = TOKEN;
  server = await serveInProcess();
});
afterEach(async () => {
  await server.close();
  delete process.env.ADMIN_TOKEN;
  await t.cleanup();
});

const auth = { authorization: `Bearer ${TOKEN}` };
const get = async (p: string) => (await fetch(server.baseUrl + p)).json();
const upload = (files: string[], pathname: string) => {
  const form = new FormData();
  for (const f of files) form.append("file", new Blob([fs.readFileSync(f)], { type: "text/csv" }), path.basename(f));
  return fetch(server.baseUrl + pathname, { method: "POST", body: form, headers: auth });
};
const postJson = (p: string, body?: unknown) =>
  fetch(server.baseUrl + p, { method: "POST", headers: { ...auth, ...(body ? { "content-type": "application/json" } : {}) }, body: body ? JSON.stringify(body) : undefined });

describe("the whole API from a script", () => {
  it("ingest → train → deploy → predict → scoring → retrain → deploy → rollback", async () => {
    const batches = ["batch1.csv", "batch2.csv", "batch3.csv"].map((f) => path.join(TINY_DIR, f));

    // without the token nothing happens
    expect((await fetch(server.baseUrl + "/api/ingest", { method: "POST", body: new FormData() })).status).toBe(401);

    const ingested = await upload(batches.slice(0, 2), "/api/ingest");
    expect(ingested.status).toBe(201);
    expect(IngestResponse.parse(await ingested.json()).datasets.map((d) => d.rowsAccepted)).toEqual([14, 12]);

    const trained = await postJson("/api/train");
    expect(trained.status).toBe(201);
    const v1 = TrainResponse.parse(await trained.json()).model;
    expect(v1.trainedRows).toBe(26);

    const deployed = await postJson("/api/deploy", { modelVersionId: v1.id, reason: "first" });
    expect(DeploymentResponse.parse(await deployed.json()).deployment.modelVersion).toBe(1);
    expect(HealthResponse.parse(await get("/api/health")).deployedModel).toEqual({ id: v1.id, version: 1 });

    const predicted = await upload([TINY_TEST_DATA], "/api/prediction");
    expect(predicted.status).toBe(200);
    const p = PredictionResponse.parse(await predicted.json());
    const scoring = ScoringResponse.parse(await get("/api/scoring"));
    expect(p.score?.f1).toBe(scoring.f1);
    expect(scoring.f1).toBe(v1.f1);

    expect((await upload(batches.slice(2), "/api/ingest")).status).toBe(201);
    expect((await upload(batches.slice(2), "/api/ingest")).status).toBe(200);
    const v2 = TrainResponse.parse(await (await postJson("/api/train")).json()).model;
    expect(v2).toMatchObject({ version: 2, trainedRows: 40 });
    await postJson("/api/deploy", { modelVersionId: v2.id });
    const back = DeploymentResponse.parse(await (await postJson("/api/rollback")).json()).deployment;
    expect(back.modelVersion).toBe(1);

    const models = ModelsResponse.parse(await get("/api/models")).models;
    expect(models.map((m) => [m.version, m.deployed])).toEqual([
      [1, true],
      [2, false],
    ]);
    expect(ScoresResponse.parse(await get("/api/scores")).scores.map((s) => s.modelVersion)).toEqual([1, 2]);
    expect(DatasetsResponse.parse(await get("/api/datasets")).datasets.map((d) => d.name)).toEqual([
      "batch1.csv",
      "batch2.csv",
      "testdata.csv",
      "batch3.csv",
    ]);
  });
});
