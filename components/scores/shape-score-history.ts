import { periodAxis, xAtPosition, type PeriodAxis, type PeriodLike, type PeriodSpan } from "@/components/ui/period-axis";
import { scoreHistoryThresholds, type ScoreBand, type ScoreFence } from "@/lib/drift/score-checks";
import type { DriftCheck, ScoreEntry } from "@/lib/queries/types";

/*
 * Shape the score history for the Scores chart: the points, the parametric band (mean ± 2·SD)
 * and the IQR fence (Q1 − 1.5·IQR) computed by the function the drift checks use, the
 * runs whose checks said drift, and where each deployment falls on the x axis: the end of the
 * period of data each score is about (components/ui/period-axis.ts), or — when a score has no
 * period (recorded before periods were) — its position in the history.
 */

export interface ScorePoint {
  /** 1-based position in the history, oldest first (the list's #) */
  n: number;
  /** x on the chart: the period's end in ms (time axis) or n (index axis) */
  x: number;
  /** the period it is placed at, in ms; null on the index axis */
  period: PeriodSpan | null;
  /** "run": a test score placed at the period of the run that recorded it (see placedPeriod) */
  periodOf: "score" | "run";
  f1: number;
  /** f1 again when this score was flagged as drift, else null (drawn as a red marker) */
  driftF1: number | null;
  modelVersion: number;
  dataset: string;
  kind: string;
  rows: number;
  runId: number | null;
  createdAt: string;
}

export interface DeploymentMarker {
  /** position: the score the deployment went live with (its n), else between the scores around it */
  n: number;
  /** x on the chart: that score's x, or between the x of the scores around it */
  x: number;
  modelVersion: number;
  deployedAt: string;
  reason: string;
}

export interface ScoreHistoryShape {
  points: ScorePoint[];
  band: ScoreBand | null;
  fence: ScoreFence | null;
  deployments: DeploymentMarker[];
  /** the y domain */
  domain: [number, number];
  /** the x axis: time (every score has a period) or index */
  axis: PeriodAxis;
  excluded: number;
}

export type ScoreKindFilter = "all" | "test" | "new-data";

export function shapeScoreHistory(
  scores: readonly ScoreEntry[],
  opts: {
    deployments: readonly { modelVersion: number; deployedAt: string; reason: string }[];
    drift: readonly DriftCheck[];
    kind: ScoreKindFilter;
    /** the runs (GET /api/runs) with their periods: where a run's test scores sit */
    runs?: readonly ({ id: number } & PeriodLike)[];
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
  const runs = new Map((opts.runs ?? []).map((r) => [r.id, r]));
  const placed = kept.map((s) => placedPeriod(s, runs));
  const axis = periodAxis(placed, { indexTitle: "score # (oldest → newest)" });
  const points: ScorePoint[] = kept.map((s, i) => ({
    n: i + 1,
    x: axis.xs[i],
    period: axis.periods[i],
    periodOf: placed[i] === s ? "score" : "run",
    f1: s.f1,
    driftF1: driftScoreIds.has(s.id) ? s.f1 : null,
    modelVersion: s.modelVersion,
    dataset: s.dataset,
    kind: s.kind,
    rows: s.rows,
    runId: s.runId,
    createdAt: s.createdAt,
  }));
  const f1s = points.map((p) => p.f1);
  const { band, fence } = scoreHistoryThresholds(f1s);
  const deployments = placeDeployments(points, opts.deployments, axis);
  const ys = [...f1s, ...(band ? [band.lower, band.upper] : []), ...(fence ? [fence.value] : [])];
  const lo = ys.length ? Math.min(...ys) : 0;
  const hi = ys.length ? Math.max(...ys) : 1;
  const pad = Math.max(0.01, (hi - lo) * 0.1);
  const domain: [number, number] = [Math.max(0, lo - pad), Math.min(1, hi + pad)];
  return { points, band, fence, deployments, domain, axis, excluded: scores.length - kept.length };
}

/**
 * Where a score sits in data time. A new-data score: the period of its rows. A test score is about
 * the hold-out, whose rows say nothing of when in the data's history it was taken (no time column:
 * its period is when the file arrived, on the wall clock, years from the data's months; a hold-out
 * cut from the first period: that period, for every later retrain too); the history means "the
 * model of this moment scored this", so a test score a run recorded sits at that run's period.
 * Without a run, or a run without a period, it keeps its own.
 */
function placedPeriod(s: ScoreEntry, runs: ReadonlyMap<number, PeriodLike>): PeriodLike {
  if (s.kind !== "test" || s.runId == null) return s;
  const run = runs.get(s.runId);
  return run?.periodStart && run.periodEnd ? run : s;
}

/**
 * Each deployment sits on the score it went live with (lib/pipeline/score-history.ts): its
 * version's newest test score recorded at or before the deployment, else its first test score
 * after it. When that score is filtered out (kind), the marker goes between the scores recorded
 * around it (several in one gap: spread inside it); on the time axis, between those scores' x,
 * kept inside the axis.
 */
function placeDeployments(
  points: readonly ScorePoint[],
  list: readonly { modelVersion: number; deployedAt: string; reason: string }[],
  axis: PeriodAxis,
): DeploymentMarker[] {
  const deployments: DeploymentMarker[] = [];
  const times = points.map((p) => new Date(p.createdAt).getTime());
  const perGap = new Map<number, number>();
  for (const d of list) {
    const t = new Date(d.deployedAt).getTime();
    const own = points.filter((p) => p.modelVersion === d.modelVersion && p.kind === "test");
    const atOrBefore = own.filter((p) => new Date(p.createdAt).getTime() <= t);
    const home = atOrBefore.length ? atOrBefore[atOrBefore.length - 1] : own[0];
    if (home) {
      deployments.push({ n: home.n, x: home.x, modelVersion: d.modelVersion, deployedAt: d.deployedAt, reason: d.reason });
      continue;
    }
    const before = times.filter((x) => x <= t).length; // scores recorded up to the deployment
    perGap.set(before, (perGap.get(before) ?? 0) + 1);
    deployments.push({ n: before + 0.5, x: Number.NaN, modelVersion: d.modelVersion, deployedAt: d.deployedAt, reason: d.reason });
  }
  for (const [before, count] of perGap) {
    if (count < 2) continue;
    const inGap = deployments.filter((d) => d.n === before + 0.5);
    inGap.forEach((d, i) => (d.n = before + 0.2 + (0.6 * i) / (count - 1)));
  }
  const xs = points.map((p) => p.x);
  const [lo, hi] = axis.domain;
  for (const d of deployments) {
    if (!Number.isNaN(d.x)) continue; // on its score
    d.x = axis.kind === "index" ? d.n : Math.min(hi, Math.max(lo, xAtPosition(xs, d.n, (hi - lo) / 4)));
  }
  return deployments;
}
