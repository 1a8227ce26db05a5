import { periodWhere, type PeriodFilter } from "./period-where";
import { providerOfDb, type Db } from "./client";
import type { Deployment, ModelVersion, Score } from "./generated/client";
import { currentActor } from "../actor";
import { noteDeploymentChange } from "./deployment-changes";
import { AppError } from "../errors";
import type { ClassificationScores } from "../metrics/classification";
import type { RankingMetrics } from "../metrics/score-ranking";

export interface NewModelVersion {
  algorithm: string;
  hyperParameters: unknown;
  weights: unknown;
  scaler: unknown;
  /** the version's encoding (lib/model/encoding.ts) */
  encoding?: unknown;
  trainedRows: number;
  maxRecordId: number;
  trainingMs: number;
  /** the coefficient table (lib/model/coefficients.ts); null when it could not be computed */
  coefficients?: unknown;
}

/**
 * Take the database's write lock as the first thing a read-then-write transaction does. Prisma
 * begins transactions DEFERRED: two connections that both read and then write would deadlock,
 * and SQLite answers the second one SQLITE_BUSY at once instead of letting it wait. A write
 * statement first (this one changes nothing) makes the second connection wait its turn
 * (busy timeout) and then read what the first one wrote.
 *
 * PostgreSQL (READ COMMITTED) would let both read and then both write: there the transaction
 * takes a transaction-scoped advisory lock instead, so such transactions take turns across
 * every process on the database, and each reads after the previous one committed.
 * `db` is the client the transaction was started on (it tells which database this is).
 */
export async function takeWriteLock(tx: Pick<Db, "$executeRawUnsafe">, db: Db): Promise<void> {
  if (providerOfDb(db) === "postgresql") await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${WRITE_LOCK_KEY})`);
  else await tx.$executeRawUnsafe(`UPDATE "PipelineLock" SET "id" = "id" WHERE 0`);
}

/** The advisory lock key of takeWriteLock on PostgreSQL (any constant the app uses for nothing else). */
const WRITE_LOCK_KEY = 727_001;

/**
 * Store a trained model under the next version number (trainings finishing at once — a run's
 * challenger and POST /api/train, in two threads or processes — take turns).
 */
export async function createModelVersion(db: Db, m: NewModelVersion): Promise<ModelVersion> {
  return db.$transaction(async (tx) => {
    await takeWriteLock(tx, db);
    const last = await tx.modelVersion.aggregate({ _max: { version: true } });
    return tx.modelVersion.create({
      data: {
        version: (last._max.version ?? 0) + 1,
        algorithm: m.algorithm,
        hyperParameters: JSON.stringify(m.hyperParameters),
        weights: JSON.stringify(m.weights),
        scaler: JSON.stringify(m.scaler),
        encoding: m.encoding === undefined ? null : JSON.stringify(m.encoding),
        trainedRows: m.trainedRows,
        maxRecordId: m.maxRecordId,
        trainingMs: m.trainingMs,
        coefficients: m.coefficients == null ? null : JSON.stringify(m.coefficients),
      },
    });
  });
}

async function getModelVersion(db: Db, { id }: { id: number }): Promise<ModelVersion | null> {
  return db.modelVersion.findUnique({ where: { id } });
}

/** A model version by id, or a 404 that says where to find them. */
export async function requireModelVersion(db: Db, id: number): Promise<ModelVersion> {
  const m = await getModelVersion(db, { id });
  if (!m) throw new AppError("not_found:model", `No model version with id ${id}. GET /api/models lists them.`);
  return m;
}

/**
 * Model versions, oldest first. With `take`: only the newest `take` (with an id below `before`
 * when given), still oldest first — a page of GET /api/models. Versions are numbered in the
 * order the rows are created, so id order is version order.
 */
export async function listModelVersions(db: Db, { take, before }: { take?: number; before?: number } = {}): Promise<ModelVersion[]> {
  const where = before !== undefined ? { id: { lt: before } } : {};
  if (take === undefined) return db.modelVersion.findMany({ where, orderBy: { version: "asc" } });
  return (await db.modelVersion.findMany({ where, orderBy: { id: "desc" }, take })).reverse();
}

export type DeploymentWithModel = Deployment & { modelVersion: ModelVersion };

/** The live deployment: the newest Deployment row. */
export async function getCurrentDeployment(db: Db): Promise<DeploymentWithModel | null> {
  return db.deployment.findFirst({ orderBy: { id: "desc" }, include: { modelVersion: true } });
}

/** The deployed model version, or a 409 that says how to get one. */
export async function requireDeployedModel(db: Db): Promise<DeploymentWithModel> {
  const d = await getCurrentDeployment(db);
  if (!d) {
    throw new AppError(
      "conflict:no_deployed_model",
      "No model is deployed yet. Ingest data and train (npm run pipeline -- full, or POST /api/train then POST /api/deploy).",
    );
  }
  return d;
}

export async function listDeployments(db: Db): Promise<DeploymentWithModel[]> {
  return db.deployment.findMany({ orderBy: { id: "asc" }, include: { modelVersion: true } });
}

/**
 * Switch the deployed model atomically: the new Deployment row (with the version it replaces)
 * is written in one transaction, so readers see either the old or the new model, never neither.
 */
export async function deployModelVersion(
  db: Db,
  { modelVersionId, reason, trigger }: { modelVersionId: number; reason: string; trigger: string },
): Promise<DeploymentWithModel> {
  const deployed = await db.$transaction(async (tx) => {
    await takeWriteLock(tx, db);
    const model = await tx.modelVersion.findUnique({ where: { id: modelVersionId } });
    if (!model) throw new AppError("not_found:model", `No model version with id ${modelVersionId}. GET /api/models lists them.`);
    const current = await tx.deployment.findFirst({ orderBy: { id: "desc" } });
    return tx.deployment.create({
      data: { modelVersionId, previousModelVersionId: current?.modelVersionId ?? null, reason, trigger, actor: currentActor().label },
      include: { modelVersion: true },
    });
  });
  noteDeploymentChange();
  return deployed;
}

/** Deploy again the version that was live before the current one. 409 when there is none. */
export async function rollbackDeployment(
  db: Db,
  { reason, trigger }: { reason?: string; trigger: string },
): Promise<DeploymentWithModel> {
  const deployed = await db.$transaction(async (tx) => {
    await takeWriteLock(tx, db);
    const current = await tx.deployment.findFirst({ orderBy: { id: "desc" }, include: { modelVersion: true } });
    if (!current) throw new AppError("conflict:no_deployment", "No model is deployed, so there is nothing to roll back.");
    if (current.previousModelVersionId === null) {
      throw new AppError("conflict:no_previous_deployment", `Model version ${current.modelVersion.version} is the first deployment; there is no earlier version to roll back to.`);
    }
    const previous = await tx.modelVersion.findUniqueOrThrow({ where: { id: current.previousModelVersionId } });
    return tx.deployment.create({
      data: {
        modelVersionId: previous.id,
        previousModelVersionId: current.modelVersionId,
        reason: reason ?? `rollback from version ${current.modelVersion.version} to version ${previous.version}`,
        trigger,
        actor: currentActor().label,
      },
      include: { modelVersion: true },
    });
  });
  noteDeploymentChange();
  return deployed;
}

export interface NewScore {
  modelVersionId: number;
  datasetId: number | null;
  datasetName: string;
  kind: "test" | "new-data" | "upload";
  runId?: number | null;
  rows: number;
  f1: number;
  precision: number;
  recall: number;
  accuracy: number;
  tp: number;
  fp: number;
  tn: number;
  fn: number;
  /** ranking and calibration of the probabilities; absent: not computed (stored as nulls) */
  ranking?: RankingMetrics | null;
}

async function createScore(db: Db, { ranking, ...s }: NewScore): Promise<Score> {
  // A score of one file is about that file's period; a run's score of several files gets the run's (stampRunPeriod).
  const period = s.datasetId !== null ? await db.dataset.findUnique({ where: { id: s.datasetId }, select: { periodStart: true, periodEnd: true } }) : null;
  return db.score.create({
    data: {
      ...s,
      runId: s.runId ?? null,
      periodStart: period?.periodStart ?? null,
      periodEnd: period?.periodEnd ?? null,
      ...(ranking
        ? {
            rocAuc: ranking.rocAuc,
            averagePrecision: ranking.averagePrecision,
            brierScore: ranking.brierScore,
            logLoss: ranking.logLoss,
            calibration: JSON.stringify(ranking.calibration),
            curves: ranking.curves ? JSON.stringify(ranking.curves) : null,
          }
        : {}),
    },
  });
}

/** Store a model's classification scores on a dataset. */
export async function recordScore(
  db: Db,
  {
    modelVersionId,
    dataset,
    kind,
    runId,
    scores,
  }: {
    modelVersionId: number;
    dataset: { id: number | null; name: string };
    kind: NewScore["kind"];
    runId?: number | null;
    scores: ClassificationScores & { ranking?: RankingMetrics | null };
  },
): Promise<Score> {
  return createScore(db, {
    modelVersionId,
    datasetId: dataset.id,
    datasetName: dataset.name,
    kind,
    runId,
    rows: scores.rows,
    f1: scores.f1,
    precision: scores.precision,
    recall: scores.recall,
    accuracy: scores.accuracy,
    ...scores.confusion,
    ranking: scores.ranking ?? null,
  });
}

/**
 * Scores, oldest first. With `take`: only the newest `take` (with an id below `before` when
 * given), still oldest first — a page of GET /api/scores.
 */
export async function listScores(
  db: Db,
  { take, before, period, ...filter }: { modelVersionId?: number; kind?: string; take?: number; before?: number; period?: PeriodFilter } = {},
) {
  const where = { ...filter, ...(before !== undefined ? { id: { lt: before } } : {}), ...periodWhere(period) };
  const include = { modelVersion: { select: { version: true } } };
  if (take === undefined) return db.score.findMany({ where, orderBy: { id: "asc" }, include });
  return (await db.score.findMany({ where, orderBy: { id: "desc" }, take, include })).reverse();
}

/** The newest test-data score of each of these model versions (none for a version never scored). */
export async function listLatestTestScores(db: Db, { modelVersionIds }: { modelVersionIds: readonly number[] }): Promise<Score[]> {
  if (modelVersionIds.length === 0) return [];
  const latest = await db.score.groupBy({
    by: ["modelVersionId"],
    where: { modelVersionId: { in: [...modelVersionIds] }, kind: "test" },
    _max: { id: true },
  });
  const ids = latest.map((l) => l._max.id).filter((id): id is number => id !== null);
  return db.score.findMany({ where: { id: { in: ids } } });
}

/** Newest test-data score of a model version. */
export async function getLatestTestScore(db: Db, { modelVersionId }: { modelVersionId: number }): Promise<Score | null> {
  return db.score.findFirst({ where: { modelVersionId, kind: "test" }, orderBy: { id: "desc" } });
}
