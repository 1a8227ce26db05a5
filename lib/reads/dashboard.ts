import type { Db } from "../db/client";
import { listSnapshots } from "../db/datasets";
import { getCurrentDeployment, getModelVersionByNumber, listDeployments, listRecentVersionNumbers, listScores } from "../db/models";
import { listTimingAggregates } from "../db/timing-aggregates";
import { listNewestTimings } from "../db/timings";
import { deploymentEntry, modelDetailView } from "./core";
import type { z } from "zod";
import type { ModelDetailResponse } from "../validations/core";
import type { DeploymentEntry } from "../validations/models";

/*
 * Read-only views the dashboard pages need and no API route gives (deployment history,
 * training-set snapshots, per-version test confusion, step timings over time). Plain JSON-able
 * shapes (ISO strings), so server components can hand them to client charts as props.
 */

/** A deployment as the API writes it (POST /api/deploy, /api/rollback). */
export type DeploymentView = z.infer<typeof DeploymentEntry>;

/** Every deployment (rollbacks included), oldest first. The last one is live. */
export async function deploymentsView(db: Db): Promise<DeploymentView[]> {
  return (await listDeployments(db)).map(deploymentEntry);
}

export interface SnapshotView {
  id: number;
  datasetId: number | null;
  rows: number;
  createdAt: string;
  stats: Record<string, { mean: number | null; median: number | null; std: number | null; min?: number | null; max?: number | null; missing?: number }>;
}

/** Per-column statistics of the training set after each ingestion, oldest first. */
export async function snapshotsView(db: Db): Promise<SnapshotView[]> {
  const rows = await listSnapshots(db);
  return rows.map((s) => ({ id: s.id, datasetId: s.datasetId, rows: s.rows, createdAt: s.createdAt.toISOString(), stats: JSON.parse(s.stats) }));
}

export interface VersionScoreView {
  modelVersionId: number;
  modelVersion: number;
  dataset: string;
  rows: number;
  f1: number;
  precision: number;
  recall: number;
  accuracy: number;
  confusion: { tp: number; fp: number; tn: number; fn: number };
  createdAt: string;
}

/** The newest test-data score (with its confusion counts) of every model version. */
export async function versionScoresView(db: Db): Promise<VersionScoreView[]> {
  const scores = await listScores(db, { kind: "test" });
  const latest = new Map<number, VersionScoreView>();
  for (const s of scores) {
    latest.set(s.modelVersionId, {
      modelVersionId: s.modelVersionId,
      modelVersion: s.modelVersion.version,
      dataset: s.datasetName,
      rows: s.rows,
      f1: s.f1,
      precision: s.precision,
      recall: s.recall,
      accuracy: s.accuracy,
      confusion: { tp: s.tp, fp: s.fp, tn: s.tn, fn: s.fn },
      createdAt: s.createdAt.toISOString(),
    });
  }
  return [...latest.values()].sort((a, b) => a.modelVersion - b.modelVersion);
}

export interface TimingView {
  step: string;
  ms: number;
  source: string;
  runId: number | null;
  createdAt: string;
}

/**
 * Step timings (every source: pipeline runs, API calls, CLI, timing checks), oldest first: the
 * newest `take` StepTiming rows, and the newest `take` aggregated intervals of predictions as
 * one point each (their median, at the interval's last request).
 */
export async function timingsView(db: Db, take = 2000): Promise<TimingView[]> {
  const [rows, intervals] = await Promise.all([listNewestTimings(db, { take }), listTimingAggregates(db, { take })]);
  const points: TimingView[] = rows.reverse().map((t) => ({ step: t.step, ms: t.ms, source: t.source, runId: t.runId, createdAt: t.createdAt.toISOString() }));
  for (const a of intervals) {
    points.push({ step: a.step, ms: a.p50Ms, source: `${a.source}, median of ${a.count} in ${Math.round(a.periodMs / 1000)} s`, runId: null, createdAt: a.lastAt.toISOString() });
  }
  return points.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

/** The newest versions a user can pick to compare with (the Models page's picker). */
export const COMPARE_PICKER_SIZE = 50;

export type ModelDetail = z.infer<typeof ModelDetailResponse>;

export interface VersionComparison {
  /** the deployed version (or the newest when none is deployed) */
  primary: ModelDetail | null;
  /** the version the user picked, or the newest other one; null with fewer than two versions */
  other: ModelDetail | null;
  /** versions to pick from, newest first */
  choices: number[];
}

/**
 * The two versions the Models page compares: the deployed one (else the newest) and `pick` (a
 * version number) when it names another version, else the newest version that is not the first.
 */
export async function versionComparisonView(db: Db, { pick }: { pick: number | null }): Promise<VersionComparison> {
  const [recent, deployed] = await Promise.all([listRecentVersionNumbers(db, { take: COMPARE_PICKER_SIZE }), getCurrentDeployment(db)]);
  if (recent.length === 0) return { primary: null, other: null, choices: [] };
  const primaryId = deployed?.modelVersionId ?? recent[0].id;
  const picked = pick !== null && pick !== deployed?.modelVersion.version ? await getModelVersionByNumber(db, { version: pick }) : null;
  const otherId = picked?.id ?? recent.find((m) => m.id !== primaryId)?.id ?? null;
  const [primary, other] = await Promise.all([
    modelDetailView(db, { id: primaryId }),
    otherId !== null && otherId !== primaryId ? modelDetailView(db, { id: otherId }) : Promise.resolve(null),
  ]);
  return { primary, other, choices: recent.map((m) => m.version) };
}
