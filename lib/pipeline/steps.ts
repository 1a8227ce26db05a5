import fs from "node:fs";
import path from "node:path";
import { parseClientCsv } from "../csv/parse-client-csv";
import { databaseUrlOf, type Db } from "../db/client";
import { readTrainingColumns } from "../db/columns";
import { upsertTestDataset } from "../db/datasets";
import type { Dataset, ModelVersion, Score } from "../db/types";
import {
  createModelVersion,
  recordScore,
  deployModelVersion,
  getCurrentDeployment,
  getModelVersion,
  type DeploymentWithModel,
} from "../db/models";
import { FEATURES, type LabelledRow } from "../domain";
import { AppError } from "../errors";
import { sha256 } from "../ingestion/ingest";
import { classificationScores, type ClassificationScores } from "../metrics/classification";
import { maxF1ThresholdOf, rankCounts } from "../metrics/ranking";
import { rankingMetrics, type RankingMetrics } from "../metrics/score-ranking";
import { coefficientTable, type CoefficientTable } from "../model/coefficients";
import {
  DEFAULT_HYPER_PARAMETERS,
  labelsAt,
  predictProbabilities,
  predictProbabilityColumns,
  trainLogisticColumns,
  type HyperParameters,
  type LabelledColumns,
  type ModelParameters,
} from "../model/logistic";
import { timed } from "./timing";

export interface StepContext {
  db: Db;
  runId?: number | null;
  /** who asked: cli | api | ui | pipeline | bootstrap | schedule */
  trigger: string;
}

/** The stored model as parameters the predictor understands. */
export function modelParameters(m: ModelVersion): ModelParameters {
  const weights = JSON.parse(m.weights) as Pick<ModelParameters, "intercept" | "coefficients">;
  return {
    algorithm: "logistic-regression",
    hyperParameters: JSON.parse(m.hyperParameters),
    scaler: JSON.parse(m.scaler),
    intercept: weights.intercept,
    coefficients: weights.coefficients,
  };
}

export interface TestData {
  dataset: Dataset;
  rows: LabelledRow[];
  /** rows of the file that could not be used (bad label or feature) */
  skipped: number;
}

/**
 * Read the labelled test file and register it in the ledger (role test). Rows with missing
 * features are skipped rather than imputed: a test score should only use what was observed.
 */
export async function loadTestData(db: Db, testPath: string): Promise<TestData> {
  if (!fs.existsSync(testPath)) {
    throw new AppError("conflict:test_data", `The test data file ${testPath} does not exist; set TEST_DATA to a labelled CSV.`);
  }
  // The file is read, parsed and registered once per version of it (size and modification time)
  // and database: GET /api/scoring asks for it on every request.
  const st = fs.statSync(testPath);
  const key = `${databaseUrlOf(db)}|${path.resolve(testPath)}`;
  const version = `${st.size}:${st.mtimeMs}`;
  const cached = testDataCache.get(key);
  if (cached?.version === version) return cached.data;
  const data = await readTestData(db, testPath);
  testDataCache.set(key, { version, data });
  return data;
}

const testDataCache = ((globalThis as unknown as { __draTestData?: Map<string, { version: string; data: TestData }> }).__draTestData ??= new Map());

async function readTestData(db: Db, testPath: string): Promise<TestData> {
  const content = fs.readFileSync(testPath);
  const parsed = parseClientCsv(content, { label: "required" });
  const rows: LabelledRow[] = [];
  for (const r of parsed.rows) {
    if (FEATURES.some((f) => r[f] === null) || r.exited === null) continue;
    rows.push({
      corporation: r.corporation,
      lastmonth_activity: r.lastmonth_activity as number,
      lastyear_activity: r.lastyear_activity as number,
      number_of_employees: r.number_of_employees as number,
      exited: r.exited,
    });
  }
  if (rows.length === 0) throw new AppError("unprocessable:test_data", `The test data file ${testPath} has no complete labelled rows.`);
  const dataset = await upsertTestDataset(db, {
    name: path.basename(testPath),
    sha256: sha256(content),
    rowsRead: parsed.rowsRead,
    rowsAccepted: rows.length,
    rejected: parsed.rowsRead - rows.length,
  });
  return { dataset, rows, skipped: parsed.rowsRead - rows.length };
}

/** Classification scores at the model's threshold, with the ranking and calibration of its probabilities. */
export type ScoredSet = ClassificationScores & { ranking: RankingMetrics };

/** Score probabilities against labels: the labels at `threshold` and the ranking metrics. */
export function scoreProbabilities(y: ArrayLike<number>, probabilities: ArrayLike<number>, threshold: number): ScoredSet {
  return { ...classificationScores(y, labelsAt(probabilities, threshold)), ranking: rankingMetrics(y, probabilities) };
}

export function evaluate(model: ModelParameters, rows: readonly LabelledRow[]): ScoredSet {
  return scoreProbabilities(
    rows.map((r) => r.exited),
    predictProbabilities(model, rows),
    model.hyperParameters.threshold,
  );
}

/** evaluate() for labelled columns (stored records read as typed arrays). */
export function evaluateColumns(model: ModelParameters, data: LabelledColumns): ScoredSet {
  return scoreProbabilities(data.exited, predictProbabilityColumns(model, data), model.hyperParameters.threshold);
}

/** How POST /api/train sets the threshold: a probability in (0, 1), or "max-f1" (chosen on the test data). */
export type ThresholdChoice = number | "max-f1";

/**
 * The threshold that maximises F1 of `model` on the test rows (lib/metrics/ranking.ts
 * maxF1ThresholdOf: the highest of the tied best). 422 when the test data has no exited client.
 */
export function maxF1ThresholdOn(model: ModelParameters, rows: readonly LabelledRow[]): number {
  const y = rows.map((r) => r.exited);
  if (!y.includes(1)) {
    throw new AppError(
      "unprocessable:threshold",
      'The test data has no client with exited=1, so no threshold maximises F1 on it; give a number instead of "max-f1", or use test data with both labels.',
    );
  }
  return maxF1ThresholdOf(rankCounts(y, predictProbabilities(model, rows))).threshold;
}

/**
 * The threshold choice a retrained version inherits from `model` (a version's threshold is a
 * hyper-parameter): "max-f1" is chosen again on the test data, a fixed number is kept;
 * undefined for the default.
 */
export function thresholdChoiceOf(model: ModelVersion): ThresholdChoice | undefined {
  const hp = modelParameters(model).hyperParameters;
  if (hp.thresholdRule === "max-f1") return "max-f1";
  return hp.threshold !== DEFAULT_HYPER_PARAMETERS.threshold ? hp.threshold : undefined;
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

/** The deployed model version, or a 409 that says how to get one. */
export async function requireDeployedModel(db: Db): Promise<DeploymentWithModel> {
  const d = await getCurrentDeployment(db);
  if (!d) {
    throw new AppError(
      "conflict:no_deployed_model",
      "No model is deployed yet. Ingest data and train (npm run pipeline -- full, or POST /api/train then POST /api/deploy).",
    );
  }
  return d;
}

export async function requireModelVersion(db: Db, id: number): Promise<ModelVersion> {
  const m = await getModelVersion(db, { id });
  if (!m) throw new AppError("not_found:model", `No model version with id ${id}. GET /api/models lists them.`);
  return m;
}
