import type { StabilityResponse } from "@/lib/queries/types";
import type { StabilitySeries } from "./stability-chart";

/** Per-column mean series across snapshots, with the last change of the mean against the previous snapshot (the API's relativeChange). */
export function shapeStability(snapshots: StabilityResponse["snapshots"]): StabilitySeries[] {
  const columns: string[] = [];
  for (const s of snapshots) for (const c of Object.keys(s.columns)) if (!columns.includes(c)) columns.push(c);
  return columns.map((column) => {
    const points = snapshots.map((s, i) => ({
      n: i + 1,
      createdAt: s.createdAt,
      rows: s.rows.current,
      mean: s.columns[column]?.mean.current ?? null,
      median: s.columns[column]?.median.current ?? null,
      std: s.columns[column]?.std.current ?? null,
    }));
    const relative = snapshots.at(-1)?.columns[column]?.mean.relativeChange;
    return { column, points, lastChangePct: relative == null ? null : 100 * relative };
  });
}
