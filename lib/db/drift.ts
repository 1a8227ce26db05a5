import { periodWhere, type PeriodFilter } from "./period-where";
import type { Db } from "./client";
import { takeWriteLock } from "./models";
import type { DriftCheck, Score } from "./generated/client";

export interface NewDriftCheck {
  runId: number | null;
  modelVersionId: number;
  newScore: number | null;
  score: unknown;
  features: unknown;
  detail: unknown;
  triggered: boolean;
}

export async function createDriftCheck(db: Db, c: NewDriftCheck): Promise<DriftCheck> {
  return db.driftCheck.create({
    data: {
      runId: c.runId,
      modelVersionId: c.modelVersionId,
      newScore: c.newScore,
      score: JSON.stringify(c.score),
      features: JSON.stringify(c.features),
      detail: JSON.stringify(c.detail),
      triggered: c.triggered,
    },
  });
}

/** Merge keys into a drift check's detail JSON (the gate adds its t-test after the check was stored). */
export async function mergeDriftCheckDetail(db: Db, { id, detail }: { id: number; detail: Record<string, unknown> }): Promise<DriftCheck> {
  return db.$transaction(async (tx) => {
    await takeWriteLock(tx, db);
    const current = await tx.driftCheck.findUniqueOrThrow({ where: { id } });
    const merged = { ...(JSON.parse(current.detail) as Record<string, unknown>), ...detail };
    return tx.driftCheck.update({ where: { id }, data: { detail: JSON.stringify(merged) } });
  });
}

export type DriftCheckWithModel = DriftCheck & { modelVersion: { version: number } };

/** Drift checks, newest first, at most `take`, only those with an id below `before` when given. */
export async function listDriftChecks(
  db: Db,
  { take = 200, runId, before, period }: { take?: number; runId?: number; before?: number; period?: PeriodFilter } = {},
): Promise<DriftCheckWithModel[]> {
  return db.driftCheck.findMany({
    where: { ...(runId !== undefined ? { runId } : {}), ...(before !== undefined ? { id: { lt: before } } : {}), ...periodWhere(period) },
    orderBy: { id: "desc" },
    take,
    include: { modelVersion: { select: { version: true } } },
  });
}

export type DeploymentEvent = { id: number; modelVersionId: number; deployedAt: Date; version: number };
export type ScoreWithVersion = Score & { modelVersion: { version: number } };

/**
 * The raw material of the score history: every deployment (oldest first) and, for the models
 * ever deployed, their test-data scores and the new-data scores recorded by pipeline runs.
 */
export async function listScoreHistoryInputs(db: Db): Promise<{ deployments: DeploymentEvent[]; scores: ScoreWithVersion[] }> {
  const deployments = await db.deployment.findMany({ orderBy: { id: "asc" }, include: { modelVersion: { select: { version: true } } } });
  const ids = [...new Set(deployments.map((d) => d.modelVersionId))];
  const scores = await db.score.findMany({
    where: { modelVersionId: { in: ids }, OR: [{ kind: "test" }, { kind: "new-data", runId: { not: null } }] },
    orderBy: { id: "asc" },
    include: { modelVersion: { select: { version: true } } },
  });
  return {
    deployments: deployments.map((d) => ({ id: d.id, modelVersionId: d.modelVersionId, deployedAt: d.deployedAt, version: d.modelVersion.version })),
    scores,
  };
}
