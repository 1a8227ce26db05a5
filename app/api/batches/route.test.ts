import fs from "node:fs";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { GET as getBatch } from "@/app/api/batches/[id]/route";
import { GET, POST } from "@/app/api/batches/route";
import { POST as ingest } from "@/app/api/ingest/route";
import { ESTIMATE_SEED } from "@/lib/batches/monitor";
import { IN_THREAD_BATCH_BYTES } from "@/lib/batches/submit";
import * as jobs from "@/lib/jobs/run-in-worker";
import { calibrationCheck, estimatePerformance, fitIsotonicCalibration } from "@/lib/metrics/estimated-performance";
import { classificationScores } from "@/lib/metrics/classification";
import { calibrationTable } from "@/lib/metrics/ranking";
import { columnsFromRows } from "@/lib/csv/rows-to-columns";
import { labelsAt, predictProbabilityColumns, type ModelParameters } from "@/lib/model/logistic";
import { ingestFolder } from "@/lib/ingestion/ingest";
import { deployStep, scoreStep, trainStep } from "@/lib/pipeline/steps";
import { loadTestData } from "@/lib/ingestion/test-data";
import { modelParameters } from "@/lib/model/stored";
import type { DataColumns } from "@/lib/schema/columns";
import { createRng } from "@/lib/stats/random";
import { DEMO_SCHEMA } from "@/lib/testing/demo-schema";
import { everyTableCount, getRequest, HEADER, jsonRequest, multipartRequest, ROOT, seedDeployedModel, TEST_DATA, TINY_TEST_DATA, useRouteTestDb } from "@/lib/testing/api";
import { BatchCreatedResponse, BatchDetail, BatchesResponse } from "@/lib/validations/batches";

const t = useRouteTestDb();

/** `n` clients the training data has never seen (corporations new-0 …), features in the demo's range. */
function newClients(n: number, seed = 7) {
  const next = createRng(seed);
  return Array.from({ length: n }, (_, i) => ({
    corporation: `new-${i}`,
    lastmonth_activity: Math.round(next() * 1200),
    lastyear_activity: Math.round(next() * 15000),
    number_of_employees: Math.round(next() * 150),
  }));
}

/** The clients as columns of the demo schema (features in its order), unlabelled. */
const columnsOf = (rows: ReturnType<typeof newClients>): DataColumns =>
  columnsFromRows(
    DEMO_SCHEMA,
    rows.map((r) => ({ values: [r.lastmonth_activity, r.lastyear_activity, r.number_of_employees], label: null })),
  );
const probabilitiesOf = (params: ModelParameters, rows: ReturnType<typeof newClients>) => predictProbabilityColumns(params, columnsOf(rows));

const csvOf = (rows: ReturnType<typeof newClients>, labels?: number[]) =>
  [labels ? HEADER : HEADER.replace(",exited", ""), ...rows.map((r, i) => [r.corporation, r.lastmonth_activity, r.lastyear_activity, r.number_of_employees, ...(labels ? [labels[i]] : [])].join(","))].join("\n") + "\n";

const post = (req: Request) => POST(req, undefined);
const detail = (id: string | number) => getBatch(getRequest(`/api/batches/${id}`), { params: Promise.resolve({ id: String(id) }) });

async function expectError(res: Response, status: number, code: RegExp) {
  expect(res.status).toBe(status);
  const body = await res.json();
  expect(body.error.code).toMatch(code);
  expect(body.error.message.length).toBeGreaterThan(10);
  return body.error;
}

describe("POST /api/batches", () => {
  it("a large batch (over 1 MB of CSV) is done on a worker thread, with the same estimate as in the request's thread", async () => {
    const { model } = await seedDeployedModel(t.db);
    const rows = newClients(50_000, 11);
    const content = csvOf(rows);
    expect(content.length).toBeGreaterThan(IN_THREAD_BATCH_BYTES);
    const worker = vi.spyOn(jobs, "runInWorker");
    const res = await post(multipartRequest("/api/batches", [{ name: "big.csv", content }]));
    expect(res.status).toBe(201);
    expect(worker).toHaveBeenCalledWith(expect.objectContaining({ kind: "batch", name: "big.csv" }));
    const { batch } = BatchCreatedResponse.parse(await res.json());
    expect(batch.rows).toBe(50_000);
    // what the request's thread computes: the tiny test data asks for calibration, so with the isotonic map
    const params = modelParameters(model);
    const test = await loadTestData(t.db, TINY_TEST_DATA);
    expect(batch.calibrated).toBe(true);
    const map = fitIsotonicCalibration(test.data.label, predictProbabilityColumns(params, test.data));
    const expected = estimatePerformance(probabilitiesOf(params, rows), params.hyperParameters.threshold, { calibration: map, seed: ESTIMATE_SEED });
    expect(batch.estimate.f1).toEqual(expected.f1);
    expect(batch.estimate.expectedConfusion).toEqual(expected.expectedConfusion);
    worker.mockRestore();
  }, 120_000);

  it("stores a CSV batch: 201, predictions, drift, and the estimate equals estimatePerformance on the same probabilities", async () => {
    const { model } = await seedDeployedModel(t.db);
    const rows = newClients(40);
    const res = await post(multipartRequest("/api/batches", [{ name: "december.csv", content: csvOf(rows) }]));
    expect(res.status).toBe(201);
    const { batch, alreadyMonitored } = BatchCreatedResponse.parse(await res.json());
    expect(alreadyMonitored).toBe(false);
    expect(res.headers.get("location")).toBe(`/api/batches/${batch.id}`);
    expect(batch).toMatchObject({ name: "december.csv", rows: 40, modelVersion: model.version, modelVersionId: model.id, labelledRows: 0, realized: null });

    // the same computation by hand: deployed model's probabilities, the test-data calibration rule, CBPE
    const params = modelParameters(model);
    const p = probabilitiesOf(params, rows);
    const test = await loadTestData(t.db, TINY_TEST_DATA);
    const ty = test.data.label;
    const tp = predictProbabilityColumns(params, test.data);
    const check = calibrationCheck(calibrationTable(ty, tp));
    const expected = estimatePerformance(p, params.hyperParameters.threshold, { calibration: check.needsCalibration ? fitIsotonicCalibration(ty, tp) : undefined, seed: ESTIMATE_SEED });
    expect(batch.calibrated).toBe(check.needsCalibration);
    expect(batch.calibration.check).toEqual(check);
    const { rows: _rows, threshold: _t, calibrated: _c, ...shape } = expected;
    expect(batch.estimate).toEqual(shape);
    expect(batch.threshold).toBe(params.hyperParameters.threshold);

    // stored predictions: every row, riskiest listed first
    const stored = await t.db.monitoredBatchRow.findMany({ where: { batchId: batch.id }, orderBy: { row: "asc" } });
    expect(stored.map((r) => r.corporation)).toEqual(rows.map((r) => r.corporation));
    stored.forEach((r, i) => expect(r.probability).toBeCloseTo(p[i], 12));
    expect(stored.map((r) => r.predicted)).toEqual([...labelsAt(p, params.hyperParameters.threshold)]);
    expect(batch.riskiest[0].probability).toBeCloseTo(Math.max(...p), 12);
    expect(batch.riskiest).toHaveLength(20);
    for (const r of batch.riskiest) expect([r.id, r.corporation]).toEqual([rows[r.row].corporation, rows[r.row].corporation]);

    // feature drift against the training data, as the full process computes it
    for (const f of ["lastmonth_activity", "lastyear_activity", "number_of_employees"]) {
      const drift = batch.features[f];
      if (!("ks" in drift)) throw new Error(`${f}: expected a numeric feature's drift (KS and PSI), got ${JSON.stringify(drift)}`);
      expect(drift.currentSize).toBe(40);
      expect(drift.ks?.pValue).toBeGreaterThanOrEqual(0);
      expect(drift.psi?.score).toBeGreaterThanOrEqual(0);
    }

    // read back: detail and list
    const d = BatchDetail.parse(await (await detail(batch.id)).json());
    expect(d).toEqual(batch);
    const list = BatchesResponse.parse(await (await GET(getRequest("/api/batches"), undefined)).json());
    expect(list.batches.map((b) => b.id)).toEqual([batch.id]);
    expect(list.nextCursor).toBeNull();
  });

  it("calibrates first when the deployed model's test-data calibration table asks for it (demo data: Hosmer–Lemeshow p < 0.05)", async () => {
    process.env.TEST_DATA = TEST_DATA;
    await ingestFolder(t.db, path.join(ROOT, "data/sourcedata"));
    const ctx = { db: t.db, trigger: "test" };
    const model = await trainStep(ctx);
    await scoreStep(ctx, model, TEST_DATA);
    await deployStep(ctx, model.id, "seed");
    const rows = newClients(200);
    const res = await post(jsonRequest("/api/batches", { rows, name: "demo" }));
    expect(res.status).toBe(201);
    const { batch } = BatchCreatedResponse.parse(await res.json());
    const params = modelParameters(model);
    const test = await loadTestData(t.db, TEST_DATA);
    const ty = test.data.label;
    const tp = predictProbabilityColumns(params, test.data);
    const check = calibrationCheck(calibrationTable(ty, tp));
    expect(check.needsCalibration).toBe(true);
    const map = fitIsotonicCalibration(ty, tp);
    expect(batch).toMatchObject({ calibrated: true, calibration: { method: "isotonic", knots: map.x.length, testRows: test.data.n } });
    const expected = estimatePerformance(probabilitiesOf(params, rows), params.hyperParameters.threshold, { calibration: map, seed: ESTIMATE_SEED });
    expect(batch.estimate.f1).toEqual(expected.f1);
    expect(batch.estimate.expectedConfusion).toEqual(expected.expectedConfusion);
    expect(batch.estimate.precision).toEqual(expected.precision);
    expect(batch.estimate.recall).toEqual(expected.recall);
  });

  it("JSON rows with a name; the same content again → 200 alreadyMonitored, nothing added; pages newest first", async () => {
    await seedDeployedModel(t.db);
    const first = await post(jsonRequest("/api/batches", { rows: newClients(5), name: "api batch" }));
    expect(first.status).toBe(201);
    const a = BatchCreatedResponse.parse(await first.json()).batch;
    expect(a.name).toBe("api batch");
    const before = await everyTableCount(t.db);
    const again = await post(jsonRequest("/api/batches", { rows: newClients(5), name: "api batch" }));
    expect(again.status).toBe(200);
    const b = BatchCreatedResponse.parse(await again.json());
    expect(b).toMatchObject({ alreadyMonitored: true, batch: { id: a.id } });
    // nothing added but the audit trail's note that someone sent it again
    const after = await everyTableCount(t.db);
    expect(after.AuditEvent).toBe(before.AuditEvent + 1);
    expect({ ...after, AuditEvent: before.AuditEvent }).toEqual(before);
    const second = BatchCreatedResponse.parse(await (await post(jsonRequest("/api/batches", { rows: newClients(6, 8) }))).json()).batch;
    expect(second.name).toMatch(/^batch-\d{4}-/);
    const page1 = BatchesResponse.parse(await (await GET(getRequest("/api/batches?limit=1"), undefined)).json());
    expect(page1.batches.map((x) => x.id)).toEqual([second.id]);
    const page2 = BatchesResponse.parse(await (await GET(getRequest(`/api/batches?limit=1&before=${page1.nextCursor}`), undefined)).json());
    expect(page2).toMatchObject({ batches: [{ id: a.id }], nextCursor: null });
  });

  it("refuses bad input with a JSON error and stores nothing", async () => {
    await seedDeployedModel(t.db);
    const before = await everyTableCount(t.db);
    const rows = newClients(3);
    // labels are not a batch "before labels arrive"
    const labelled = await expectError(await post(multipartRequest("/api/batches", [{ name: "l.csv", content: csvOf(rows, [0, 1, 0]) }])), 422, /^unprocessable:rows$/);
    expect(labelled.details[0]).toMatchObject({ column: "exited" });
    await expectError(await post(jsonRequest("/api/batches", { rows: [{ ...rows[0], exited: 1 }] })), 422, /^unprocessable:rows$/);
    // bad cells, missing columns, wrong shapes, bad JSON, wrong content type
    const badCell = await expectError(
      await post(multipartRequest("/api/batches", [{ name: "b.csv", content: "corporation,lastmonth_activity,lastyear_activity,number_of_employees\na,1,2,-3\n" }])),
      422,
      /^unprocessable:/,
    );
    expect(badCell.details.length).toBeGreaterThan(0);
    await expectError(await post(multipartRequest("/api/batches", [{ name: "c.csv", content: "corporation,lastmonth_activity\na,1\n" }])), 422, /^unprocessable:/);
    await expectError(await post(jsonRequest("/api/batches", { rows: [] })), 422, /^unprocessable:body$/);
    await expectError(await post(jsonRequest("/api/batches", { rows: [{ corporation: "x", lastmonth_activity: "many" }] })), 422, /^unprocessable:body$/);
    await expectError(await post(jsonRequest("/api/batches", "{not json")), 400, /^bad_request:json$/);
    await expectError(await post(new Request("http://localhost:3000/api/batches", { method: "POST", body: "a,b", headers: { "content-type": "text/csv" } })), 415, /^unsupported_media_type:/);
    await expectError(
      await post(multipartRequest("/api/batches", [{ name: "1.csv", content: csvOf(rows) }, { name: "2.csv", content: csvOf(rows) }])),
      422,
      /^unprocessable:upload$/,
    );
    expect(await everyTableCount(t.db)).toEqual(before);
  });

  it("409 without a deployed model; 401 when ADMIN_TOKEN is set and not sent; 404 for unknown ids", async () => {
    await expectError(await post(jsonRequest("/api/batches", { rows: newClients(2) })), 409, /^conflict:/);
    expect(await t.db.monitoredBatch.count()).toBe(0);
    process.env.ADMIN_TOKEN = "a-long-enough-admin-token-123456";
    await expectError(await post(jsonRequest("/api/batches", { rows: newClients(2) })), 401, /^unauthorized:/);
    delete process.env.ADMIN_TOKEN;
    await expectError(await detail(99), 404, /^not_found:batch$/);
    await expectError(await detail("abc"), 404, /^not_found:batch$/);
    await expectError(await GET(getRequest("/api/batches?limit=0"), undefined), 400, /^bad_request:query$/);
  });
});

describe("realized scores when the labels arrive", () => {
  it("an upload of labelled rows for the batch's corporations stores the realized scores on the matched rows, beside the estimate", async () => {
    await seedDeployedModel(t.db);
    const rows = newClients(30);
    const created = BatchCreatedResponse.parse(await (await post(multipartRequest("/api/batches", [{ name: "jan.csv", content: csvOf(rows) }]))).json()).batch;
    const predicted = (await t.db.monitoredBatchRow.findMany({ where: { batchId: created.id }, orderBy: { row: "asc" } })).map((r) => r.predicted);

    // the first 12 clients' labels arrive in an upload, with two rows of clients not in the batch
    const labels = Array.from({ length: 30 }, (_, i) => (i % 3 === 0 ? 1 : 0));
    const part1 = [...rows.slice(0, 12), ...newClients(2, 99).map((r, i) => ({ ...r, corporation: `other-${i}` }))];
    const up1 = await ingest(multipartRequest("/api/ingest", [{ name: "labels-1.csv", content: csvOf(part1, [...labels.slice(0, 12), 0, 1]) }]), undefined);
    expect(up1.status).toBe(201);
    let b = BatchDetail.parse(await (await detail(created.id)).json());
    expect(b.labelledRows).toBe(12);
    expect(b.realized).toEqual(classificationScores(labels.slice(0, 12), predicted.slice(0, 12)));
    expect(b.realizedAt).not.toBeNull();
    expect(b.estimate).toEqual(created.estimate); // the estimate stays as it was

    // the rest arrive through the source folder route of the pipeline (ingestFile with a path)
    const dir = path.join(t.dir, "source");
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "labels-2.csv"), csvOf(rows.slice(12), labels.slice(12)));
    const folder = await ingestFolder(t.db, dir);
    expect(folder.ingested).toHaveLength(1);
    b = BatchDetail.parse(await (await detail(created.id)).json());
    expect(b.labelledRows).toBe(30);
    expect(b.realized).toEqual(classificationScores(labels, predicted));
    expect(b.riskiest.every((r) => r.label === labels[r.row])).toBe(true);

    // a later file with the same corporations does not relabel rows that have their label
    fs.writeFileSync(path.join(dir, "labels-3.csv"), csvOf(rows.slice(0, 5), [1, 1, 1, 1, 1].map((x, i) => (labels[i] === 1 ? 0 : x))));
    await ingestFolder(t.db, dir);
    const after = BatchDetail.parse(await (await detail(created.id)).json());
    expect(after.realized).toEqual(b.realized);
  });
});
