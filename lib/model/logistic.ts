import LogisticRegressionTwoClasses from "ml-logistic-regression/src/logreg_2classes.js";
import { Matrix } from "ml-matrix";
import { FEATURES, type ClientFeatures, type Feature, type LabelledRow } from "../domain";
import { AppError } from "../errors";
import { momentsOf, sampleSd } from "../stats/running-moments";
import { fitLogisticNewton } from "./newton";

/*
 * Logistic regression of `exited` on the three features, z-scored with the training mean and
 * sample SD, plus an intercept. Two solvers, picked by the hyper-parameter `solver`:
 * - "newton" (default): Newton/IRLS on the 4×4 system over typed-array columns
 *   (lib/model/newton.ts): converges in a handful of passes at any number of rows;
 * - "gradient-descent": ml-logistic-regression, plain full-batch gradient descent, kept as the
 *   reference implementation (small data only: it holds an ml-matrix copy of the rows). That
 *   library has no intercept, no scaling and a gradient that is a *sum* over rows, so here a
 *   column of ones is the intercept and its learning rate is divided by the number of rows.
 * The fitted weights are stored as JSON; prediction needs no library at all.
 */

export const SOLVERS = ["newton", "gradient-descent"] as const;
export type Solver = (typeof SOLVERS)[number];

export interface HyperParameters {
  solver: Solver;
  /** newton: at most this many steps */
  maxIterations: number;
  /** newton: converged when every component of the mean gradient is below this */
  tolerance: number;
  /** gradient-descent: learning rate per row (the library gets learningRate / N) */
  learningRate: number;
  /** gradient-descent: number of steps */
  numSteps: number;
  /** probability at or above which a client is predicted to exit */
  threshold: number;
  /**
   * how `threshold` was set: "fixed" (given, or the default 0.5), or "max-f1" (the probability
   * that maximises F1 on the test data, chosen at training; lib/model/train.ts). Absent on
   * versions trained before the choice existed: "fixed".
   */
  thresholdRule?: ThresholdRule;
}

export const THRESHOLD_RULES = ["fixed", "max-f1"] as const;
export type ThresholdRule = (typeof THRESHOLD_RULES)[number];

/**
 * Gradient descent: with z-scored features, an intercept column (orthogonal to the centred
 * features) and the 1/N scaling, the mean loss's gradient is Lipschitz with constant
 * L ≤ 0.25·λmax(XᵀX/N) ≤ 0.25·3 (three features, correlations ≤ 1), so gradient descent cannot
 * diverge for a rate below 2/L ≈ 2.67; 1.9 keeps a margin. 4000 steps reach scikit-learn's
 * unpenalised fit to 1e-3 (see logistic.test.ts); Newton reaches it to 1e-6 in < 10 steps.
 */
export const DEFAULT_HYPER_PARAMETERS: HyperParameters = {
  solver: "newton",
  maxIterations: 50,
  tolerance: 1e-10,
  learningRate: 1.9,
  numSteps: 4000,
  threshold: 0.5,
};

export type Scaler = Record<Feature, { mean: number; std: number }>;

export interface ModelParameters {
  algorithm: "logistic-regression";
  hyperParameters: HyperParameters;
  scaler: Scaler;
  /** in standardised units */
  intercept: number;
  coefficients: Record<Feature, number>;
}

/** How the fit went (stored with the version's hyper-parameters for the record). */
export interface FitReport {
  solver: Solver;
  iterations: number;
  converged: boolean | null;
  logLoss: number | null;
}

export interface Prediction {
  probability: number;
  exited: 0 | 1;
}

/** Training data as columns: features as stored, labels 0/1. */
export interface LabelledColumns {
  n: number;
  x: Record<Feature, Float64Array>;
  exited: Uint8Array;
}

export function columnsOf(rows: readonly LabelledRow[]): LabelledColumns {
  const n = rows.length;
  const x = { lastmonth_activity: new Float64Array(n), lastyear_activity: new Float64Array(n), number_of_employees: new Float64Array(n) };
  const exited = new Uint8Array(n);
  rows.forEach((r, i) => {
    for (const f of FEATURES) x[f][i] = r[f];
    exited[i] = r.exited;
  });
  return { n, x, exited };
}

/** Refuse data a model cannot be learned from (AppError unprocessable:training). */
export function checkTrainable(n: number, positives: number): void {
  if (n < 10) {
    throw new AppError("unprocessable:training", `Training needs at least 10 labelled rows; there are ${n}. Ingest more data first.`);
  }
  if (positives === 0 || positives === n) {
    throw new AppError(
      "unprocessable:training",
      `Training needs both classes of "exited"; all ${n} rows have exited=${positives === 0 ? 0 : 1}. Ingest data with both labels.`,
    );
  }
}

/** Fit the model on labelled rows (small data; the pipeline trains from columns). */
export function trainLogistic(rows: readonly LabelledRow[], hp: HyperParameters = DEFAULT_HYPER_PARAMETERS): ModelParameters {
  return trainLogisticColumns(columnsOf(rows), hp).model;
}

/** Fit the model on labelled columns. Throws AppError("unprocessable:training") on unusable data. */
export function trainLogisticColumns(
  data: LabelledColumns,
  hp: HyperParameters = DEFAULT_HYPER_PARAMETERS,
): { model: ModelParameters; fit: FitReport } {
  let positives = 0;
  for (let i = 0; i < data.n; i++) positives += data.exited[i];
  checkTrainable(data.n, positives);
  const scaler = {} as Scaler;
  for (const f of FEATURES) {
    const m = momentsOf(data.x[f].subarray(0, data.n));
    const std = sampleSd(m) ?? 0;
    // A constant column carries no information; std 1 keeps it finite (its weight stays 0).
    scaler[f] = { mean: m.mean, std: std > 0 ? std : 1 };
  }
  const { weights, fit } = hp.solver === "gradient-descent" ? gradientDescent(data, scaler, hp) : newton(data, scaler, hp);
  if (!weights.every(Number.isFinite)) {
    throw new AppError("unprocessable:training", "Training diverged (non-finite weights); lower the learning rate.");
  }
  const coefficients = {} as Record<Feature, number>;
  FEATURES.forEach((f, i) => (coefficients[f] = weights[i + 1]));
  return { model: { algorithm: "logistic-regression", hyperParameters: hp, scaler, intercept: weights[0], coefficients }, fit };
}

function newton(data: LabelledColumns, scaler: Scaler, hp: HyperParameters): { weights: number[]; fit: FitReport } {
  // Constant columns (all z = 0) would make the Newton system singular: they stay out, weight 0.
  const used = FEATURES.filter((f) => {
    const x = data.x[f];
    for (let i = 1; i < data.n; i++) if (x[i] !== x[0]) return true;
    return false;
  });
  const r = fitLogisticNewton(
    { n: data.n, x: used.map((f) => data.x[f]), mean: used.map((f) => scaler[f].mean), sd: used.map((f) => scaler[f].std), y: data.exited },
    { maxIterations: hp.maxIterations, tolerance: hp.tolerance },
  );
  const weights = [r.weights[0], ...FEATURES.map((f) => (used.includes(f) ? r.weights[1 + used.indexOf(f)] : 0))];
  return { weights, fit: { solver: "newton", iterations: r.iterations, converged: r.converged, logLoss: r.logLoss } };
}

function gradientDescent(data: LabelledColumns, scaler: Scaler, hp: HyperParameters): { weights: number[]; fit: FitReport } {
  const X = new Matrix(data.n, FEATURES.length + 1);
  for (let i = 0; i < data.n; i++) {
    X.set(i, 0, 1);
    FEATURES.forEach((f, j) => X.set(i, j + 1, (data.x[f][i] - scaler[f].mean) / scaler[f].std));
  }
  const Y = Matrix.columnVector(Array.from(data.exited));
  const lr = new LogisticRegressionTwoClasses({ numSteps: hp.numSteps, learningRate: hp.learningRate / data.n });
  lr.train(X, Y);
  return { weights: lr.weights.to1DArray(), fit: { solver: "gradient-descent", iterations: hp.numSteps, converged: null, logLoss: null } };
}


/** Probability of exit for each row, in input order. */
export function predictProbabilities(model: ModelParameters, rows: readonly ClientFeatures[]): number[] {
  return rows.map((r) => {
    let z = model.intercept;
    for (const f of FEATURES) z += model.coefficients[f] * ((r[f] - model.scaler[f].mean) / model.scaler[f].std);
    return 1 / (1 + Math.exp(-z));
  });
}

/** Probabilities of exit for columns of features: no object per row. */
export function predictProbabilityColumns(model: ModelParameters, data: { n: number; x: Record<Feature, Float64Array> }): Float64Array {
  const out = new Float64Array(data.n);
  const [a, b, c] = FEATURES.map((f) => ({ x: data.x[f], w: model.coefficients[f] / model.scaler[f].std, m: model.scaler[f].mean }));
  for (let i = 0; i < data.n; i++) {
    const z = model.intercept + a.w * (a.x[i] - a.m) + b.w * (b.x[i] - b.m) + c.w * (c.x[i] - c.m);
    out[i] = 1 / (1 + Math.exp(-z));
  }
  return out;
}

/** Labels (1 = exits) of probabilities at the model's threshold. */
export function labelsAt(probabilities: ArrayLike<number>, threshold: number): Uint8Array {
  const out = new Uint8Array(probabilities.length);
  for (let i = 0; i < probabilities.length; i++) out[i] = probabilities[i] >= threshold ? 1 : 0;
  return out;
}

export function predict(model: ModelParameters, rows: readonly ClientFeatures[]): Prediction[] {
  const t = model.hyperParameters.threshold;
  return predictProbabilities(model, rows).map((p) => ({ probability: p, exited: p >= t ? 1 : 0 }));
}
