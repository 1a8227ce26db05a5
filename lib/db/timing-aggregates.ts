import type { Db } from "./client";
import type { TimingAggregate } from "./generated/client";

/*
 * Aggregated timings of frequent steps (predictions): one row per step, source, interval and
 * process, written by the in-memory aggregator (lib/diagnostics/timing-aggregator.ts) instead
 * of a StepTiming row per request. Reads aggregate in SQL, never load the whole table.
 */

export type NewTimingAggregate = Omit<TimingAggregate, "id" | "createdAt">;

export async function createTimingAggregates(db: Db, rows: readonly NewTimingAggregate[]): Promise<number> {
  if (rows.length === 0) return 0;
  const { count } = await db.timingAggregate.createMany({ data: [...rows] });
  return count;
}

export interface StepAggregateTotals {
  step: string;
  count: number;
  sumMs: number;
  /** the newest interval of the step: its last duration and quantiles */
  newest: Pick<TimingAggregate, "lastMs" | "lastAt" | "p50Ms" | "p95Ms" | "periodStart">;
}

/**
 * Per step: total count and time over every stored interval (one GROUP BY in SQL: one row per
 * minute, so a year of traffic is ~500,000 rows), and the newest interval's row (one indexed
 * seek per step on (step, periodStart)).
 */
export async function summarizeTimingAggregates(db: Db): Promise<StepAggregateTotals[]> {
  const groups = await db.$queryRaw<{ step: string; count: number | bigint; sumMs: number }[]>`
    SELECT "step", coalesce(sum("count"), 0) AS "count", coalesce(sum("sumMs"), 0.0) AS "sumMs" FROM "TimingAggregate" GROUP BY "step" ORDER BY "step"`;
  return Promise.all(
    groups.map(async (g) => {
      const newest = await db.timingAggregate.findFirstOrThrow({
        where: { step: g.step },
        orderBy: [{ periodStart: "desc" }, { id: "desc" }],
        select: { lastMs: true, lastAt: true, p50Ms: true, p95Ms: true, periodStart: true },
      });
      return { step: g.step, count: Number(g.count), sumMs: g.sumMs, newest };
    }),
  );
}

/** The newest `take` stored intervals (all steps), newest first (by id: the order they were flushed in). */
export async function listTimingAggregates(db: Db, { take = 500 }: { take?: number } = {}): Promise<TimingAggregate[]> {
  return db.timingAggregate.findMany({ orderBy: { id: "desc" }, take });
}
