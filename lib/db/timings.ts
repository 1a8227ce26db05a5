import type { Db } from "./client";

import type { StepName } from "../vocabulary";

export async function recordTiming(
  db: Db,
  t: { step: StepName; ms: number; runId?: number | null; source?: string },
): Promise<void> {
  await db.stepTiming.create({ data: { step: t.step, ms: t.ms, runId: t.runId ?? null, source: t.source ?? "pipeline" } });
}

/** The newest `take` step timings of every step and source, newest first (by id: the order they were written in). */
export async function listNewestTimings(db: Db, { take }: { take: number }) {
  return db.stepTiming.findMany({ orderBy: { id: "desc" }, take });
}
