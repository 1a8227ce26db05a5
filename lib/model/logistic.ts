import LogisticRegressionTwoClasses from "ml-logistic-regression/src/logreg_2classes.js";
import { Matrix } from "ml-matrix";
import { mean, sampleStandardDeviation } from "simple-statistics";
import { FEATURES, type ClientFeatures, type Feature, type LabelledRow } from "../domain";
import { AppError } from "../errors";

/**
 * The one adapter around ml-logistic-regression. That library is plain full-batch gradient
 * descent with no intercept, no scaling and a gradient that is a *sum* over rows, so here:
 * features are z-scored with the training mean/SD, a column of ones is the intercept, and the
 * learning rate is divided by the number of rows so one setting converges at any data size.
 * The fitted weights are read out and stored as JSON; prediction needs no library at all.
 */

export interface HyperParameters {
  /** learning rate per row: the library gets learningRate / N */
  learningRate: number;
  numSteps: number;
  /** probability at or above which a client is predicted to exit */
  threshold: number;
}

/**
 * With z-scored features, an intercept column (orthogonal to the centred features) and the 1/N
 * scaling, the mean loss's gradient is Lipschitz with constant L ≤ 0.25·λmax(XᵀX/N) ≤ 0.25·3
 * (three features, correlations ≤ 1), so gradient descent cannot diverge for a rate below
 * 2/L ≈ 2.67; 1.9 keeps a margin. 4000 steps reach scikit-learn's unpenalised fit to 1e-3
 * (see logistic.test.ts).
 */
export const DEFAULT_HYPER_PARAMETERS: HyperParameters = { learningRate: 1.9, numSteps: 4000, threshold: 0.5 };

export type Scaler = Record<Feature, { mean: number; std: number }>;

export interface ModelParameters {
  algorithm: "logistic-regression";
  hyperParameters: HyperParameters;
  scaler: Scaler;
  /** in standardised units */
  intercept: number;
  coefficients: Record<Feature, number>;
}

export interface Prediction {
  probability: number;
  exited: 0 | 1;
}

/** Fit the model on labelled rows. Throws AppError("unprocessable:training") on unusable data. */
export function trainLogistic(rows: readonly LabelledRow[], hp: HyperParameters = DEFAULT_HYPER_PARAMETERS): ModelParameters {
  if (rows.length < 10) {
    throw new AppError("unprocessable:training", `Training needs at least 10 labelled rows; there are ${rows.length}. Ingest more data first.`);
  }
  const positives = rows.reduce((n, r) => n + r.exited, 0);
  if (positives === 0 || positives === rows.length) {
    throw new AppError(
      "unprocessable:training",
      `Training needs both classes of "exited"; all ${rows.length} rows have exited=${rows[0].exited}.`,
    );
  }
  const scaler = {} as Scaler;
  for (const f of FEATURES) {
    const values = rows.map((r) => r[f]);
    const std = sampleStandardDeviation(values);
    // A constant column carries no information; std 1 keeps it finite (its weight stays ~0).
    scaler[f] = { mean: mean(values), std: std > 0 ? std : 1 };
  }
  const X = new Matrix(rows.map((r) => designRow(r, scaler)));
  const Y = Matrix.columnVector(rows.map((r) => r.exited));
  const lr = new LogisticRegressionTwoClasses({ numSteps: hp.numSteps, learningRate: hp.learningRate / rows.length });
  lr.train(X, Y);
  const w = lr.weights.to1DArray();
  if (!w.every(Number.isFinite)) {
    throw new AppError("unprocessable:training", "Training diverged (non-finite weights); lower the learning rate.");
  }
  const coefficients = {} as Record<Feature, number>;
  FEATURES.forEach((f, i) => (coefficients[f] = w[i + 1]));
  return { algorithm: "logistic-regression", hyperParameters: hp, scaler, intercept: w[0], coefficients };
}

function designRow(r: ClientFeatures, scaler: Scaler): number[] {
  return [1, ...FEATURES.map((f) => (r[f] - scaler[f].mean) / scaler[f].std)];
}

/** Probability of exit for each row, in input order. */
export function predictProbabilities(model: ModelParameters, rows: readonly ClientFeatures[]): number[] {
  return rows.map((r) => {
    let z = model.intercept;
    for (const f of FEATURES) z += model.coefficients[f] * ((r[f] - model.scaler[f].mean) / model.scaler[f].std);
    return 1 / (1 + Math.exp(-z));
  });
}

export function predict(model: ModelParameters, rows: readonly ClientFeatures[]): Prediction[] {
  const t = model.hyperParameters.threshold;
  return predictProbabilities(model, rows).map((p) => ({ probability: p, exited: p >= t ? 1 : 0 }));
}
