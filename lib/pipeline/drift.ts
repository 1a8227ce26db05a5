import { databaseUrlOf, type Db } from "../db/client";
import { observedValues, readTrainingColumns, type TrainingColumns } from "../db/columns";
import { findNewestUnlabelledBatch } from "../db/batches";
import { createDriftCheck, listScoreHistoryInputs } from "../db/drift";
import { getCurrentDeployment } from "../db/models";
import type { DriftCheck } from "../db/types";
import { FEATURES, type Feature } from "../domain";
import { FEATURE_DRIFT_METHODS } from "../drift/feature-drift";
import { runEstimatedCheck, runScoreChecks, type ScoreCheckResult } from "../drift/score-checks";
import { SCORE_CHECK_IDS, type ScoreCheckId } from "../vocabulary";
import { ksTwoSample } from "../stats/ks-two-sample";
import { populationStabilityIndex, PSI_BINS, PSI_EMPTY_BIN_SHARE, type PsiBin } from "../stats/psi";
import { buildScoreHistory, type ScoreHistory } from "./score-history";

/**
 * Observed feature values of stored records, per column. Cells filled by mean imputation are
 * left out: they were empty in the file, and the training mean would pull both samples
 * towards each other and hide drift.
 */
export function observedColumns(records: TrainingColumns): Record<Feature, Float64Array> {
  const out = {} as Record<Feature, Float64Array>;
  // Sorted once here: KS and PSI sort their copies again, which costs little on sorted input.
  for (const f of FEATURES) out[f] = Float64Array.from(observedValues(records, f)).sort();
  return out;
}

export interface FeatureDriftEntry {
  ks: { statistic: number; pValue: number; method: string; threshold: number; drifted: boolean } | null;
  psi: { score: number; threshold: number; drifted: boolean; bins: PsiBin[] } | null;
  referenceSize: number;
  currentSize: number;
  /** set when the feature could not be compared (no observed values on one side) */
  note?: string;
}

/**
 * KS (two-sided, scipy's ks_2samp method="auto") and PSI (10 reference deciles; an empty bin
 * counts as share 0.0001) per feature, with the default thresholds of FEATURE_DRIFT_METHODS
 * (KS drifted when p < 0.05, PSI drifted when > 0.2). Same rules as featureDrift(), feature
 * by feature, so that a column with no observed value on one side is reported instead of
 * failing the run.
 */
export function featureDriftObserved(reference: Record<Feature, ArrayLike<number>>, current: Record<Feature, ArrayLike<number>>): Record<Feature, FeatureDriftEntry> {
  const ksT = FEATURE_DRIFT_METHODS.ks.defaultThreshold;
  const psiT = FEATURE_DRIFT_METHODS.psi.defaultThreshold;
  const out = {} as Record<Feature, FeatureDriftEntry>;
  for (const f of FEATURES) {
    const ref = reference[f];
    const cur = current[f];
    if (ref.length === 0 || cur.length === 0) {
      out[f] = { ks: null, psi: null, referenceSize: ref.length, currentSize: cur.length, note: `no observed ${f} values in the ${ref.length === 0 ? "reference" : "current"} data` };
      continue;
    }
    const ks = ksTwoSample(ref, cur);
    const psi = populationStabilityIndex(ref, cur);
    out[f] = {
      ks: { statistic: ks.statistic, pValue: ks.pValue, method: ks.method, threshold: ksT, drifted: ks.pValue < ksT },
      psi: { score: psi.score, threshold: psiT, drifted: psi.score > psiT, bins: psi.bins },
      referenceSize: ref.length,
      currentSize: cur.length,
    };
  }
  return out;
}

export interface DriftAssessment {
  driftCheck: DriftCheck;
  history: ScoreHistory;
  checks: Record<ScoreCheckId, ScoreCheckResult>;
  features: Record<Feature, FeatureDriftEntry>;
  trigger: ScoreCheckId[];
  triggered: boolean;
  /** the trigger checks that fired */
  fired: ScoreCheckId[];
  summary: string;
}

export async function scoreHistory(db: Db): Promise<ScoreHistory> {
  const { deployments, scores } = await listScoreHistoryInputs(db);
  return buildScoreHistory(deployments, scores);
}

const fmt = (x: number | null | undefined, d = 4) => (x === null || x === undefined || !Number.isFinite(x) ? "n/a" : x.toFixed(d));

export function describeCheck(id: ScoreCheckId, c: ScoreCheckResult, newScore: number): string {
  if (id === "estimated") {
    if (c.status === "insufficient-history") return `estimated: no unlabelled monitored batch since the deployment`;
    return `estimated: ${c.status} (batch ${c.inputs.batchName ?? c.inputs.batchId} F1 ≈ ${fmt(c.inputs.estimatedF1)}, band upper ${fmt(c.inputs.estimatedF1Upper)} ${c.drifted ? "<" : "≥"} test F1 ${fmt(c.threshold)})`;
  }
  if (c.status === "insufficient-history") {
    return `${id}: insufficient history (${c.inputs.previous} previous score(s))`;
  }
  return `${id}: ${c.status} (new ${fmt(newScore)} ${c.drifted ? "<" : "≥"} threshold ${fmt(c.threshold)})`;
}

export function describeFeatures(features: Record<Feature, FeatureDriftEntry>): string {
  return FEATURES.map((f) => {
    const e = features[f];
    if (!e.ks || !e.psi) return `${f}: ${e.note}`;
    const flags = [e.ks.drifted ? "KS drift" : null, e.psi.drifted ? "PSI drift" : null].filter(Boolean).join(", ");
    return `${f}: KS D=${fmt(e.ks.statistic, 3)} p${e.ks.pValue < 1e-300 ? "<1e-300" : `=${e.ks.pValue.toPrecision(3)}`}, PSI=${fmt(e.psi.score, 3)}${flags ? ` (${flags})` : ""}`;
  }).join("; ");
}

/**
 * The `estimated` check (lib/drift/score-checks.ts ESTIMATED_CHECK) of the deployed model: its
 * newest monitored batch since the current deployment that still waits for labels.
 */
export async function estimatedCheck(db: Db, { modelVersionId, deployedScore }: { modelVersionId: number; deployedScore: number | null }): Promise<ScoreCheckResult> {
  const deployment = await getCurrentDeployment(db);
  const batch =
    deployment && deployment.modelVersionId === modelVersionId ? await findNewestUnlabelledBatch(db, { modelVersionId, since: deployment.deployedAt }) : null;
  return runEstimatedCheck({
    batch: batch && { id: batch.id, name: batch.name, rows: batch.rows, f1: { estimate: batch.estimatedF1, lower: batch.estimatedF1Lower, upper: batch.estimatedF1Upper } },
    deployedScore,
  });
}

/**
 * Step 3 of the loop: run the score-drift checks on the deployed model's new score against
 * its score history (read BEFORE the new score is stored), and per-feature drift between the
 * deployed model's training data (records id ≤ maxRecordId) and the new rows; store both as
 * a DriftCheck of the run. Drift triggers a retrain when any check in `trigger` says drift.
 */
export async function assessDrift(
  db: Db,
  {
    runId,
    model,
    newScore,
    newRows,
    history,
    trigger,
  }: {
    runId: number | null;
    model: { id: number; version: number; maxRecordId: number };
    newScore: number;
    newRows: TrainingColumns;
    history: ScoreHistory;
    trigger: readonly ScoreCheckId[];
  },
): Promise<DriftAssessment> {
  const previous = history.entries.map((e) => e.f1);
  const deployedScore = history.deployedScore?.f1 ?? null;
  const checks: Record<ScoreCheckId, ScoreCheckResult> = {
    ...runScoreChecks({ history: previous, newScore, deployedScore }),
    estimated: await estimatedCheck(db, { modelVersionId: model.id, deployedScore }),
  };
  const reference = await readTrainingColumns(databaseUrlOf(db), { maxId: model.maxRecordId });
  const features = featureDriftObserved(observedColumns(reference), observedColumns(newRows));
  const fired = trigger.filter((id) => checks[id].status === "drift");
  const triggered = fired.length > 0;
  const score = Object.fromEntries(
    SCORE_CHECK_IDS.map((id) => [id, { ...checks[id], inTrigger: trigger.includes(id) }]),
  );
  const detail = {
    trigger,
    fired,
    deployedScore: history.deployedScore ? { scoreId: history.deployedScore.scoreId, f1: history.deployedScore.f1 } : null,
    history: history.entries.map((e) => ({ scoreId: e.scoreId, f1: e.f1, modelVersion: e.modelVersion, source: e.source, refId: e.refId, at: e.at.toISOString() })),
    reference: { description: `training data of model version ${model.version} (records id ≤ ${model.maxRecordId}), imputed cells excluded`, rows: reference.n },
    current: { description: "rows ingested by this run, imputed cells excluded", rows: newRows.n },
    psi: { bins: PSI_BINS, emptyBinShare: PSI_EMPTY_BIN_SHARE },
  };
  const driftCheck = await createDriftCheck(db, { runId, modelVersionId: model.id, newScore, score, features, detail, triggered });
  const summary = `${SCORE_CHECK_IDS.map((id) => describeCheck(id, checks[id], newScore)).join("; ")}. Feature drift (reference ${reference.n} training rows vs ${newRows.n} new rows): ${describeFeatures(features)}`;
  return { driftCheck, history, checks, features, trigger: [...trigger], triggered, fired, summary };
}
