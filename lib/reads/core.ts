import type { Config } from "../config";
import { periodView } from "../time/periods";
import type { Db } from "../db/client";
import { isPostgres } from "../db/adapters";
import { roomBelowPageCapMb } from "../db/sqlite";
import { serverInRecovery, storageError, storageView } from "../db/storage-health";
import { probeTables, TABLE_FAMILIES } from "../db/health";
import { listDatasets } from "../db/datasets";
import { currentSchema, readStoredSchema } from "../db/stored-schema";
import type { SchemaResponse } from "../validations/schema";
import type { Dataset, ModelVersion, Score } from "../db/types";
import { type DeploymentWithModel, getCurrentDeployment, getLatestTestScore, listLatestTestScores, listModelVersions, listScores, requireModelVersion } from "../db/models";
import type { CalibrationBin } from "../metrics/ranking";
import type { ScoreCurves } from "../metrics/score-ranking";
import type { CoefficientTable } from "../model/coefficients";
import { DEFAULT_HYPER_PARAMETERS, type ThresholdRule } from "../model/logistic";
import { DEFAULT_LIMIT, type PageRequest } from "../validations/pagination";
import { oldestFirstPage } from "./page";
import type { z } from "../validations/zod";
import type {
  DatasetEntry,
  DatasetsResponse,
  HealthResponse,
  HyperParametersEntry,
  ModelDetailResponse,
  ModelEntry,
  ModelsResponse,
  ScoreEntry,
  ScoresResponse,
} from "../validations/core";
import type { DeploymentEntry } from "../validations/models";
import type { RankingSummary, ScoreRanking } from "../validations/ranking";
import type { DatasetRole, ScoreKind } from "../vocabulary";

/*
 * Read models in the shapes of shared/API.md, shared by route handlers and pages.
 */

/** GET /api/schema: the schema every layer is built from, and whether it is stored yet. */
export async function schemaView(db: Db): Promise<z.infer<typeof SchemaResponse>> {
  const stored = await readStoredSchema(db);
  return { ...(stored ?? (await currentSchema(db))), stored: stored !== null };
}

export async function healthView(openDb: () => Db, databaseUrl: string, { minFreeMb }: { minFreeMb: number }): Promise<z.infer<typeof HealthResponse>> {
  let db: Db | null = null;
  let openError = "";
  try {
    db = openDb();
  } catch (e) {
    // A damaged file can fail at the first statement of a new connection: say so, recorded like any storage failure.
    storageError(e, databaseUrl);
    openError = e instanceof Error ? e.message : String(e);
  }
  // A probe that meets a damaged file records it too: after a restart on a damaged file, health says so before any request does.
  const checks = db ? await probeTables(db, (e) => storageError(e, databaseUrl)) : (Object.fromEntries(TABLE_FAMILIES.map((f) => [f, `cannot open the database: ${openError}`])) as Record<(typeof TABLE_FAMILIES)[number], string>);
  const failing = TABLE_FAMILIES.filter((f) => checks[f] !== "ok");
  let deployed = null;
  if (db && failing.length === 0) {
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
  const storage = storageView(databaseUrl, {
    minFreeMb,
    capRoomMb: isPostgres(databaseUrl) || !db ? null : roomBelowPageCapMb(databaseUrl),
    inRecovery: db && database === "ok" ? await serverInRecovery(db, databaseUrl) : null,
  });
  return {
    status: database === "ok" && storage.status === "ok" ? "ok" : ("degraded" as const),
    database,
    checks,
    deployedModel: deployed,
    storage,
    message:
      database === "error"
        ? `The database cannot serve reads (${failing.join(", ")}): ${storage.message ?? "see the server log; restore a backup if it is damaged."}`
        : (storage.message ?? (deployed ? undefined : "No model is deployed yet: ingest data and train one (npm run pipeline -- full).")),
  };
}

/** The ranking metrics of a score (null for a score recorded before they were stored). */
function rankingSummaryOf(s: Pick<Score, "rocAuc" | "averagePrecision" | "brierScore" | "logLoss">): z.infer<typeof RankingSummary> | null {
  if (s.brierScore === null || s.logLoss === null) return null;
  return { rocAuc: s.rocAuc, averagePrecision: s.averagePrecision, brierScore: s.brierScore, logLoss: s.logLoss };
}

/** rankingSummaryOf plus the calibration table. */
export function scoreRankingOf(s: Score): z.infer<typeof ScoreRanking> | null {
  const summary = rankingSummaryOf(s);
  if (!summary) return null;
  return { ...summary, calibration: s.calibration ? (JSON.parse(s.calibration) as CalibrationBin[]) : [] };
}

/** The stored chart points of a score (null before they were stored, or with one class only). */
function scoreCurvesOf(s: Score): ScoreCurves | null {
  return s.curves ? (JSON.parse(s.curves) as ScoreCurves) : null;
}

export function modelEntry(m: ModelVersion, { f1, deployed, testScore }: { f1: number | null; deployed: boolean; testScore?: Score | null }): z.infer<typeof ModelEntry> {
  const hyperParameters = JSON.parse(m.hyperParameters) as z.infer<typeof HyperParametersEntry>;
  return {
    id: m.id,
    version: m.version,
    createdAt: m.createdAt.toISOString(),
    trainedRows: m.trainedRows,
    trainingMs: m.trainingMs,
    algorithm: m.algorithm,
    hyperParameters,
    f1,
    deployed,
    threshold: typeof hyperParameters.threshold === "number" ? hyperParameters.threshold : DEFAULT_HYPER_PARAMETERS.threshold,
    thresholdRule: (hyperParameters.thresholdRule === "max-f1" ? "max-f1" : "fixed") as ThresholdRule,
    ranking: testScore ? rankingSummaryOf(testScore) : null,
    coefficients: m.coefficients ? (JSON.parse(m.coefficients) as CoefficientTable) : null,
  };
}

/** GET /api/models: the newest `limit` versions below `before`, oldest first, with their latest test F1 and ranking metrics. */
export async function modelsView(db: Db, { limit = DEFAULT_LIMIT, before }: Partial<PageRequest> = {}): Promise<z.infer<typeof ModelsResponse>> {
  const [rows, current] = await Promise.all([listModelVersions(db, { take: limit + 1, before }), getCurrentDeployment(db)]);
  const { items, nextCursor } = oldestFirstPage(rows, limit);
  const scores = await listLatestTestScores(db, { modelVersionIds: items.map((m) => m.id) });
  const latest = new Map(scores.map((s) => [s.modelVersionId, s]));
  return {
    models: items.map((m) => {
      const testScore = latest.get(m.id) ?? null;
      return modelEntry(m, { f1: testScore?.f1 ?? null, deployed: current?.modelVersionId === m.id, testScore });
    }),
    nextCursor,
  };
}

/** One score as the API writes it (GET /api/scores, GET /api/models/{id}). */
function scoreEntry(s: Score & { modelVersion: { version: number } }): z.infer<typeof ScoreEntry> {
  return {
    id: s.id,
    modelVersion: s.modelVersion.version,
    modelVersionId: s.modelVersionId,
    f1: s.f1,
    precision: s.precision,
    recall: s.recall,
    accuracy: s.accuracy,
    dataset: s.datasetName,
    kind: s.kind as ScoreKind,
    runId: s.runId,
    rows: s.rows,
    createdAt: s.createdAt.toISOString(),
    ...periodView(s),
    ranking: scoreRankingOf(s),
  };
}

/**
 * GET /api/models/{id}: one version with its newest test score in full — confusion counts,
 * ranking metrics, calibration table and the ROC, PR and threshold curve points. 404 for an unknown id.
 */
export async function modelDetailView(db: Db, { id }: { id: number }): Promise<z.infer<typeof ModelDetailResponse>> {
  const [m, current] = await Promise.all([requireModelVersion(db, id), getCurrentDeployment(db)]);
  const s = await getLatestTestScore(db, { modelVersionId: m.id });
  return {
    model: modelEntry(m, { f1: s?.f1 ?? null, deployed: current?.modelVersionId === m.id, testScore: s }),
    testScore: s
      ? {
          ...scoreEntry({ ...s, modelVersion: { version: m.version } }),
          confusion: { tp: s.tp, fp: s.fp, tn: s.tn, fn: s.fn },
          curves: scoreCurvesOf(s),
        }
      : null,
  };
}

export function datasetEntry(d: Dataset): z.infer<typeof DatasetEntry> {
  return {
    id: d.id,
    name: d.name,
    sha256: d.sha256,
    role: d.role as DatasetRole,
    rowsRead: d.rowsRead,
    rowsAccepted: d.rowsAccepted,
    duplicates: d.duplicates,
    rejected: d.rejected,
    imputed: d.imputed,
    imputedByColumn: JSON.parse(d.imputedByColumn) as Record<string, number>,
    missingByColumn: JSON.parse(d.missingByColumn) as Record<string, number>,
    ignoredColumns: JSON.parse(d.ignoredColumns) as string[],
    ingestedAt: d.ingestedAt.toISOString(),
    ...periodView(d),
    checkedByRunId: d.checkedByRunId,
    ingestedByRunId: d.ingestedByRunId,
  };
}

/** GET /api/datasets: the newest `limit` ledger entries below `before`, oldest first. */
export async function datasetsView(db: Db, { limit = DEFAULT_LIMIT, before, period }: Partial<PageRequest> = {}): Promise<z.infer<typeof DatasetsResponse>> {
  const { items, nextCursor } = oldestFirstPage(await listDatasets(db, { take: limit + 1, before, period }), limit);
  return { datasets: items.map(datasetEntry), nextCursor };
}

/** GET /api/scores: the newest `limit` scores below `before`, oldest first (API.md's order within the page). */
export async function scoresView(db: Db, { limit = DEFAULT_LIMIT, before, period }: Partial<PageRequest> = {}): Promise<z.infer<typeof ScoresResponse>> {
  const { items, nextCursor } = oldestFirstPage(await listScores(db, { take: limit + 1, before, period }), limit);
  return {
    scores: items.map(scoreEntry),
    nextCursor,
  };
}

/** One deployment as the API writes it (POST /api/deploy, /api/rollback, the Models page). */
export function deploymentEntry(d: DeploymentWithModel): z.infer<typeof DeploymentEntry> {
  return {
    id: d.id,
    modelVersion: d.modelVersion.version,
    modelVersionId: d.modelVersionId,
    previousModelVersionId: d.previousModelVersionId,
    deployedAt: d.deployedAt.toISOString(),
    reason: d.reason,
    trigger: d.trigger,
    actor: d.actor,
  };
}
