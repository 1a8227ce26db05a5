import { databaseUrlOf, type Db } from "../db/client";
import { readTrainingColumns } from "../db/columns";
import type { ModelVersion, Score } from "../db/types";
import { createModelVersion, recordScore, deployModelVersion, type DeploymentWithModel } from "../db/models";
import { AppError } from "../errors";
import { loadTestData } from "../ingestion/test-data";
import { coefficientTable, type CoefficientTable } from "../model/coefficients";
import { evaluate, maxF1ThresholdOn, type ScoredSet } from "../model/evaluate";
import { DEFAULT_HYPER_PARAMETERS, trainLogisticColumns, type HyperParameters, type LabelledColumns, type ModelParameters } from "../model/logistic";
import { modelParameters, type ThresholdChoice } from "../model/stored";
import { timed } from "./timing";

export interface StepContext {
  db: Db;
  runId?: number | null;
  /** who asked: cli | api | ui | pipeline | bootstrap | schedule */
  trigger: string;
}

/** The coefficient table of a fitted model on its training columns; null (logged) when the information matrix is singular. */
function coefficientsOf(model: ModelParameters, data: LabelledColumns): CoefficientTable | null {
  try {
    return coefficientTable(model, data);
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    console.warn(`[train] no coefficient table: ${e.message}`);
    return null;
  }
}

/**
 * Train a new model version on every training record. Not deployed. The threshold is the
 * default 0.5 unless `threshold` says otherwise; "max-f1" reads the test data (`testPath`).
 */
export async function trainStep(ctx: StepContext, opts: { threshold?: ThresholdChoice; testPath?: string } = {}): Promise<ModelVersion> {
  const test = opts.threshold === "max-f1" ? await loadTestData(ctx.db, requireTestPath(opts.testPath)) : null;
  const { value } = await timed(
    ctx.db,
    "train",
    async () => {
      const data = await readTrainingColumns(databaseUrlOf(ctx.db));
      const start = performance.now();
      const hp: HyperParameters = {
        ...DEFAULT_HYPER_PARAMETERS,
        ...(typeof opts.threshold === "number" ? { threshold: opts.threshold } : {}),
        thresholdRule: opts.threshold === "max-f1" ? "max-f1" : "fixed",
      };
      const { model: params, fit } = trainLogisticColumns(data, hp);
      if (test) params.hyperParameters = { ...hp, threshold: maxF1ThresholdOn(params, test.rows) };
      const trainingMs = performance.now() - start;
      return createModelVersion(ctx.db, {
        algorithm: params.algorithm,
        hyperParameters: params.hyperParameters,
        // `fit` says how the solver ended (steps, converged, log-loss); prediction reads only the weights
        weights: { intercept: params.intercept, coefficients: params.coefficients, fit },
        scaler: params.scaler,
        trainedRows: data.n,
        maxRecordId: data.maxId,
        trainingMs,
        coefficients: coefficientsOf(params, data),
      });
    },
    { runId: ctx.runId, source: ctx.trigger },
  );
  return value;
}

function requireTestPath(testPath: string | undefined): string {
  if (!testPath) throw new AppError("internal:train", 'A "max-f1" threshold needs the test data path.');
  return testPath;
}

/** Score a model version on the test data and record the score. */
export async function scoreStep(ctx: StepContext, model: ModelVersion, testPath: string): Promise<Score & { scores: ScoredSet }> {
  const { value } = await timed(
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
  const { value } = await timed(
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
