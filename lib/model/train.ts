import { loadConfig } from "../config";
import { databaseUrlOf, type Db } from "../db/client";
import { readTrainingColumns } from "../db/columns";
import { currentSchema } from "../db/stored-schema";
import { countRecords } from "../db/datasets";
import { createModelVersion } from "../db/models";
import type { ModelVersion } from "../db/types";
import { AppError } from "../errors";
import { loadTestData, type TestData } from "../ingestion/test-data";
import { coefficientTable, type CoefficientTable } from "./coefficients";
import { maxF1ThresholdOn } from "./evaluate";
import { checkTrainable, DEFAULT_HYPER_PARAMETERS, trainLogisticColumns, type HyperParameters, type ModelParameters } from "./logistic";
import type { ThresholdChoice } from "./stored";
import type { DataColumns } from "../schema/columns";

/*
 * Training a model version on every stored record: the preconditions, checked before anything
 * is written, and the training itself. The train step (lib/pipeline/steps/train.ts) — behind
 * POST /api/train, the full process and `npm run pipeline -- train` — checks the one and then
 * does the other.
 */

export interface TrainingOptions {
  threshold?: ThresholdChoice;
  /** the labelled test data the new version will be scored on ("max-f1" also chooses its threshold there) */
  testPath?: string;
}

/**
 * Whether a model version can be trained now, before anything is written: there are training
 * records (409 conflict:no_training_data), enough of them with both classes (422
 * unprocessable:training, lib/model/logistic.ts checkTrainable), the test data exists when
 * `testPath` is given (409 conflict:test_data), and a "max-f1" threshold has an exited client
 * in it to choose on (422 unprocessable:threshold). Returns the test data when it was read.
 */
export async function checkTrainingPreconditions(db: Db, { threshold, testPath }: TrainingOptions = {}): Promise<TestData | null> {
  const { rows, positives } = await countRecords(db);
  if (rows === 0) {
    throw new AppError("conflict:no_training_data", "There are no training records yet. Upload labelled CSVs with POST /api/ingest first.");
  }
  checkTrainable(rows, positives);
  if (!testPath) {
    if (threshold === "max-f1") throw new AppError("internal:train", 'A "max-f1" threshold needs the test data path.');
    return null;
  }
  const test = await loadTestData(db, testPath);
  if (threshold === "max-f1" && !test.data.label.includes(1)) {
    throw new AppError(
      "unprocessable:threshold",
      `The test data (${test.dataset.name}) has no client with exited=1, so no threshold maximises F1 on it; send a number in (0, 1) instead of "max-f1".`,
    );
  }
  return test;
}

/** The coefficient table of a fitted model on its training columns; null (logged) when the information matrix is singular. */
function coefficientsOf(model: ModelParameters, data: DataColumns, atFit?: { hessian: number[]; gradient: number[] }): CoefficientTable | null {
  try {
    return coefficientTable(model, data, { atFit });
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    console.warn(`[train] no coefficient table: ${e.message}`);
    return null;
  }
}

/**
 * Train a new model version on every training record and store it (not deployed). The threshold
 * is the default 0.5 unless `threshold` says otherwise; "max-f1" chooses it on `test`.
 */
export async function trainModelVersion(db: Db, { threshold, test }: { threshold?: ThresholdChoice; test: TestData | null }): Promise<ModelVersion> {
  const schema = await currentSchema(db);
  const data = await readTrainingColumns(databaseUrlOf(db), schema);
  const start = performance.now();
  const hp: HyperParameters = {
    ...DEFAULT_HYPER_PARAMETERS,
    ...(typeof threshold === "number" ? { threshold } : {}),
    thresholdRule: threshold === "max-f1" ? "max-f1" : "fixed",
    minLevelCount: loadConfig().MIN_LEVEL_COUNT,
  };
  const { model: params, fit, atFit } = trainLogisticColumns(data, schema, hp);
  if (threshold === "max-f1" && test) params.hyperParameters = { ...hp, threshold: maxF1ThresholdOn(params, test.data) };
  const trainingMs = performance.now() - start;
  return createModelVersion(db, {
    algorithm: params.algorithm,
    hyperParameters: params.hyperParameters,
    // `fit` says how the solver ended (steps, converged, log-loss); prediction reads only the weights
    weights: { intercept: params.intercept, coefficients: params.coefficients, fit },
    scaler: params.scaler,
    encoding: params.encoding,
    trainedRows: data.n,
    maxRecordId: data.maxId,
    trainingMs,
    coefficients: coefficientsOf(params, data, atFit),
  });
}

/** Check the preconditions, then train: what every caller that trains does. */
export async function trainChecked(db: Db, opts: TrainingOptions = {}): Promise<ModelVersion> {
  const test = await checkTrainingPreconditions(db, opts);
  return trainModelVersion(db, { threshold: opts.threshold, test });
}
