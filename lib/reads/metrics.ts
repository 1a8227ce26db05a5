import { Counter, Gauge, Registry } from "prom-client";
import { DATASET_ROLES, RUN_OUTCOMES, RUN_STATUSES, SCORE_CHECK_IDS as SCORE_CHECKS } from "../vocabulary";
import type { Db } from "../db/client";
import { countRecords, countRejectedRows } from "../db/datasets";
import { countDatasetsByRole, countModelVersions, countOpenAlerts, getLatestDriftCheck, getLatestRun } from "../db/metrics";
import { getCurrentDeployment, getLatestTestScore } from "../db/models";
import { predictionMetricsText } from "../prediction/metrics";
import { stepTimings } from "./step-timings";

/*
 * GET /api/metrics: Prometheus text exposition, built in a fresh Registry per request from the
 * database (not process-global counters), so any process answers with the same values — plus
 * this process's unflushed prediction timings (lib/diagnostics/timing-aggregator.ts) and its
 * prediction latency histogram (lib/prediction/metrics.ts), which no database row holds.
 * Durations are in seconds (Prometheus convention); step quantiles as in lib/reads/step-timings.ts.
 */

const PREFIX = "dra_";

interface StoredScoreCheck {
  drifted?: boolean | null;
  threshold?: number | null;
  status?: string;
}
interface StoredFeatureDrift {
  ks?: { statistic?: number; pValue?: number; drifted?: boolean };
  psi?: { score?: number; drifted?: boolean };
  /** categorical features */
  chi2?: { statistic?: number; pValue?: number; drifted?: boolean };
  js?: { distance?: number; drifted?: boolean };
  unseen?: { share?: number; drifted?: boolean };
}

/** The methods of a stored feature entry whose drift flag is exported (numeric: ks, psi; categorical: chi2, js, psi, unseen). */
const FEATURE_METHODS = ["ks", "chi2", "js", "psi", "unseen"] as const;

function parseJson<T>(text: string, fallback: T): T {
  try {
    return (JSON.parse(text) as T) ?? fallback;
  } catch {
    return fallback;
  }
}

const finite = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

type MetricFactory = {
  gauge: (name: string, help: string, labelNames?: string[]) => Gauge;
  counter: (name: string, help: string, labelNames?: string[]) => Counter;
};

function metricFactory(registry: Registry): MetricFactory {
  return {
    gauge: (name, help, labelNames = []) => new Gauge({ name: PREFIX + name, help, labelNames, registers: [registry] }),
    counter: (name, help, labelNames = []) => new Counter({ name: PREFIX + name, help, labelNames, registers: [registry] }),
  };
}

export async function metricsText(db: Db): Promise<{ contentType: string; body: string }> {
  const [deployment, drift, durations, datasets, records, rejected, models, run, alerts] = await Promise.all([
    getCurrentDeployment(db),
    getLatestDriftCheck(db),
    stepTimings(db),
    countDatasetsByRole(db),
    countRecords(db),
    countRejectedRows(db),
    countModelVersions(db),
    getLatestRun(db),
    countOpenAlerts(db),
  ]);
  const score = deployment ? await getLatestTestScore(db, { modelVersionId: deployment.modelVersionId }) : null;

  const registry = new Registry();
  const m = metricFactory(registry);
  deployedModelMetrics(m, { deployment, f1: score?.f1 ?? null, models });
  if (drift) driftMetrics(m, drift);
  stepMetrics(m, durations);
  dataMetrics(m, { records: records.rows, datasets, rejected });
  runMetrics(m, run);
  m.gauge("open_alerts", "alerts not acknowledged yet").set(alerts);

  const [own, prediction] = await Promise.all([registry.metrics(), predictionMetricsText()]);
  return { contentType: registry.contentType, body: `${own.trimEnd()}\n\n${prediction}` };
}

function deployedModelMetrics(
  { gauge }: MetricFactory,
  { deployment, f1, models }: { deployment: { deployedAt: Date; modelVersion: { version: number } } | null; f1: number | null; models: number },
): void {
  gauge("model_deployed", "1 when a model version is deployed, else 0").set(deployment ? 1 : 0);
  const version = gauge("deployed_model_version", "version number of the deployed model");
  const f1Gauge = gauge("deployed_model_f1", "F1 of the deployed model on the test data (latest recorded score)");
  const deployedAt = gauge("deployed_model_deployed_timestamp_seconds", "when the deployed model went live (Unix time)");
  if (deployment) {
    version.set(deployment.modelVersion.version);
    deployedAt.set(deployment.deployedAt.getTime() / 1000);
    if (f1 !== null) f1Gauge.set(f1);
  }
  gauge("model_versions", "number of trained model versions").set(models);
}

/** The drift flags of the latest drift check. */
function driftMetrics({ gauge }: MetricFactory, drift: { createdAt: Date; triggered: boolean; newScore: number | null; score: string; features: string }): void {
  const scoreDrift = gauge("drift_score_check_drifted", "latest drift check: 1 drift, 0 no drift, -1 could not run (insufficient history)", ["check"]);
  const scoreThreshold = gauge("drift_score_check_threshold", "latest drift check: the threshold the new F1 was compared with", ["check"]);
  const triggered = gauge("drift_triggered", "latest drift check: 1 when it triggered retraining");
  const newScore = gauge("drift_new_score", "latest drift check: the new F1 of the deployed model");
  const featureDrift = gauge("drift_feature_drifted", "latest drift check: 1 when the feature drifted by the method", ["feature", "method"]);
  const ksStat = gauge("drift_feature_ks_statistic", "latest drift check: two-sample KS statistic per feature", ["feature"]);
  const ksP = gauge("drift_feature_ks_p_value", "latest drift check: KS p-value per feature", ["feature"]);
  const psi = gauge("drift_feature_psi", "latest drift check: population stability index per feature", ["feature"]);
  const chi2Stat = gauge("drift_feature_chi2_statistic", "latest drift check: chi-square statistic of homogeneity per categorical feature", ["feature"]);
  const chi2P = gauge("drift_feature_chi2_p_value", "latest drift check: chi-square p-value per categorical feature", ["feature"]);
  const js = gauge("drift_feature_js_distance", "latest drift check: Jensen-Shannon distance (base 2) per categorical feature", ["feature"]);
  const unseen = gauge("drift_feature_unseen_share", "latest drift check: share of current rows in levels the reference never had, per categorical feature", ["feature"]);
  const checkedAt = gauge("drift_check_timestamp_seconds", "when the latest drift check ran (Unix time)");
  checkedAt.set(drift.createdAt.getTime() / 1000);
  triggered.set(drift.triggered ? 1 : 0);
  if (finite(drift.newScore)) newScore.set(drift.newScore);
  const checks = parseJson<Record<string, StoredScoreCheck>>(drift.score, {});
  for (const id of SCORE_CHECKS) {
    const c = checks[id];
    if (!c) continue;
    scoreDrift.set({ check: id }, c.drifted === true ? 1 : c.drifted === false ? 0 : -1);
    if (finite(c.threshold)) scoreThreshold.set({ check: id }, c.threshold);
  }
  const features = parseJson<Record<string, StoredFeatureDrift>>(drift.features, {});
  for (const [feature, d] of Object.entries(features)) {
    for (const method of FEATURE_METHODS) {
      const flag = d?.[method]?.drifted;
      if (typeof flag === "boolean") featureDrift.set({ feature, method }, flag ? 1 : 0);
    }
    if (finite(d?.ks?.statistic)) ksStat.set({ feature }, d.ks.statistic);
    if (finite(d?.ks?.pValue)) ksP.set({ feature }, d.ks.pValue);
    if (finite(d?.psi?.score)) psi.set({ feature }, d.psi.score);
    if (finite(d?.chi2?.statistic)) chi2Stat.set({ feature }, d.chi2.statistic);
    if (finite(d?.chi2?.pValue)) chi2P.set({ feature }, d.chi2.pValue);
    if (finite(d?.js?.distance)) js.set({ feature }, d.js.distance);
    if (finite(d?.unseen?.share)) unseen.set({ feature }, d.unseen.share);
  }
}

/** Step latencies and the prediction count. */
function stepMetrics({ gauge, counter }: MetricFactory, durations: Awaited<ReturnType<typeof stepTimings>>): void {
  const stepQuantile = gauge(
    "step_duration_seconds",
    "step duration percentiles (50, 95) over the latest 1000 runs of the step (predict: this process's latest 1000 requests, else the newest stored minute); the label is not `quantile`, which Prometheus keeps for summaries",
    ["step", "percentile"],
  );
  const stepLast = gauge("step_last_duration_seconds", "duration of the latest run of the step", ["step"]);
  const stepCount = counter("step_executions_total", "recorded executions of the step", ["step"]);
  const stepSum = counter("step_time_spent_seconds_total", "total recorded time spent in the step", ["step"]);
  for (const [step, d] of Object.entries(durations)) {
    stepCount.inc({ step }, d.count);
    stepSum.inc({ step }, d.sumMs / 1000);
    stepLast.set({ step }, d.lastMs / 1000);
    stepQuantile.set({ step, percentile: "50" }, d.p50Ms / 1000);
    stepQuantile.set({ step, percentile: "95" }, d.p95Ms / 1000);
  }
  const predictions = counter("prediction_requests_total", "answered prediction requests (POST /api/prediction)");
  predictions.inc(durations.predict?.count ?? 0);
}

function dataMetrics(
  { gauge }: MetricFactory,
  { records, datasets, rejected }: { records: number; datasets: { role: string; count: number }[]; rejected: number },
): void {
  gauge("training_records", "training records stored (after dedupe)").set(records);
  const byRole = gauge("datasets", "ingested files in the ledger, by role", ["role"]);
  for (const role of DATASET_ROLES) byRole.set({ role }, datasets.find((d) => d.role === role)?.count ?? 0);
  gauge("rejected_rows", "rows in the quarantine").set(rejected);
}

/** The latest pipeline run. */
function runMetrics({ gauge }: MetricFactory, run: { id: number; status: string; outcome: string | null; startedAt: Date } | null): void {
  const runStatus = gauge("last_run_status", "status of the latest pipeline run (1 for the current status)", ["status"]);
  const runOutcome = gauge("last_run_outcome", "outcome of the latest pipeline run (1 for the current outcome)", ["outcome"]);
  const runStarted = gauge("last_run_started_timestamp_seconds", "when the latest pipeline run started (Unix time)");
  const runId = gauge("last_run_id", "id of the latest pipeline run");
  if (!run) return;
  for (const s of RUN_STATUSES) runStatus.set({ status: s }, run.status === s ? 1 : 0);
  for (const o of RUN_OUTCOMES) runOutcome.set({ outcome: o }, run.outcome === o ? 1 : 0);
  runStarted.set(run.startedAt.getTime() / 1000);
  runId.set(run.id);
}
