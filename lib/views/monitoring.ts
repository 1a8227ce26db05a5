import { z } from "zod";
import type { Db } from "../db/client";
import { listAlerts } from "../db/alerts";
import { listSnapshots } from "../db/datasets";
import { listDependencyChecks, listQuarantine, listRecentTimings, listRunTimings } from "../db/diagnostics";
import { listDriftChecks, type DriftCheckWithModel } from "../db/drift";
import { getRun, listRuns } from "../db/runs";
import { AppError } from "../errors";
import { summarizeIntegrity } from "../diagnostics/integrity";
import { stabilitySeries } from "../diagnostics/stability";
import { summarizeTimings } from "../diagnostics/timings";
import { TIMING_CHECK_MAX_ITERATIONS } from "../diagnostics/timing-check";
import { runView, type RunView } from "../pipeline/full";
import { scheduleState } from "../scheduler/schedule";

/*
 * Read models of the monitoring routes in the shapes of shared/API.md (extra fields are
 * allowed there and used by the dashboard): drift checks, runs, diagnostics, quarantine,
 * alerts. Request bodies of the monitoring POST routes are validated with the schemas here.
 */

export const startRunBody = z.object({ trigger: z.enum(["api", "ui"]).default("api") }).strict();
export const timingCheckBody = z.object({ iterations: z.number().int().min(1).max(TIMING_CHECK_MAX_ITERATIONS).default(3) }).strict();

type StoredCheck = { drifted: boolean | null; threshold: number | null; status: string; inputs?: unknown; inTrigger?: boolean };
type StoredFeature = {
  ks: { statistic: number; pValue: number; method?: string; threshold: number; drifted: boolean } | null;
  psi: { score: number; threshold: number; drifted: boolean; bins?: unknown } | null;
  referenceSize: number;
  currentSize: number;
  note?: string;
};

function driftEntry(c: DriftCheckWithModel) {
  const score = JSON.parse(c.score) as Record<string, StoredCheck>;
  const stored = JSON.parse(c.features) as Record<string, StoredFeature>;
  const detail = JSON.parse(c.detail) as Record<string, unknown>;
  const features: Record<string, unknown> = {};
  const notes: Record<string, string> = {};
  for (const [col, f] of Object.entries(stored)) {
    if (!f.ks || !f.psi) {
      notes[col] = f.note ?? "not compared";
      continue;
    }
    features[col] = {
      ks: { statistic: f.ks.statistic, pValue: f.ks.pValue, drifted: f.ks.drifted, threshold: f.ks.threshold, method: f.ks.method },
      psi: { score: f.psi.score, drifted: f.psi.drifted, threshold: f.psi.threshold, bins: f.psi.bins },
      referenceSize: f.referenceSize,
      currentSize: f.currentSize,
    };
  }
  return {
    id: c.id,
    runId: c.runId,
    createdAt: c.createdAt.toISOString(),
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

/** GET /api/drift: drift checks NEWEST FIRST (one per run that checked for drift). */
export async function driftView(db: Db, { take = 200, runId }: { take?: number; runId?: number } = {}) {
  const checks = await listDriftChecks(db, { take, runId });
  return { order: "newest-first" as const, checks: checks.map(driftEntry) };
}

/** GET /api/runs: newest first. */
export async function runsView(db: Db, { take = 100 }: { take?: number } = {}): Promise<{ runs: RunView[] }> {
  return { runs: (await listRuns(db, { take })).map(runView) };
}

/** GET /api/runs/:id: the run, its stored step timings and its drift check. 404 for an unknown id. */
export async function runDetailView(db: Db, { id }: { id: number }) {
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
 * stability and timing-check extras. `timings` summarises pipeline/API/CLI step times (the
 * newest 5000); timing-check means are reported apart in `timingCheck`.
 */
export async function diagnosticsView(db: Db) {
  const [integrity, timings, checkTimings, deps] = await Promise.all([
    summarizeIntegrity(db),
    listRecentTimings(db, { take: 5000, excludeSource: "timing-check" }),
    listRecentTimings(db, { take: 50, source: "timing-check" }),
    listDependencyChecks(db),
  ]);
  const dependenciesCheckedAt = deps.length ? deps.reduce((a, d) => (d.checkedAt > a ? d.checkedAt : a), deps[0].checkedAt) : null;
  const latestCheck: Record<string, { meanMs: number; checkedAt: string }> = {};
  for (const t of checkTimings) if (!latestCheck[t.step]) latestCheck[t.step] = { meanMs: t.ms, checkedAt: t.createdAt.toISOString() };
  const sched = scheduleState();
  return {
    missing: integrity.missing,
    timings: summarizeTimings(timings),
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
    missingByFile: integrity.files,
    imputedByColumn: integrity.imputedByColumn,
    quarantined: integrity.quarantined,
    stability: integrity.stability,
    timingCheck: Object.keys(latestCheck).length ? latestCheck : null,
    schedule: sched,
  };
}

/** GET /api/diagnostics/stability: every snapshot against its predecessor, oldest first. */
export async function stabilityView(db: Db) {
  return { snapshots: stabilitySeries(await listSnapshots(db)) };
}

/** GET /api/diagnostics/quarantine: rejected rows, newest first. */
export async function quarantineView(db: Db, opts: { take?: number; skip?: number; datasetId?: number } = {}) {
  const { rows, total } = await listQuarantine(db, opts);
  return {
    total,
    rows: rows.map((r) => {
      let raw: unknown = r.raw;
      try {
        raw = JSON.parse(r.raw);
      } catch {
        /* keep the text */
      }
      return { id: r.id, datasetId: r.datasetId, dataset: r.dataset.name, row: r.rowNumber, column: r.column, problem: r.problem, raw, createdAt: r.createdAt.toISOString() };
    }),
  };
}

/** GET /api/alerts: newest first. */
export async function alertsView(db: Db, { open }: { open?: boolean } = {}) {
  const alerts = await listAlerts(db, { open });
  return {
    alerts: alerts.map((a) => ({
      id: a.id,
      kind: a.kind,
      message: a.message,
      runId: a.runId,
      createdAt: a.createdAt.toISOString(),
      delivered: a.delivered,
      deliveryInfo: a.deliveryInfo,
      acknowledged: a.acknowledged,
    })),
  };
}
