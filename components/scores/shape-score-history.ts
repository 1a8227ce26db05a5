import { scoreHistoryThresholds, type ScoreBand, type ScoreFence } from "@/lib/drift/score-checks";
import type { DriftCheck, ScoreEntry } from "@/lib/queries/types";

/*
 * Shape the score history for the Scores chart: the points, the parametric band (mean ± 2·SD)
 * and the IQR fence (Q1 − 1.5·IQR) computed by the function the drift checks use, the
 * runs whose checks said drift, and where each deployment falls on the x axis.
 */

export interface ScorePoint {
  /** 1-based position in the history (x axis) */
  n: number;
  f1: number;
  /** f1 again when this score was flagged as drift, else null (drawn as a red marker) */
  driftF1: number | null;
  modelVersion: number;
  dataset: string;
  kind: string;
  createdAt: string;
}

export interface DeploymentMarker {
  /** x position: the score the deployment went live with, else between the scores around it */
  n: number;
  modelVersion: number;
  deployedAt: string;
  reason: string;
}

export interface ScoreHistoryShape {
  points: ScorePoint[];
  band: ScoreBand | null;
  fence: ScoreFence | null;
  deployments: DeploymentMarker[];
  domain: [number, number];
  excluded: number;
}

export type ScoreKindFilter = "all" | "test" | "new-data";

export function shapeScoreHistory(
  scores: readonly ScoreEntry[],
  opts: {
    deployments: readonly { modelVersion: number; deployedAt: string; reason: string }[];
    drift: readonly DriftCheck[];
    kind: ScoreKindFilter;
  },
): ScoreHistoryShape {
  const deployedVersions = new Set(opts.deployments.map((d) => d.modelVersion));
  const kept = scores.filter((s) => (deployedVersions.size === 0 || deployedVersions.has(s.modelVersion)) && (opts.kind === "all" || s.kind === opts.kind));
  const driftScoreIds = new Set<number>();
  const driftRuns = new Set(opts.drift.filter((c) => c.triggered || Object.values(c.score).some((o) => o?.status === "drift")).map((c) => c.runId));
  for (const s of kept) if (s.runId != null && driftRuns.has(s.runId) && s.kind !== "test") driftScoreIds.add(s.id);
  // A drift check without a run-linked score: flag the score equal to its newScore.
  for (const c of opts.drift) {
    if (!(c.triggered || Object.values(c.score).some((o) => o?.status === "drift")) || c.newScore == null) continue;
    if (kept.some((s) => driftScoreIds.has(s.id) && s.runId === c.runId)) continue;
    const match = kept.find((s) => Math.abs(s.f1 - (c.newScore as number)) < 1e-12 && s.modelVersion === c.modelVersion);
    if (match) driftScoreIds.add(match.id);
  }
  const points: ScorePoint[] = kept.map((s, i) => ({
    n: i + 1,
    f1: s.f1,
    driftF1: driftScoreIds.has(s.id) ? s.f1 : null,
    modelVersion: s.modelVersion,
    dataset: s.dataset,
    kind: s.kind,
    createdAt: s.createdAt,
  }));
  const f1s = points.map((p) => p.f1);
  const { band, fence } = scoreHistoryThresholds(f1s);
  // Each deployment sits on the score it went live with (lib/pipeline/score-history.ts): its
  // version's newest test score recorded at or before the deployment, else its first test score
  // after it. When that score is filtered out (kind), the marker goes between the scores around it.
  const deployments: DeploymentMarker[] = [];
  const times = points.map((p) => new Date(p.createdAt).getTime());
  const perGap = new Map<number, number>();
  for (const d of opts.deployments) {
    const t = new Date(d.deployedAt).getTime();
    const own = points.filter((p) => p.modelVersion === d.modelVersion && p.kind === "test");
    const atOrBefore = own.filter((p) => new Date(p.createdAt).getTime() <= t);
    const home = atOrBefore.length ? atOrBefore[atOrBefore.length - 1] : own[0];
    if (home) {
      deployments.push({ n: home.n, modelVersion: d.modelVersion, deployedAt: d.deployedAt, reason: d.reason });
      continue;
    }
    const before = times.filter((x) => x <= t).length; // scores recorded up to the deployment
    perGap.set(before, (perGap.get(before) ?? 0) + 1);
    deployments.push({ n: before + 0.5, modelVersion: d.modelVersion, deployedAt: d.deployedAt, reason: d.reason });
  }
  // Several deployments between the same two scores: spread them inside the gap.
  for (const [before, count] of perGap) {
    if (count < 2) continue;
    const inGap = deployments.filter((d) => d.n === before + 0.5);
    inGap.forEach((d, i) => (d.n = before + 0.2 + (0.6 * i) / (count - 1)));
  }
  const ys = [...f1s, ...(band ? [band.lower, band.upper] : []), ...(fence ? [fence.value] : [])];
  const lo = ys.length ? Math.min(...ys) : 0;
  const hi = ys.length ? Math.max(...ys) : 1;
  const pad = Math.max(0.01, (hi - lo) * 0.1);
  const domain: [number, number] = [Math.max(0, lo - pad), Math.min(1, hi + pad)];
  return { points, band, fence, deployments, domain, excluded: scores.length - kept.length };
}
