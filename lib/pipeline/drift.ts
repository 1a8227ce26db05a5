import { databaseUrlOf, type Db } from "../db/client";
import { readTrainingColumns, type TrainingColumns } from "../db/columns";
import { findNewestUnlabelledBatch } from "../db/batches";
import { createDriftCheck } from "../db/drift";
import { getCurrentDeployment } from "../db/models";
import type { DriftCheck } from "../db/types";
import type { Feature } from "../domain";
import { describeFeatures, featureDriftObserved, observedColumns, type FeatureDriftEntry } from "../drift/observed-feature-drift";
import type { ScoreHistory } from "../drift/score-history";
import { runEstimatedCheck, runScoreChecks, type ScoreCheckResult } from "../drift/score-checks";
import { SCORE_CHECK_IDS, type ScoreCheckId } from "../vocabulary";
import { PSI_BINS, PSI_EMPTY_BIN_SHARE } from "../stats/psi";

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
