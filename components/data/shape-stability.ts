import type { StabilityResponse } from "@/lib/queries/types";
import type { StabilitySeries } from "./stability-chart";

/**
 * Per-column mean series across snapshots, with the last change of the mean against the previous
 * snapshot (the API's relativeChange). A column without any mean (a categorical feature: its
 * level shares are on the Drift page) has no series; it is listed in `withoutMean`.
 */
export function shapeStability(snapshots: StabilityResponse["snapshots"]): { series: StabilitySeries[]; withoutMean: string[] } {
  const all: string[] = [];
  for (const s of snapshots) for (const c of Object.keys(s.columns)) if (!all.includes(c)) all.push(c);
  const hasMean = (column: string) => snapshots.some((s) => s.columns[column]?.mean.current != null);
  const columns = all.filter(hasMean);
  return { series: meanSeries(snapshots, columns), withoutMean: all.filter((c) => !hasMean(c)) };
}

function meanSeries(snapshots: StabilityResponse["snapshots"], columns: string[]): StabilitySeries[] {
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
