import type { Config } from "../config";
import type { Db } from "../db/client";
import { listDatasets } from "../db/datasets";
import type { Dataset, ModelVersion } from "../db/generated/client";
import { recordScore, getCurrentDeployment, listModelVersions, listScores } from "../db/models";
import { evaluate, loadTestData, modelParameters, requireDeployedModel } from "../pipeline/steps";

/*
 * Read models in the shapes of shared/API.md, shared by route handlers and pages.
 */

export async function healthView(db: Db) {
  let database: "ok" | "error" = "ok";
  let deployed = null;
  try {
    const d = await getCurrentDeployment(db);
    deployed = d ? { id: d.modelVersion.id, version: d.modelVersion.version } : null;
  } catch (e) {
    console.error("[health] database check failed:", e);
    database = "error";
  }
  return {
    status: database === "ok" ? "ok" : "degraded",
    database,
    deployedModel: deployed,
    message: deployed ? undefined : "No model is deployed yet: ingest data and train one (npm run pipeline -- full).",
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

export async function modelsView(db: Db) {
  const [models, current, scores] = await Promise.all([listModelVersions(db), getCurrentDeployment(db), listScores(db, { kind: "test" })]);
  const latestF1 = new Map<number, number>();
  for (const s of scores) latestF1.set(s.modelVersionId, s.f1);
  return {
    models: models.map((m) => modelEntry(m, { f1: latestF1.get(m.id) ?? null, deployed: current?.modelVersionId === m.id })),
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
  };
}

export async function datasetsView(db: Db) {
  const datasets = await listDatasets(db);
  return { datasets: datasets.map(datasetEntry) };
}

/** Every recorded score, oldest first (API.md `GET /api/scores`). */
export async function scoresView(db: Db) {
  const scores = await listScores(db);
  return {
    scores: scores.map((s) => ({
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
  };
}
