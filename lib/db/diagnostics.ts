import type { Db } from "./client";
import type { DependencyCheck, StepTiming } from "./generated/client";

export interface NewDependencyCheck {
  name: string;
  declared: string;
  installed: string | null;
  latest: string | null;
  status: "current" | "outdated" | "unknown";
  reason: string | null;
}

/** Replace the dependency cache with one check's results (all rows share checkedAt). */
export async function replaceDependencyChecks(db: Db, rows: readonly NewDependencyCheck[], checkedAt: Date = new Date()): Promise<void> {
  await db.$transaction([
    db.dependencyCheck.deleteMany({}),
    db.dependencyCheck.createMany({ data: rows.map((r) => ({ ...r, checkedAt })) }),
  ]);
}

export async function listDependencyChecks(db: Db): Promise<DependencyCheck[]> {
  return db.dependencyCheck.findMany({ orderBy: { name: "asc" } });
}

/** Step timings, newest first, at most `take` (the summary needs a recent window, not all of history). */
export async function listRecentTimings(db: Db, { take = 5000, source, excludeSource }: { take?: number; source?: string; excludeSource?: string } = {}): Promise<StepTiming[]> {
  return db.stepTiming.findMany({
    where: { ...(source ? { source } : {}), ...(excludeSource ? { source: { not: excludeSource } } : {}) },
    orderBy: { id: "desc" },
    take,
  });
}

export async function listRunTimings(db: Db, { runId }: { runId: number }): Promise<StepTiming[]> {
  return db.stepTiming.findMany({ where: { runId }, orderBy: { id: "asc" } });
}

/**
 * Quarantined rows, newest first, with their file name: at most `take`, only those with an id
 * below `before` when given. `total` counts every row of the filter, whatever the page.
 */
export async function listQuarantine(
  db: Db,
  { take = 200, skip = 0, datasetId, before }: { take?: number; skip?: number; datasetId?: number; before?: number } = {},
) {
  const where = datasetId !== undefined ? { datasetId } : {};
  const [rows, total] = await Promise.all([
    db.rejectedRow.findMany({
      where: { ...where, ...(before !== undefined ? { id: { lt: before } } : {}) },
      orderBy: { id: "desc" },
      take,
      skip,
      include: { dataset: { select: { name: true } } },
    }),
    db.rejectedRow.count({ where }),
  ]);
  return { rows, total };
}

export async function listTrainingDatasets(db: Db) {
  return db.dataset.findMany({ where: { role: { in: ["source", "upload"] } }, orderBy: { id: "asc" } });
}
