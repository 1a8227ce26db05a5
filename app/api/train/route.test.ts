import Database from "better-sqlite3";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { POST as deploy } from "@/app/api/deploy/route";
import { GET as health } from "@/app/api/health/route";
import { GET as models } from "@/app/api/models/route";
import { POST as rollback } from "@/app/api/rollback/route";
import { POST as train } from "@/app/api/train/route";
import { countRecords } from "@/lib/db/datasets";
import { ingestFile, ingestFolder } from "@/lib/ingestion/ingest";
import { getRequest, HEADER, jsonRequest, tableCounts, TINY_DIR, TINY_TEST_DATA, useRouteTestDb } from "@/lib/testing/api";
import { createTestDb, testDatabaseKind, type TestDb } from "@/lib/testing/temp-db";
import { HealthResponse, ModelsResponse } from "@/lib/validations/core";
import { DeploymentResponse, TrainResponse } from "@/lib/validations/models";

const t = useRouteTestDb();

const post = (path: string) => new Request(`http://localhost${path}`, { method: "POST" });

describe("training off the event loop", () => {
  it("GET /api/health answers while a training is in progress (the training runs on a worker thread)", async () => {
    await ingestFolder(t.db, TINY_DIR, { exclude: [TINY_TEST_DATA] });
    // Hold the database's write lock: the training can read and fit, but not store its model, so
    // it is certainly still in progress while health is asked. Were the training on the server's
    // own thread, its blocked write would hold the event loop and health could not answer.
    // (PostgreSQL: the advisory lock that storing a model version waits for, lib/db/models.ts.)
    const blocker = await holdWriteLock(t);
    let trained = false;
    const training = Promise.resolve(train(post("/api/train"), undefined)).then((r) => ((trained = true), r));
    await new Promise((r) => setTimeout(r, 300));
    const h = await health(getRequest("/api/health"), undefined);
    expect(h.status).toBe(200);
    expect(trained).toBe(false);
    expect(await t.db.modelVersion.count()).toBe(0);
    await blocker.release();
    const r = await training;
    expect(r.status).toBe(201);
    expect(TrainResponse.parse(await r.json()).model.version).toBe(1);
  });
});

describe("train → deploy → rollback", () => {
  it("trains on all records (201, not deployed), deploys by id, and rolls back to the previous version", async () => {
    await ingestFolder(t.db, TINY_DIR, { exclude: [TINY_TEST_DATA] });
    const records = (await countRecords(t.db)).rows;
    expect(records).toBe(44 - 4);

    const r1 = await train(post("/api/train"), undefined);
    expect(r1.status).toBe(201);
    const m1 = TrainResponse.parse(await r1.json()).model;
    const score = await t.db.score.findFirstOrThrow({ where: { modelVersionId: m1.id } });
    expect(m1).toMatchObject({ version: 1, trainedRows: records, f1: score.f1, precision: score.precision, deployed: false });
    expect(m1.scoredOn.name).toBe("testdata.csv");
    expect(HealthResponse.parse(await (await health(getRequest("/api/health"), undefined)).json()).deployedModel).toBeNull();

    const d1 = await deploy(jsonRequest("/api/deploy", { modelVersionId: m1.id, reason: "first model" }), undefined);
    expect(d1.status).toBe(200);
    const dep1 = DeploymentResponse.parse(await d1.json()).deployment;
    expect(dep1).toMatchObject({ modelVersion: 1, modelVersionId: m1.id, reason: "first model", trigger: "api", previousModelVersionId: null });

    // one more file, a second version, deployed with the default reason
    await ingestFile(t.db, { name: "more.csv", content: Buffer.from(`${HEADER}\nz1,5,50,2,1\nz2,900,9000,80,0\n`), role: "upload" });
    const m2 = TrainResponse.parse(await (await train(post("/api/train"), undefined)).json()).model;
    expect(m2).toMatchObject({ version: 2, trainedRows: records + 2 });
    const dep2 = DeploymentResponse.parse(await (await deploy(jsonRequest("/api/deploy", { modelVersionId: m2.id }), undefined)).json()).deployment;
    expect(dep2).toMatchObject({ modelVersion: 2, previousModelVersionId: m1.id });
    expect(dep2.reason).toContain("version 2");

    const list = ModelsResponse.parse(await (await models(getRequest("/api/models"), undefined)).json()).models;
    expect(list.map((m) => [m.version, m.deployed])).toEqual([
      [1, false],
      [2, true],
    ]);

    const rb = await rollback(post("/api/rollback"), undefined);
    expect(rb.status).toBe(200);
    const back = DeploymentResponse.parse(await rb.json()).deployment;
    expect(back).toMatchObject({ modelVersion: 1, modelVersionId: m1.id, previousModelVersionId: m2.id });
    expect(back.reason).toBe("rollback from version 2 to version 1");
    expect(HealthResponse.parse(await (await health(getRequest("/api/health"), undefined)).json()).deployedModel).toEqual({ id: m1.id, version: 1 });

    const rb2 = await rollback(jsonRequest("/api/rollback", { reason: "v2 was better after all" }), undefined);
    expect(DeploymentResponse.parse(await rb2.json()).deployment).toMatchObject({ modelVersion: 2, reason: "v2 was better after all" });
  });
});

describe("errors change nothing", () => {
  async function expectRefused(res: Response, status: number, code: string, before: Record<string, number>) {
    expect(res.status).toBe(status);
    const body = await res.json();
    expect(body.error.code).toBe(code);
    expect(body.error.message).toMatch(/\w+ \w+/);
    expect(await tableCounts(t.db)).toEqual(before);
    return body;
  }

  it("train with no records → 409", async () => {
    const before = await tableCounts(t.db);
    const body = await expectRefused(await train(post("/api/train"), undefined), 409, "conflict:no_training_data", before);
    expect(body.error.message).toContain("POST /api/ingest");
  });

  it("train with too few rows → 422", async () => {
    await ingestFile(t.db, { name: "few.csv", content: Buffer.from(`${HEADER}\na,1,2,3,0\nb,4,5,6,1\n`), role: "upload" });
    const body = await expectRefused(await train(post("/api/train"), undefined), 422, "unprocessable:training", await tableCounts(t.db));
    expect(body.error.message).toContain("at least 10 labelled rows");
  });

  it("train with one class → 422", async () => {
    // Stored records cannot be deleted (a file's rows are one blob): the one-class training set is a file of negatives alone.
    const oneClass = Array.from({ length: 12 }, (_, i) => `c${i},${i},${i * 10},${i},0`).join("\n");
    await ingestFile(t.db, { name: "one.csv", content: Buffer.from(`${HEADER}\n${oneClass}\n`), role: "upload" });
    const body = await expectRefused(await train(post("/api/train"), undefined), 422, "unprocessable:training", await tableCounts(t.db));
    expect(body.error.message).toContain("both label values");
  });

  it("train without the test data file → 409", async () => {
    await ingestFolder(t.db, TINY_DIR, { exclude: [TINY_TEST_DATA] });
    process.env.TEST_DATA = "/nonexistent/testdata.csv";
    await expectRefused(await train(post("/api/train"), undefined), 409, "conflict:test_data", await tableCounts(t.db));
  });

  it("deploy: unknown id → 404, bad body → 422, bad JSON → 400, wrong content type → 415", async () => {
    const before = await tableCounts(t.db);
    const unknown = await expectRefused(await deploy(jsonRequest("/api/deploy", { modelVersionId: 999 }), undefined), 404, "not_found:model", before);
    await expectRefused(await deploy(jsonRequest("/api/deploy", { modelVersionId: 2 ** 40 }), undefined), 422, "unprocessable:body", before);
    await expectRefused(await deploy(jsonRequest("/api/deploy", { modelVersionId: 1, reason: "" }), undefined), 422, "unprocessable:body", before);
    expect(unknown.error.message).toContain("GET /api/models");
    const bad = await expectRefused(await deploy(jsonRequest("/api/deploy", { modelVersionId: "one" }), undefined), 422, "unprocessable:body", before);
    expect(bad.error.details).toEqual([{ column: "modelVersionId", problem: "must be a number" }]);
    const missing = await expectRefused(await deploy(jsonRequest("/api/deploy", {}), undefined), 422, "unprocessable:body", before);
    expect(missing.error.details[0].problem).toContain("GET /api/models");
    await expectRefused(await deploy(jsonRequest("/api/deploy", "{modelVersionId: 1"), undefined), 400, "bad_request:json", before);
    await expectRefused(
      await deploy(new Request("http://localhost/api/deploy", { method: "POST", headers: { "content-type": "text/plain" }, body: "1" }), undefined),
      415,
      "unsupported_media_type:json",
      before,
    );
  });

  it("rollback with nothing deployed, or only one deployment → 409", async () => {
    const before = await tableCounts(t.db);
    await expectRefused(await rollback(post("/api/rollback"), undefined), 409, "conflict:no_deployment", before);
    await ingestFolder(t.db, TINY_DIR, { exclude: [TINY_TEST_DATA] });
    const m = TrainResponse.parse(await (await train(post("/api/train"), undefined)).json()).model;
    await deploy(jsonRequest("/api/deploy", { modelVersionId: m.id }), undefined);
    const body = await expectRefused(await rollback(post("/api/rollback"), undefined), 409, "conflict:no_previous_deployment", await tableCounts(t.db));
    expect(body.error.message).toContain("first deployment");
    await expectRefused(await rollback(jsonRequest("/api/rollback", { reason: 5 }), undefined), 422, "unprocessable:body", await tableCounts(t.db));
  });
});

describe("concurrent deploys", () => {
  it("5 deploys of different versions at once: one deployment record each, in order, each naming the one before, one model live", async () => {
    await ingestFolder(t.db, TINY_DIR, { exclude: [TINY_TEST_DATA] });
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) ids.push(TrainResponse.parse(await (await train(post("/api/train"), undefined)).json()).model.id);
    const responses = await Promise.all(ids.map((modelVersionId) => deploy(jsonRequest("/api/deploy", { modelVersionId }), undefined)));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const trail = await t.db.deployment.findMany({ orderBy: { id: "asc" } });
    expect(trail).toHaveLength(5);
    expect(new Set(trail.map((d) => d.modelVersionId))).toEqual(new Set(ids));
    // the audit trail is a chain: each deployment names the version live just before it
    trail.forEach((d, i) => expect(d.previousModelVersionId).toBe(i === 0 ? null : trail[i - 1].modelVersionId));
    const live = HealthResponse.parse(await (await health(getRequest("/api/health"), undefined)).json()).deployedModel;
    expect(live?.id).toBe(trail[4].modelVersionId);
  }, 60_000);
});

/** Hold what a model version's write waits for until release(): SQLite's write lock, or PostgreSQL's advisory lock of takeWriteLock. */
async function holdWriteLock(t: TestDb): Promise<{ release: () => Promise<void> }> {
  if (testDatabaseKind() === "postgresql") {
    const c = new pg.Client({ connectionString: t.url });
    await c.connect();
    await c.query("SELECT pg_advisory_lock(727001)");
    return { release: async () => void (await c.end()) };
  }
  const blocker = new Database(t.file);
  blocker.exec("BEGIN IMMEDIATE");
  return {
    release: async () => {
      blocker.exec("COMMIT");
      blocker.close();
    },
  };
}
