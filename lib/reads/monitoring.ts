import type { z } from "zod";
import { periodView } from "../time/periods";
import type { Db } from "../db/client";
import { listAlerts } from "../db/alerts";
import { listSnapshots } from "../db/datasets";
import { listDependencyChecks, listQuarantine, listRecentTimings, listRunTimings } from "../db/diagnostics";
import { listDriftChecks, type DriftCheckWithModel } from "../db/drift";
import { getRun, listRuns } from "../db/runs";
import { AppError } from "../errors";
import { summarizeIntegrity } from "../diagnostics/integrity";
import { stabilitySeries } from "../diagnostics/stability";
import { runView } from "./runs";
import { scheduleState } from "../scheduler/schedule";
import { stepTimings } from "./step-timings";
import {
  DRIFT_DEFAULT_LIMIT,
  QUARANTINE_DEFAULT_LIMIT,
  type AlertsResponse,
  type DiagnosticsResponse,
  type DriftCheckEntry,
  type DriftResponse,
  type FeatureDriftOutcome,
  type IntegrityFileEntry,
  type QuarantineResponse,
  type RunDetailResponse,
  type RunsResponse,
  type ScoreCheckOutcome,
  type StabilityResponse,
} from "../validations/monitoring";
import type { AlertKind } from "../vocabulary";
import { DEFAULT_LIMIT, type PageRequest } from "../validations/pagination";
import type { FeatureDriftEntry, NumericDriftEntry } from "../drift/observed-feature-drift";
import { newestFirstPage } from "./page";

/*
 * Read models of the monitoring routes in the shapes of shared/API.md (extra fields are
 * allowed there and used by the dashboard): drift checks, runs, diagnostics, quarantine,
 * alerts. The request schemas are in lib/validations/monitoring.ts.
 */

type DriftCheck = z.infer<typeof DriftCheckEntry>;
/** A score check as stored (inTrigger was added later). */
type StoredCheck = Omit<z.infer<typeof ScoreCheckOutcome>, "inTrigger"> & { inTrigger?: boolean };
type FeatureOutcome = z.infer<typeof FeatureDriftOutcome>;
/** A feature's drift as stored (lib/drift/observed-feature-drift.ts; no `type` before categorical features existed): the methods are null when the column could not be compared (note says why). */
type StoredFeature = FeatureDriftEntry | (Omit<NumericDriftEntry, "type"> & { type?: undefined });
/** The detail JSON of a drift check: the run's trigger and history, then the gate's t-test and decision when the run reached it. */
type StoredDetail = Partial<Pick<DriftCheck, "trigger" | "fired" | "history" | "ttest" | "gate">>;

/** A stored feature entry in the API's shape; null when it could not be compared. */
function featureOutcome(f: StoredFeature): FeatureOutcome | null {
  if (f.type === "categorical") {
    if (!f.chi2) return null;
    const { chi2, js, psi, unseen, levels, referenceSize, currentSize } = f;
    return {
      type: "categorical",
      chi2: { statistic: chi2.statistic, df: chi2.df, pValue: chi2.pValue, drifted: chi2.drifted, threshold: chi2.threshold },
      js: { distance: js.distance, drifted: js.drifted, threshold: js.threshold },
      psi: { score: psi.score, drifted: psi.drifted, threshold: psi.threshold },
      unseen: { share: unseen.share, count: unseen.count, levels: unseen.levels, drifted: unseen.drifted, threshold: unseen.threshold },
      levels,
      referenceSize,
      currentSize,
    };
  }
  if (!f.ks || !f.psi) return null;
  return {
    ...(f.type ? { type: f.type } : {}),
    ks: { statistic: f.ks.statistic, pValue: f.ks.pValue, drifted: f.ks.drifted, threshold: f.ks.threshold, method: f.ks.method as "exact" | "asymp" },
    psi: { score: f.psi.score, drifted: f.psi.drifted, threshold: f.psi.threshold, bins: f.psi.bins },
    referenceSize: f.referenceSize,
    currentSize: f.currentSize,
  };
}

function driftEntry(c: DriftCheckWithModel): DriftCheck {
  const score = JSON.parse(c.score) as Partial<Record<keyof DriftCheck["score"], StoredCheck>>;
  const stored = JSON.parse(c.features) as Record<string, StoredFeature>;
  const detail = JSON.parse(c.detail) as StoredDetail;
  const features: Record<string, FeatureOutcome> = {};
  const notes: Record<string, string> = {};
  for (const [col, f] of Object.entries(stored)) {
    const outcome = featureOutcome(f);
    if (outcome) features[col] = outcome;
    else notes[col] = f.note ?? "not compared";
  }
  return {
    id: c.id,
    runId: c.runId,
    createdAt: c.createdAt.toISOString(),
    ...periodView(c),
    modelVersion: c.modelVersion.version,
    modelVersionId: c.modelVersionId,
    newScore: c.newScore,
    score: Object.fromEntries(
      Object.entries(score).map(([id, s]) => [id, { drifted: s.drifted, threshold: s.threshold, status: s.status, inputs: s.inputs, inTrigger: s.inTrigger ?? false }]),
    ),
    features,
    ...(Object.keys(notes).length ? { featureNotes: notes } : {}),
    triggered: c.triggered,
    trigger: detail.trigger ?? [],
    fired: detail.fired ?? [],
    history: detail.history ?? [],
    ttest: detail.ttest ?? null,
    gate: detail.gate ?? null,
  };
}

/** GET /api/drift: drift checks NEWEST FIRST (one per run that checked for drift), `limit` below `before`. */
export async function driftView(db: Db, { limit = DRIFT_DEFAULT_LIMIT, before, runId, period }: Partial<PageRequest> & { runId?: number } = {}): Promise<z.infer<typeof DriftResponse>> {
  const { items, nextCursor } = newestFirstPage(await listDriftChecks(db, { take: limit + 1, before, runId, period }), limit);
  return { order: "newest-first" as const, checks: items.map(driftEntry), nextCursor };
}

/** GET /api/runs: newest first, `limit` below `before`. */
export async function runsView(db: Db, { limit = DEFAULT_LIMIT, before, period }: Partial<PageRequest> = {}): Promise<z.infer<typeof RunsResponse>> {
  const { items, nextCursor } = newestFirstPage(await listRuns(db, { take: limit + 1, before, period }), limit);
  return { runs: items.map(runView), nextCursor };
}

/** GET /api/runs/:id: the run, its stored step timings and its drift check. 404 for an unknown id. */
export async function runDetailView(db: Db, { id }: { id: number }): Promise<z.infer<typeof RunDetailResponse>> {
  const run = await getRun(db, { id });
  if (!run) throw new AppError("not_found:run", `No pipeline run with id ${id}. GET /api/runs lists them.`);
  const [timings, checks] = await Promise.all([listRunTimings(db, { runId: id }), listDriftChecks(db, { runId: id, take: 1 })]);
  return {
    ...runView(run),
    timings: timings.map((t) => ({ step: t.step, ms: t.ms, source: t.source, createdAt: t.createdAt.toISOString() })),
    driftCheck: checks[0] ? driftEntry(checks[0]) : null,
  };
}

/**
 * GET /api/diagnostics: API.md's { missing, timings, dependencies, checkedAt } from the
 * database only (the dependency list is the cache; this never calls npm), plus integrity,
 * stability and timing-check extras. `timings` summarises pipeline/API/CLI step times and
 * the prediction intervals (lib/reads/step-timings.ts: counts over all history in SQL,
 * quantiles over the newest 1000 per step); timing-check means are reported apart in `timingCheck`.
 */
export async function diagnosticsView(db: Db): Promise<z.infer<typeof DiagnosticsResponse>> {
  const [integrity, timings, checkTimings, deps] = await Promise.all([
    summarizeIntegrity(db),
    stepTimings(db, { excludeSource: "timing-check" }),
    listRecentTimings(db, { take: 50, source: "timing-check" }),
    listDependencyChecks(db),
  ]);
  const dependenciesCheckedAt = deps.length ? deps.reduce((a, d) => (d.checkedAt > a ? d.checkedAt : a), deps[0].checkedAt) : null;
  const latestCheck: Record<string, { meanMs: number; checkedAt: string }> = {};
  for (const t of checkTimings) if (!latestCheck[t.step]) latestCheck[t.step] = { meanMs: t.ms, checkedAt: t.createdAt.toISOString() };
  const sched = scheduleState();
  return {
    missing: integrity.missing,
    timings: Object.fromEntries(Object.entries(timings).map(([step, t]) => [step, { lastMs: t.lastMs, p50Ms: t.p50Ms, p95Ms: t.p95Ms, meanMs: t.meanMs, count: t.count, lastAt: t.lastAt }])),
    dependencies: deps.map((d) => ({
      name: d.name,
      declared: d.declared,
      installed: d.installed,
      latest: d.latest,
      status: d.status as "current" | "outdated" | "unknown",
      reason: d.reason,
      checkedAt: d.checkedAt.toISOString(),
    })),
    checkedAt: new Date().toISOString(),
    dependenciesCheckedAt: dependenciesCheckedAt?.toISOString() ?? null,
    trainingRows: integrity.trainingRows,
    missingByFile: integrity.files as z.infer<typeof IntegrityFileEntry>[],
    imputedByColumn: integrity.imputedByColumn,
    quarantined: integrity.quarantined,
    stability: integrity.stability,
    timingCheck: Object.keys(latestCheck).length ? latestCheck : null,
    schedule: sched,
  };
}

/** GET /api/diagnostics/stability: every snapshot against its predecessor, oldest first. */
export async function stabilityView(db: Db): Promise<z.infer<typeof StabilityResponse>> {
  return { snapshots: stabilitySeries(await listSnapshots(db)) };
}

/** GET /api/diagnostics/quarantine: rejected rows, newest first, `limit` below `before` (then `skip`). */
export async function quarantineView(db: Db, { limit = QUARANTINE_DEFAULT_LIMIT, before, skip, datasetId }: Partial<PageRequest> & { skip?: number; datasetId?: number } = {}): Promise<z.infer<typeof QuarantineResponse>> {
  const { rows, total } = await listQuarantine(db, { take: limit + 1, before, skip, datasetId });
  const { items, nextCursor } = newestFirstPage(rows, limit);
  return {
    total,
    nextCursor,
    rows: items.map((r) => {
      let raw: Record<string, string> | string = r.raw;
      try {
        raw = JSON.parse(r.raw) as Record<string, string>;
      } catch {
        /* keep the text */
      }
      return { id: r.id, datasetId: r.datasetId, dataset: r.dataset.name, row: r.rowNumber, column: r.column, problem: r.problem, raw, createdAt: r.createdAt.toISOString() };
    }),
  };
}

/** GET /api/alerts: newest first, `limit` below `before`; `open` only the unacknowledged ones. */
export async function alertsView(db: Db, { limit = DEFAULT_LIMIT, before, open, period }: Partial<PageRequest> & { open?: boolean } = {}): Promise<z.infer<typeof AlertsResponse>> {
  const { items, nextCursor } = newestFirstPage(await listAlerts(db, { take: limit + 1, before, open, period }), limit);
  return {
    alerts: items.map((a) => ({
      id: a.id,
      kind: a.kind as AlertKind,
      message: a.message,
      runId: a.runId,
      createdAt: a.createdAt.toISOString(),
      ...periodView(a),
      delivered: a.delivered,
      deliveryInfo: a.deliveryInfo,
      acknowledged: a.acknowledged,
    })),
    nextCursor,
  };
}
