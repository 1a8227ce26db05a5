import { databaseUrlOf, type Db } from "../../db/client";
import { readTrainingColumns } from "../../db/columns";
import { currentSchema } from "../../db/stored-schema";
import type { DataColumns } from "../../schema/columns";
import { findNewestUnlabelledBatch } from "../../db/batches";
import { createDriftCheck } from "../../db/drift";
import { getCurrentDeployment } from "../../db/models";
import type { DriftCheck } from "../../db/types";
import { describeFeatures, featureDriftOfColumns, type FeatureDriftEntry } from "../../drift/observed-feature-drift";
import type { ScoreHistory } from "../../drift/score-history";
import { runEstimatedCheck, runScoreChecks, type ScoreCheckResult } from "../../drift/score-checks";
import { SCORE_CHECK_IDS, type ScoreCheckId } from "../../vocabulary";
import { PSI_BINS, PSI_EMPTY_BIN_SHARE } from "../../stats/psi";
import { raiseAlert } from "../../alerts/notify";
import { driftAlertMessage, driftDetail, noDriftReason } from "../reasons";
import { newFileNames } from "./score-new-data";
import { filled, type Decision, type PipelineStep, type RunContext, type RunState } from "./types";

export interface DriftAssessment {
  driftCheck: DriftCheck;
  history: ScoreHistory;
  checks: Record<ScoreCheckId, ScoreCheckResult>;
  features: Record<string, FeatureDriftEntry>;
  /** the retrain checks (DRIFT_TRIGGER): drift by any of them retrains */
  retrainOn: ScoreCheckId[];
  triggered: boolean;
  /** the retrain checks that fired */
  fired: ScoreCheckId[];
  summary: string;
}

const fmt = (x: number | null | undefined, d = 4) => (x === null || x === undefined || !Number.isFinite(x) ? "n/a" : x.toFixed(d));

function describeCheck(id: ScoreCheckId, c: ScoreCheckResult, newScore: number): string {
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
async function estimatedCheck(db: Db, { modelVersionId, deployedScore }: { modelVersionId: number; deployedScore: number | null }): Promise<ScoreCheckResult> {
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
 * a DriftCheck of the run. Drift triggers a retrain when any check in `retrainOn` (the retrain
 * checks, DRIFT_TRIGGER) says drift; the stored detail keeps calling that list `trigger`.
 */
export async function assessDrift(
  db: Db,
  {
    runId,
    model,
    newScore,
    newRows,
    history,
    retrainOn,
  }: {
    runId: number | null;
    model: { id: number; version: number; maxRecordId: number };
    newScore: number;
    newRows: DataColumns;
    history: ScoreHistory;
    retrainOn: readonly ScoreCheckId[];
  },
): Promise<DriftAssessment> {
  const previous = history.entries.map((e) => e.f1);
  const deployedScore = history.deployedScore?.f1 ?? null;
  const checks: Record<ScoreCheckId, ScoreCheckResult> = {
    ...runScoreChecks({ history: previous, newScore, deployedScore }),
    estimated: await estimatedCheck(db, { modelVersionId: model.id, deployedScore }),
  };
  const schema = await currentSchema(db);
  const reference = await readTrainingColumns(databaseUrlOf(db), schema, { maxId: model.maxRecordId });
  const features = featureDriftOfColumns(schema, reference, newRows);
  const fired = retrainOn.filter((id) => checks[id].status === "drift");
  const triggered = fired.length > 0;
  const score = Object.fromEntries(
    SCORE_CHECK_IDS.map((id) => [id, { ...checks[id], inTrigger: retrainOn.includes(id) }]),
  );
  const detail = {
    trigger: retrainOn,
    fired,
    deployedScore: history.deployedScore ? { scoreId: history.deployedScore.scoreId, f1: history.deployedScore.f1 } : null,
    history: history.entries.map((e) => ({ scoreId: e.scoreId, f1: e.f1, modelVersion: e.modelVersion, source: e.source, refId: e.refId, at: e.at.toISOString() })),
    reference: { description: `training data of model version ${model.version} (records id ≤ ${model.maxRecordId}), imputed cells excluded`, rows: reference.n },
    current: { description: "rows ingested by this run, imputed cells excluded", rows: newRows.n },
    psi: { bins: PSI_BINS, emptyBinShare: PSI_EMPTY_BIN_SHARE },
  };
  const driftCheck = await createDriftCheck(db, { runId, modelVersionId: model.id, newScore, score, features, detail, triggered });
  const summary = `${SCORE_CHECK_IDS.map((id) => describeCheck(id, checks[id], newScore)).join("; ")}. Feature drift (reference ${reference.n} training rows vs ${newRows.n} new rows): ${describeFeatures(features)}`;
  return { driftCheck, history, checks, features, retrainOn: [...retrainOn], triggered, fired, summary };
}

/**
 * No drift by the retrain checks → `no-drift`, the champion stays. Drift → a drift alert, and
 * the run goes on to retrain.
 */
async function noDriftOrAlert(ctx: RunContext, s: RunState): Promise<Decision | null> {
  const champion = filled(s.deployed, "the deployed model").modelVersion;
  const drift = filled(s.drift, "the drift assessment");
  const newScore = filled(s.newScore, "the new score");
  const fileNames = newFileNames(s);
  if (!drift.triggered) {
    return { outcome: "no-drift", reason: noDriftReason(champion, newScore, filled(s.newRows, "the new rows").n, fileNames, drift) };
  }
  await raiseAlert(
    ctx.db,
    {
      kind: "drift",
      runId: ctx.run.id,
      message: driftAlertMessage(champion, newScore, fileNames, drift),
      details: { newScore: newScore.f1, fired: drift.fired, checks: drift.checks },
    },
    { webhookUrl: ctx.config.ALERT_WEBHOOK_URL },
  );
  return null;
}

/** The score-drift checks and per-feature drift of the new rows, against the deployed model. */
export const drift: PipelineStep = {
  name: "drift",
  async run(ctx, s) {
    s.drift = await assessDrift(ctx.db, {
      runId: ctx.run.id,
      model: filled(s.deployed, "the deployed model").modelVersion,
      newScore: filled(s.newScore, "the new score").f1,
      newRows: filled(s.newRows, "the new rows"),
      history: filled(s.history, "the score history"),
      retrainOn: ctx.config.DRIFT_TRIGGER,
    });
    return driftDetail(s.drift);
  },
  after: noDriftOrAlert,
};
