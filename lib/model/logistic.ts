import LogisticRegressionTwoClasses from "ml-logistic-regression/src/logreg_2classes.js";
import { Matrix } from "ml-matrix";
import { AppError } from "../errors";
import type { DataColumns } from "../schema/columns";
import type { DataSchema } from "../schema/types";
import { designOf, fitEncoding, MIN_LEVEL_COUNT, termScaler, type Encoding } from "./encoding";
import { fitLogisticNewton, selectTerms, varyingTerms, type SparseRows } from "./newton";

/*
 * Logistic regression of a schema's binary label on its features, through the schema's design
 * (lib/model/encoding.ts: numeric features z-scored with the training mean and sample SD,
 * categorical ones treatment-coded as 0/1 dummies), plus an intercept. Two solvers, picked by
 * the hyper-parameter `solver`:
 * - "newton" (default): Newton/IRLS on the (k+1)×(k+1) system over the sparse design
 *   (lib/model/newton.ts): converges in a handful of passes at any number of rows;
 * - "gradient-descent": ml-logistic-regression, plain full-batch gradient descent, kept as the
 *   reference implementation (small data only: it holds a dense ml-matrix copy of the design).
 *   That library has no intercept, no scaling and a gradient that is a *sum* over rows, so here
 *   a column of ones is the intercept and its learning rate is divided by the number of rows.
 * Terms constant on the training rows stay out of the fit with weight 0. The fitted weights and
 * the encoding are stored as JSON; prediction needs no library at all.
 */

export const SOLVERS = ["newton", "gradient-descent"] as const;
export type Solver = (typeof SOLVERS)[number];

export interface HyperParameters {
  solver: Solver;
  /** newton: at most this many steps */
  maxIterations: number;
  /** newton: converged when every component of the mean gradient is below this */
  tolerance: number;
  /** gradient-descent: learning rate per row (the library gets learningRate / N), capped for stability (see DEFAULT_HYPER_PARAMETERS) */
  learningRate: number;
  /** gradient-descent: number of steps */
  numSteps: number;
  /** probability at or above which a row is predicted positive */
  threshold: number;
  /**
   * how `threshold` was set: "fixed" (given, or the default 0.5), or "max-f1" (the probability
   * that maximises F1 on the test data, chosen at training; lib/model/train.ts). Absent on
   * versions trained before the choice existed: "fixed".
   */
  thresholdRule?: ThresholdRule;
  /** categorical levels seen fewer times in training are pooled into "(other)" (default MIN_LEVEL_COUNT; absent on versions trained before categorical features) */
  minLevelCount?: number;
}

export const THRESHOLD_RULES = ["fixed", "max-f1"] as const;
export type ThresholdRule = (typeof THRESHOLD_RULES)[number];

/**
 * Gradient descent: with the 1/N scaling the mean loss's gradient is Lipschitz with constant
 * L ≤ 0.25·λmax(XᵀX/N) ≤ 0.25·trace(XᵀX/N) = 0.25·T, T = 1 + Σ (mean square of each design
 * column) — about 1 + (numeric features) + (categorical features), since z-scores have mean
 * square ≈ 1 and a row has at most one dummy per categorical — so gradient descent cannot
 * diverge for a rate below 2/L ≥ 8/T. The rate used is min(learningRate, 0.95·8/T): for three
 * numeric features T ≈ 4 and that cap is 1.9, the default. 4000 steps reach scikit-learn's
 * unpenalised fit to 1e-3 on the course data (see logistic.test.ts); Newton reaches it to 1e-6
 * in < 10 steps.
 */
export const DEFAULT_HYPER_PARAMETERS: HyperParameters = {
  solver: "newton",
  maxIterations: 50,
  tolerance: 1e-10,
  learningRate: 1.9,
  numSteps: 4000,
  threshold: 0.5,
};

/** Per term, how its design column is scaled (lib/model/encoding.ts termScaler). */
export type Scaler = Record<string, { mean: number; std: number }>;

export interface ModelParameters {
  algorithm: "logistic-regression";
  hyperParameters: HyperParameters;
  /** per term: a numeric term its training mean and SD, a dummy mean 0 and SD 1 */
  scaler: Scaler;
  /** on the design scale: the log-odds at every numeric mean and every reference level */
  intercept: number;
  /** per term, on the design scale (per SD of a numeric feature; level vs reference for a dummy) */
  coefficients: Record<string, number>;
  /** how rows become the design (stored with the version; lib/model/stored.ts) */
  encoding: Encoding;
}

/** How the fit went (stored with the version's hyper-parameters for the record). */
export interface FitReport {
  solver: Solver;
  iterations: number;
  converged: boolean | null;
  logLoss: number | null;
}

/** Refuse data a model cannot be learned from (AppError unprocessable:training). */
export function checkTrainable(n: number, positives: number): void {
  if (n < 10) {
    throw new AppError("unprocessable:training", `Training needs at least 10 labelled rows; there are ${n}. Ingest more data first.`);
  }
  if (positives === 0 || positives === n) {
    throw new AppError(
      "unprocessable:training",
      `Training needs both label values; all ${n} rows have the ${positives === 0 ? "negative" : "positive"} one. Ingest data with both labels.`,
    );
  }
}

/**
 * Fit the model on labelled columns of `schema` (the label: 1 = the positive value): the
 * encoding, then the solver on its design. Throws AppError("unprocessable:training") on
 * unusable data.
 */
export function trainLogisticColumns(
  data: DataColumns,
  schema: DataSchema,
  hp: HyperParameters = DEFAULT_HYPER_PARAMETERS,
): { model: ModelParameters; fit: FitReport; /** Newton's last pass, at the returned weights (for the coefficient table) */ atFit?: { hessian: number[]; gradient: number[] } } {
  let positives = 0;
  for (let i = 0; i < data.n; i++) positives += data.label[i];
  checkTrainable(data.n, positives);
  const encoding = fitEncoding(schema, data, { minLevelCount: hp.minLevelCount ?? MIN_LEVEL_COUNT });
  const design = designOf(encoding, data);
  // Constant terms (all z = 0, or a dummy never or always 1) would make the system singular: out, weight 0.
  const varying = varyingTerms(design);
  const solve = hp.solver === "gradient-descent" ? gradientDescent : newton;
  const { weights, fit, atFit } = solve(selectTerms(design, varying), data.label, hp);
  if (!weights.every(Number.isFinite)) {
    throw new AppError("unprocessable:training", "Training diverged (non-finite weights); lower the learning rate.");
  }
  const coefficients: Record<string, number> = {};
  let used = 1;
  encoding.terms.forEach((term, t) => (coefficients[term] = varying[t] ? weights[used++] : 0));
  return {
    model: { algorithm: "logistic-regression", hyperParameters: hp, scaler: termScaler(encoding), intercept: weights[0], coefficients, encoding },
    fit,
    ...(atFit ? { atFit } : {}),
  };
}

type Solve = (d: SparseRows, y: Uint8Array, hp: HyperParameters) => { weights: number[]; fit: FitReport; atFit?: { hessian: number[]; gradient: number[] } };

const newton: Solve = (d, y, hp) => {
  const r = fitLogisticNewton(d, y, { maxIterations: hp.maxIterations, tolerance: hp.tolerance });
  return { weights: r.weights, fit: { solver: "newton", iterations: r.iterations, converged: r.converged, logLoss: r.logLoss }, atFit: { hessian: r.hessian, gradient: r.gradient } };
};

const gradientDescent: Solve = (d, y, hp) => {
  const X = new Matrix(d.n, d.k + 1);
  const idx = new Int32Array(d.k);
  const val = new Float64Array(d.k);
  let trace = 0; // Σ over rows of |[1, zᵢ]|², for the step-size cap
  for (let i = 0; i < d.n; i++) {
    X.set(i, 0, 1);
    trace += 1;
    const m = d.row(i, idx, val);
    for (let a = 0; a < m; a++) {
      X.set(i, idx[a] + 1, val[a]);
      trace += val[a] * val[a];
    }
  }
  const rate = Math.min(hp.learningRate, (0.95 * 8) / (trace / d.n));
  const lr = new LogisticRegressionTwoClasses({ numSteps: hp.numSteps, learningRate: rate / d.n });
  lr.train(X, Matrix.columnVector(Array.from(y)));
  return { weights: lr.weights.to1DArray(), fit: { solver: "gradient-descent", iterations: hp.numSteps, converged: null, logLoss: null } };
};

/** The weights of `model` per design term, in design order (AppError unprocessable:model when one is missing). */
function termWeights(model: ModelParameters): Float64Array {
  return Float64Array.from(model.encoding.terms, (term) => {
    const w = model.coefficients[term];
    if (!Number.isFinite(w)) throw new AppError("unprocessable:model", `The model has no usable coefficient for ${JSON.stringify(term)}.`);
    return w;
  });
}

/**
 * Probabilities of the positive label for rows given as columns (any dictionary: the request's
 * own levels are mapped through the model's encoding), and per categorical feature how many
 * rows hold a level the training never saw (those count as the reference: no contribution).
 * Cost: O(n·nonzeros per row).
 */
export function predictColumns(model: ModelParameters, data: DataColumns): { probabilities: Float64Array; unseen: Record<string, number> } {
  const d = designOf(model.encoding, data);
  const w = termWeights(model);
  const idx = new Int32Array(d.k);
  const val = new Float64Array(d.k);
  const out = new Float64Array(d.n);
  for (let i = 0; i < d.n; i++) {
    const m = d.row(i, idx, val);
    let z = model.intercept;
    for (let a = 0; a < m; a++) z += w[idx[a]] * val[a];
    out[i] = 1 / (1 + Math.exp(-z));
  }
  return { probabilities: out, unseen: d.unseen };
}

/** Probabilities of the positive label for rows given as columns: no object per row ({@link predictColumns} without the unseen counts). */
export function predictProbabilityColumns(model: ModelParameters, data: DataColumns): Float64Array {
  return predictColumns(model, data).probabilities;
}

/** Labels (1 = positive) of probabilities at the model's threshold. */
export function labelsAt(probabilities: ArrayLike<number>, threshold: number): Uint8Array {
  const out = new Uint8Array(probabilities.length);
  for (let i = 0; i < probabilities.length; i++) out[i] = probabilities[i] >= threshold ? 1 : 0;
  return out;
}
