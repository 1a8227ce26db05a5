import type { Db } from "./client";

/*
 * Read-only aggregates for GET /api/metrics. Everything comes from the database, so every
 * server process (and the CLI) reports the same numbers.
 */

/** Recent durations per step, newest first (at most `take` per step), with the total count. */
export async function listStepDurations(db: Db, { take = 1000 }: { take?: number } = {}) {
  const groups = await db.stepTiming.groupBy({ by: ["step"], _count: { _all: true }, _sum: { ms: true }, orderBy: { step: "asc" } });
  return Promise.all(
    groups.map(async (g) => {
      const recent = await db.stepTiming.findMany({ where: { step: g.step }, orderBy: { id: "desc" }, take, select: { ms: true } });
      return { step: g.step, count: g._count._all, sumMs: g._sum.ms ?? 0, recentMs: recent.map((r) => r.ms) };
    }),
  );
}

export async function getLatestDriftCheck(db: Db) {
  return db.driftCheck.findFirst({ orderBy: { id: "desc" }, include: { modelVersion: { select: { version: true } } } });
}

export async function countDatasetsByRole(db: Db) {
  const groups = await db.dataset.groupBy({ by: ["role"], _count: { _all: true }, orderBy: { role: "asc" } });
  return groups.map((g) => ({ role: g.role, count: g._count._all }));
}

export async function getLatestRun(db: Db) {
  return db.pipelineRun.findFirst({ orderBy: { id: "desc" } });
}

export async function countOpenAlerts(db: Db): Promise<number> {
  return db.alert.count({ where: { acknowledged: false } });
}

export async function countModelVersions(db: Db): Promise<number> {
  return db.modelVersion.count();
}
