import type { Config } from "../config";
import type { Db } from "../db/client";
import { probeTables, TABLE_FAMILIES } from "../db/health";
import { listDatasets } from "../db/datasets";
import type { Dataset, ModelVersion } from "../db/generated/client";
import { recordScore, getCurrentDeployment, listLatestTestScores, listModelVersions, listScores } from "../db/models";
import { evaluate, loadTestData, modelParameters, requireDeployedModel } from "../pipeline/steps";
import { DEFAULT_LIMIT, type PageRequest } from "../validations/pagination";
import { oldestFirstPage } from "./page";

/*
 * Read models in the shapes of shared/API.md, shared by route handlers and pages.
 */

export async function healthView(db: Db) {
  const checks = await probeTables(db);
  const failing = TABLE_FAMILIES.filter((f) => checks[f] !== "ok");
  let deployed = null;
  if (failing.length === 0) {
    try {
      const d = await getCurrentDeployment(db);
      deployed = d ? { id: d.modelVersion.id, version: d.modelVersion.version } : null;
    } catch (e) {
      console.error("[health] database check failed:", e);
      failing.push("models");
    }
  } else {
    console.error(`[health] database cannot serve reads: ${failing.map((f) => `${f}: ${checks[f]}`).join("; ")}`);
  }
  const database: "ok" | "error" = failing.length === 0 ? "ok" : "error";
  return {
    status: database === "ok" ? "ok" : "degraded",
    database,
    checks,
    deployedModel: deployed,
    message:
      database === "error"
        ? `The database cannot serve reads (${failing.join(", ")}): see the server log; restore a backup if it is damaged.`
        : deployed
          ? undefined
          : "No model is deployed yet: ingest data and train one (npm run pipeline -- full).",
  };
}

/**
 * F1 of the deployed model on the test data. The score is recorded once per (model, test
 * file content); asking again returns the recorded one, so polling this endpoint does not
 * flood the score history that the drift checks read.
 */
export async function scoringView(db: Db, config: Pick<Config, "TEST_DATA">) {
  const deployment = await requireDeployedModel(db);
  const model = deployment.modelVersion;
  const test = await loadTestData(db, config.TEST_DATA);
  const existing = (await listScores(db, { modelVersionId: model.id, kind: "test" })).filter((s) => s.datasetId === test.dataset.id);
  let s = existing[existing.length - 1];
  if (!s) {
    const scores = evaluate(modelParameters(model), test.rows);
    const created = await recordScore(db, { modelVersionId: model.id, dataset: test.dataset, kind: "test", scores });
    s = { ...created, modelVersion: { version: model.version } };
  }
  return {
    modelVersion: model.version,
    modelVersionId: model.id,
    dataset: { id: test.dataset.id, name: test.dataset.name },
    rows: s.rows,
    f1: s.f1,
    precision: s.precision,
    recall: s.recall,
    accuracy: s.accuracy,
    confusion: { tp: s.tp, fp: s.fp, tn: s.tn, fn: s.fn },
    scoredAt: s.createdAt.toISOString(),
  };
}

export function modelEntry(m: ModelVersion, { f1, deployed }: { f1: number | null; deployed: boolean }) {
  return {
    id: m.id,
    version: m.version,
    createdAt: m.createdAt.toISOString(),
    trainedRows: m.trainedRows,
    trainingMs: m.trainingMs,
    algorithm: m.algorithm,
    hyperParameters: JSON.parse(m.hyperParameters) as Record<string, unknown>,
    f1,
    deployed,
  };
}

/** GET /api/models: the newest `limit` versions below `before`, oldest first, with their latest test F1. */
export async function modelsView(db: Db, { limit = DEFAULT_LIMIT, before }: Partial<PageRequest> = {}) {
  const [rows, current] = await Promise.all([listModelVersions(db, { take: limit + 1, before }), getCurrentDeployment(db)]);
  const { items, nextCursor } = oldestFirstPage(rows, limit);
  const scores = await listLatestTestScores(db, { modelVersionIds: items.map((m) => m.id) });
  const latestF1 = new Map(scores.map((s) => [s.modelVersionId, s.f1]));
  return {
    models: items.map((m) => modelEntry(m, { f1: latestF1.get(m.id) ?? null, deployed: current?.modelVersionId === m.id })),
    nextCursor,
  };
}

export function datasetEntry(d: Dataset) {
  return {
    id: d.id,
    name: d.name,
    sha256: d.sha256,
    role: d.role as "source" | "upload" | "test",
    rowsRead: d.rowsRead,
    rowsAccepted: d.rowsAccepted,
    duplicates: d.duplicates,
    rejected: d.rejected,
    imputed: d.imputed,
    imputedByColumn: JSON.parse(d.imputedByColumn) as Record<string, number>,
    missingByColumn: JSON.parse(d.missingByColumn) as Record<string, number>,
    ingestedAt: d.ingestedAt.toISOString(),
    checkedByRunId: d.checkedByRunId,
    ingestedByRunId: d.ingestedByRunId,
  };
}

/** GET /api/datasets: the newest `limit` ledger entries below `before`, oldest first. */
export async function datasetsView(db: Db, { limit = DEFAULT_LIMIT, before }: Partial<PageRequest> = {}) {
  const { items, nextCursor } = oldestFirstPage(await listDatasets(db, { take: limit + 1, before }), limit);
  return { datasets: items.map(datasetEntry), nextCursor };
}

/** GET /api/scores: the newest `limit` scores below `before`, oldest first (API.md's order within the page). */
export async function scoresView(db: Db, { limit = DEFAULT_LIMIT, before }: Partial<PageRequest> = {}) {
  const { items, nextCursor } = oldestFirstPage(await listScores(db, { take: limit + 1, before }), limit);
  return {
    scores: items.map((s) => ({
      id: s.id,
      modelVersion: s.modelVersion.version,
      modelVersionId: s.modelVersionId,
      f1: s.f1,
      precision: s.precision,
      recall: s.recall,
      accuracy: s.accuracy,
      dataset: s.datasetName,
      kind: s.kind,
      runId: s.runId,
      rows: s.rows,
      createdAt: s.createdAt.toISOString(),
    })),
    nextCursor,
  };
}
