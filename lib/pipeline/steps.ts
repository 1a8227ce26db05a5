import type { Db } from "../db/client";
import type { ModelVersion, Score } from "../db/types";
import { recordScore, deployModelVersion, type DeploymentWithModel } from "../db/models";
import { loadTestData } from "../ingestion/test-data";
import { evaluate, type ScoredSet } from "../model/evaluate";
import { modelParameters } from "../model/stored";
import { checkTrainingPreconditions, trainModelVersion, type TrainingOptions } from "../model/train";
import { timeStep } from "../diagnostics/time-step";

export interface StepContext {
  db: Db;
  runId?: number | null;
  /** who asked: cli | api | ui | pipeline | bootstrap | schedule */
  trigger: string;
}

/**
 * Train a new model version on every training record (not deployed): POST /api/train, the full
 * process and `npm run pipeline -- train`. The preconditions (lib/model/train.ts) are checked
 * first, so a refusal writes nothing — not even a timing; the training itself is timed.
 */
export async function trainStep(ctx: StepContext, opts: TrainingOptions = {}): Promise<ModelVersion> {
  const test = await checkTrainingPreconditions(ctx.db, opts);
  const { value } = await timeStep(ctx.db, "train", () => trainModelVersion(ctx.db, { threshold: opts.threshold, test }), { runId: ctx.runId, source: ctx.trigger });
  return value;
}

/** Score a model version on the test data and record the score. */
export async function scoreStep(ctx: StepContext, model: ModelVersion, testPath: string): Promise<Score & { scores: ScoredSet }> {
  const { value } = await timeStep(
    ctx.db,
    "score",
    async () => {
      const test = await loadTestData(ctx.db, testPath);
      const scores = evaluate(modelParameters(model), test.rows);
      const score = await recordScore(ctx.db, { modelVersionId: model.id, dataset: test.dataset, kind: "test", runId: ctx.runId, scores });
      return { ...score, scores };
    },
    { runId: ctx.runId, source: ctx.trigger },
  );
  return value;
}

export async function deployStep(ctx: StepContext, modelVersionId: number, reason: string): Promise<DeploymentWithModel> {
  const { value } = await timeStep(
    ctx.db,
    "deploy",
    () => deployModelVersion(ctx.db, { modelVersionId, reason, trigger: ctx.trigger }),
    { runId: ctx.runId, source: ctx.trigger },
  );
  return value;
}

// Moved to their layers (lib/model, lib/ingestion, lib/db); re-exported for the importers of this path.
export { evaluate, evaluateColumns, scoreProbabilities, type ScoredSet } from "../model/evaluate";
export { modelParameters, thresholdChoiceOf, type ThresholdChoice } from "../model/stored";
export { loadTestData, type TestData } from "../ingestion/test-data";
export { requireDeployedModel, requireModelVersion } from "../db/models";
