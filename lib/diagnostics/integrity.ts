import type { Db } from "../db/client";
import { listSnapshots } from "../db/datasets";
import { listTrainingDatasets } from "../db/diagnostics";
import { currentSchema } from "../db/stored-schema";
import type { ColumnSummary } from "../stats/summary";
import { latestStability, type SnapshotComparison } from "./stability";

/*
 * Integrity (DESIGN.md): the share of missing cells per column — per ingested file (as read,
 * stored on its ledger row) and for the training set (cells that were empty and got mean
 * imputation count as missing; from the newest DataSnapshot) — the imputations per column,
 * and the quarantine size. Stability: the newest snapshot against the previous one.
 */

export interface IntegritySummary {
  /** training set: fraction of missing cells per column */
  missing: Record<string, number>;
  trainingRows: number;
  files: { datasetId: number; name: string; role: string; ingestedAt: string; rowsRead: number; missing: Record<string, number>; imputed: Record<string, number>; rejected: number }[];
  imputedByColumn: Record<string, number>;
  quarantined: number;
  stability: SnapshotComparison | null;
  summary: string;
}

export async function summarizeIntegrity(db: Db): Promise<IntegritySummary> {
  const [datasets, snapshots, schema] = await Promise.all([listTrainingDatasets(db), listSnapshots(db), currentSchema(db)]);
  const features = schema.features.map((f) => f.name);
  const columns = [...(schema.id ? [schema.id] : []), ...features, ...(schema.time ? [schema.time] : []), schema.label];
  const latest = snapshots[snapshots.length - 1];
  const missing: Record<string, number> = {};
  if (latest) {
    const stats = JSON.parse(latest.stats) as Record<string, ColumnSummary>;
    for (const col of Object.keys(stats)) missing[col] = stats[col].missing;
  } else {
    for (const col of [...features, schema.label]) missing[col] = 0;
  }
  const imputedByColumn: Record<string, number> = Object.fromEntries(features.map((f) => [f, 0]));
  const files = datasets.map((d) => {
    const imputed = JSON.parse(d.imputedByColumn) as Record<string, number>;
    for (const [k, v] of Object.entries(imputed)) imputedByColumn[k] = (imputedByColumn[k] ?? 0) + v;
    const fileMissing = JSON.parse(d.missingByColumn) as Record<string, number>;
    return {
      datasetId: d.id,
      name: d.name,
      role: d.role,
      ingestedAt: d.ingestedAt.toISOString(),
      rowsRead: d.rowsRead,
      missing: Object.fromEntries(columns.filter((c) => c in fileMissing).map((c) => [c, fileMissing[c]])),
      imputed,
      rejected: d.rejected,
    };
  });
  const quarantined = datasets.reduce((n, d) => n + d.rejected, 0);
  const stability = latestStability(snapshots);
  const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
  const meanShift = stability?.previousSnapshotId
    ? schema.features
        .filter((f) => f.type === "numeric")
        .map(({ name: f }) => {
        const r = stability.columns[f]?.mean.relativeChange;
        return `${f} ${r === null || r === undefined ? "n/a" : `${r >= 0 ? "+" : ""}${(100 * r).toFixed(1)}%`}`;
      }).join(", ")
    : "no previous snapshot";
  const summary = `training set ${latest?.rows ?? 0} rows, missing ${Object.entries(missing).map(([k, v]) => `${k} ${pct(v)}`).join(", ")}; imputed cells ${Object.entries(imputedByColumn).map(([k, v]) => `${k} ${v}`).join(", ")}; ${quarantined} row(s) quarantined; mean change vs previous snapshot: ${meanShift}`;
  return { missing, trainingRows: latest?.rows ?? 0, files, imputedByColumn, quarantined, stability, summary };
}
