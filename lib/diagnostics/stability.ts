import type { ColumnSummary } from "../stats/summary";

/*
 * Stability (DESIGN.md "Integrity" / "Stability"): per-column mean, median and SD of the
 * training set after each ingestion (a DataSnapshot), compared with the previous version of
 * the training set. `change` is current − previous; `relativeChange` is that over
 * |previous| (null when previous is 0 or missing).
 */

export const STABILITY_STATS = ["mean", "median", "std", "missing"] as const;
export type StabilityStat = (typeof STABILITY_STATS)[number];

export interface StatChange {
  previous: number | null;
  current: number | null;
  change: number | null;
  relativeChange: number | null;
}

export interface SnapshotLike {
  id: number;
  datasetId: number | null;
  rows: number;
  stats: string;
  createdAt: Date;
}

export interface SnapshotComparison {
  snapshotId: number;
  previousSnapshotId: number | null;
  datasetId: number | null;
  createdAt: string;
  rows: { previous: number | null; current: number; change: number | null };
  columns: Record<string, Record<StabilityStat, StatChange>>;
}

function statChange(previous: number | null | undefined, current: number | null | undefined): StatChange {
  const p = previous ?? null;
  const c = current ?? null;
  const change = p !== null && c !== null ? c - p : null;
  return { previous: p, current: c, change, relativeChange: change !== null && p !== null && p !== 0 ? change / Math.abs(p) : null };
}

export function compareSnapshots(current: SnapshotLike, previous: SnapshotLike | null): SnapshotComparison {
  const cur = JSON.parse(current.stats) as Record<string, ColumnSummary>;
  const prev = previous ? (JSON.parse(previous.stats) as Record<string, ColumnSummary>) : {};
  const columns: SnapshotComparison["columns"] = {};
  for (const col of Object.keys(cur)) {
    const row = {} as Record<StabilityStat, StatChange>;
    for (const stat of STABILITY_STATS) row[stat] = statChange(prev[col]?.[stat], cur[col]?.[stat]);
    columns[col] = row;
  }
  return {
    snapshotId: current.id,
    previousSnapshotId: previous?.id ?? null,
    datasetId: current.datasetId,
    createdAt: current.createdAt.toISOString(),
    rows: { previous: previous?.rows ?? null, current: current.rows, change: previous ? current.rows - previous.rows : null },
    columns,
  };
}

/** Every snapshot compared with the one before it, oldest first (the stability chart's series). */
export function stabilitySeries(snapshots: readonly SnapshotLike[]): SnapshotComparison[] {
  return snapshots.map((s, i) => compareSnapshots(s, i > 0 ? snapshots[i - 1] : null));
}

/** The newest snapshot against its predecessor, or null when there is no snapshot. */
export function latestStability(snapshots: readonly SnapshotLike[]): SnapshotComparison | null {
  if (snapshots.length === 0) return null;
  return compareSnapshots(snapshots[snapshots.length - 1], snapshots.length > 1 ? snapshots[snapshots.length - 2] : null);
}
