import type { Db } from "./client";

/*
 * Cheap real reads, one per table family, for GET /api/health: each walks one path of its
 * table's B-tree (the newest row), so a database that cannot serve reads (a damaged page, a
 * missing table, a locked or vanished file) shows up here, naming the part that fails.
 */

export const TABLE_FAMILIES = ["ledger", "records", "models", "scores", "runs", "timings"] as const;
type TableFamily = (typeof TABLE_FAMILIES)[number];

const probes: Record<TableFamily, (db: Db) => Promise<unknown>> = {
  ledger: (db) => db.dataset.findFirst({ orderBy: { id: "desc" }, select: { id: true } }),
  records: (db) => db.datasetColumns.findFirst({ orderBy: { datasetId: "desc" }, select: { datasetId: true, rows: true } }),
  models: (db) => db.deployment.findFirst({ orderBy: { id: "desc" }, select: { id: true, modelVersion: { select: { id: true } } } }),
  scores: (db) => db.score.findFirst({ orderBy: { id: "desc" }, select: { id: true } }),
  runs: (db) => db.pipelineRun.findFirst({ orderBy: { id: "desc" }, select: { id: true } }),
  timings: (db) => db.stepTiming.findFirst({ orderBy: { id: "desc" }, select: { id: true } }),
};

/** "ok" or the error's message, per table family; `onError` sees each failure (a damaged file is recorded: lib/db/storage-health.ts). */
export async function probeTables(db: Db, onError: (e: unknown) => void = () => undefined): Promise<Record<TableFamily, string>> {
  const out = {} as Record<TableFamily, string>;
  for (const family of TABLE_FAMILIES) {
    try {
      await probes[family](db);
      out[family] = "ok";
    } catch (e) {
      onError(e);
      out[family] = (e as Error).message.split("\n").filter(Boolean).pop() ?? "read failed";
    }
  }
  return out;
}
