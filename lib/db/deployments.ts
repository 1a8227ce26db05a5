import type { Db } from "./client";

/**
 * Id of the newest Deployment row (the live one), or null when nothing was ever deployed.
 * `max(id)` on the INTEGER PRIMARY KEY is one B-tree seek, so the prediction path can ask it on
 * every request to notice a deploy or rollback made by any process. Raw SQL: the same query
 * through `aggregate` costs about four times as much per call (measured: 0.16 vs 0.04 ms).
 */
export async function getLatestDeploymentId(db: Db): Promise<number | null> {
  const rows = await db.$queryRaw<{ id: number | bigint | null }[]>`SELECT max(id) AS id FROM "Deployment"`;
  const id = rows[0]?.id;
  return id === null || id === undefined ? null : Number(id);
}
