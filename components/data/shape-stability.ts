import type { SnapshotView } from "@/lib/reads/dashboard";
import type { StabilitySeries } from "./stability-chart";

/** Per-column mean series across snapshots, with the last change against the previous snapshot. */
export function shapeStability(snapshots: readonly SnapshotView[]): StabilitySeries[] {
  const columns: string[] = [];
  for (const s of snapshots) for (const c of Object.keys(s.stats)) if (!columns.includes(c)) columns.push(c);
  return columns.map((column) => {
    const points = snapshots.map((s, i) => ({
      n: i + 1,
      createdAt: s.createdAt,
      rows: s.rows,
      mean: s.stats[column]?.mean ?? null,
      median: s.stats[column]?.median ?? null,
      std: s.stats[column]?.std ?? null,
    }));
    const last = points.at(-1)?.mean;
    const prev = points.at(-2)?.mean;
    const lastChangePct = last != null && prev != null && prev !== 0 ? (100 * (last - prev)) / Math.abs(prev) : null;
    return { column, points, lastChangePct };
  });
}
