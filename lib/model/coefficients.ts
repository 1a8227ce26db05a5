import { FEATURES, type Feature } from "../domain";
import { AppError } from "../errors";
import { normalQuantile, normalSf } from "../stats/normal";
import type { LabelledColumns, ModelParameters } from "./logistic";
import { choleskySolve, standardisedRow } from "./newton";

/*
 * What drives the risk: the fitted coefficients with Wald standard errors, z, p-values,
 * confidence intervals and odds ratios — on the standardised scale the model is fitted on
 * (per SD of each feature) and on the original scale (per unit).
 *
 * At the maximum-likelihood optimum ŵ the covariance of ŵ is the inverse observed information
 *   Cov(ŵ) = (Σᵢ pᵢ(1 − pᵢ)·zᵢzᵢᵀ)⁻¹,   zᵢ = [1, standardised features of row i],
 * (logistic regression's observed and expected information coincide), accumulated chunk by
 * chunk over the typed-array columns exactly like the Newton solver's Hessian
 * (lib/model/newton.ts, whose `accumulate` is private: this pass only needs XᵀWX and the
 * gradient, not the loss). The original-scale coefficients are a linear map of the
 * standardised ones, β = A·w with
 *   β₀ = w₀ − Σⱼ wⱼ·meanⱼ/sdⱼ,  βⱼ = wⱼ/sdⱼ,
 * and the maximum-likelihood fit is invariant under that reparametrisation, so
 * Cov(β) = A·Cov(w)·Aᵀ — the same numbers statsmodels gets by fitting the raw columns
 * (`sm.Logit(y, sm.add_constant(X)).fit()`: params, bse, tvalues, pvalues, conf_int()),
 * without inverting a badly scaled matrix. Intervals are Wald: estimate ± z₀.₉₇₅·SE, odds
 * ratios exp(estimate) with exp of the interval ends.
 *
 * The production model (lib/model/logistic.ts) is UNPENALISED maximum likelihood (Newton, or
 * gradient descent towards the same optimum), so these are the textbook intervals. Were a
 * ridge penalty λ‖w‖²/2 ever added, the estimates would shrink towards 0 and the sandwich
 * (H + λI)⁻¹ H (H + λI)⁻¹ would be the right covariance (narrower than H⁻¹, and the interval
 * centred on a biased estimate); H⁻¹ alone would then overstate the uncertainty.
 * The intervals are only meaningful at the optimum: `gradientMax` reports the largest
 * |mean gradient| at the model's weights (≈ 0 for Newton, maybe not for a short
 * gradient-descent run).
 */

export interface CoefficientRow {
  /** "intercept" or a feature */
  term: "intercept" | Feature;
  estimate: number;
  standardError: number;
  z: number;
  /** two-sided Wald p-value, 2·P(Z > |z|) */
  pValue: number;
  ciLower: number;
  ciUpper: number;
  /** exp(estimate): the odds multiply by this per unit (original) or per SD (standardised); for the intercept, the odds themselves */
  oddsRatio: number;
  oddsRatioLower: number;
  oddsRatioUpper: number;
  /**
   * false for a feature that was constant in the training data: the model leaves it out
   * (weight 0) and it has no standard error — the statistics are NaN (null in JSON).
   */
  estimable: boolean;
}

export interface CoefficientTable {
  /** confidence level of the intervals, e.g. 0.95 */
  level: number;
  rows: number;
  /** per SD of the feature (the intercept is the log-odds of a client at the training mean) */
  standardised: CoefficientRow[];
  /** per unit of the feature as stored (the intercept is the log-odds at all features 0) */
  original: CoefficientRow[];
  /** largest |mean gradient of the log-loss| at the model's weights; ~0 at the optimum */
  gradientMax: number;
}

/** Columns of a design on the standardised scale: z_ij = (x_ij − mean_j) / sd_j, plus an intercept. */
export interface StandardisedDesign {
  n: number;
  x: readonly ArrayLike<number>[];
  mean: readonly number[];
  sd: readonly number[];
  y: ArrayLike<number>;
}

/**
 * Information matrix Σᵢ pᵢ(1 − pᵢ)·zᵢzᵢᵀ (row-major (p+1)², not divided by n) and the mean
 * gradient of the log-loss at weights w = [intercept, w₁..w_p] on the standardised scale, in
 * one chunked pass. Cost: O(n·p²) time, O(p²) memory per chunk.
 */
export function informationAt(
  d: StandardisedDesign,
  w: readonly number[],
  chunkRows = 65_536,
): { information: Float64Array; gradient: Float64Array } {
  const k = d.x.length + 1;
  if (w.length !== k) throw new AppError("unprocessable:model", `Expected ${k} weights, got ${w.length}.`);
  const info = new Float64Array(k * k);
  const grad = new Float64Array(k);
  const z = new Float64Array(k);
  z[0] = 1;
  for (let start = 0; start < d.n; start += chunkRows) {
    const end = Math.min(d.n, start + chunkRows);
    const ch = new Float64Array(k * k);
    const cg = new Float64Array(k);
    for (let i = start; i < end; i++) {
      const p = 1 / (1 + Math.exp(-standardisedRow(d, i, w, z)));
      const r = p - d.y[i];
      const v = p * (1 - p);
      for (let a = 0; a < k; a++) {
        cg[a] += r * z[a];
        const va = v * z[a];
        for (let b = a; b < k; b++) ch[a * k + b] += va * z[b];
      }
    }
    for (let a = 0; a < k * k; a++) info[a] += ch[a];
    for (let a = 0; a < k; a++) grad[a] += cg[a];
  }
  for (let a = 0; a < k; a++) {
    grad[a] /= d.n;
    for (let b = 0; b < a; b++) info[a * k + b] = info[b * k + a];
  }
  return { information: info, gradient: grad };
}

/** Inverse of a symmetric positive-definite k×k matrix, column by column through Cholesky; null if singular. */
export function invertSpd(m: ArrayLike<number>, k: number): Float64Array | null {
  const inv = new Float64Array(k * k);
  const e = new Array<number>(k).fill(0);
  for (let c = 0; c < k; c++) {
    e.fill(0);
    e[c] = 1;
    const col = choleskySolve(m, e, k);
    if (!col) return null;
    for (let r = 0; r < k; r++) inv[r * k + c] = col[r];
  }
  // symmetrise the rounding
  for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) inv[a * k + b] = inv[b * k + a] = (inv[a * k + b] + inv[b * k + a]) / 2;
  return inv;
}

/** Wald row from an estimate and its variance. */
function waldRow(term: CoefficientRow["term"], estimate: number, variance: number, zCrit: number): CoefficientRow {
  const se = Math.sqrt(variance);
  const estimable = Number.isFinite(se) && se > 0;
  const z = estimate / se;
  const lo = estimate - zCrit * se;
  const hi = estimate + zCrit * se;
  return {
    term,
    estimate,
    standardError: estimable ? se : NaN,
    z: estimable ? z : NaN,
    pValue: estimable ? 2 * normalSf(Math.abs(z)) : NaN,
    ciLower: estimable ? lo : NaN,
    ciUpper: estimable ? hi : NaN,
    oddsRatio: Math.exp(estimate),
    oddsRatioLower: estimable ? Math.exp(lo) : NaN,
    oddsRatioUpper: estimable ? Math.exp(hi) : NaN,
    estimable,
  };
}

/**
 * The coefficient table of a fitted model, from the Hessian at its weights on its training
 * columns (see the module comment). Equals statsmodels'
 * `sm.Logit(y, sm.add_constant(X)).fit()` — params, bse, tvalues, pvalues, conf_int(alpha) —
 * on the raw columns (original) and on the z-scored columns with the sample SD (standardised).
 *
 * Cost: one O(n) pass over the columns (chunked, no per-row allocation) + O(p³).
 *
 * @param level confidence level of the intervals (default 0.95)
 * @throws AppError `unprocessable:model` if the information matrix is singular (e.g.
 *   perfectly collinear features) or the inputs do not match the model.
 */
export function coefficientTable(
  model: ModelParameters,
  data: LabelledColumns,
  opts: { level?: number; chunkRows?: number } = {},
): CoefficientTable {
  const level = opts.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new AppError("unprocessable:model", `A confidence level must lie in (0, 1), got ${level}.`);
  if (data.n < 1) throw new AppError("unprocessable:model", "Standard errors need the training rows; there are none.");
  const zCrit = normalQuantile(1 - (1 - level) / 2);
  // Features constant in training are out of the fit (weight 0): out of the Hessian too.
  const used = FEATURES.filter((f) => {
    const x = data.x[f];
    for (let i = 1; i < data.n; i++) if (x[i] !== x[0]) return true;
    return false;
  });
  const mean = used.map((f) => model.scaler[f].mean);
  const sd = used.map((f) => model.scaler[f].std);
  const w = [model.intercept, ...used.map((f) => model.coefficients[f])];
  const k = w.length;
  const { information, gradient } = informationAt(
    { n: data.n, x: used.map((f) => data.x[f]), mean, sd, y: data.exited },
    w,
    opts.chunkRows,
  );
  const cov = invertSpd(information, k);
  if (!cov) {
    throw new AppError(
      "unprocessable:model",
      "Standard errors are undefined: the information matrix is singular (collinear features, or the classes are perfectly separated).",
    );
  }
  // A = d(original)/d(standardised): row 0 = [1, −mean_j/sd_j], row j = e_j / sd_j
  const A = new Float64Array(k * k);
  A[0] = 1;
  for (let j = 1; j < k; j++) {
    A[j] = -mean[j - 1] / sd[j - 1];
    A[j * k + j] = 1 / sd[j - 1];
  }
  const beta = new Float64Array(k);
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) beta[a] += A[a * k + b] * w[b];
  const AC = new Float64Array(k * k);
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) for (let c = 0; c < k; c++) AC[a * k + b] += A[a * k + c] * cov[c * k + b];
  const covBeta = new Float64Array(k * k);
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) for (let c = 0; c < k; c++) covBeta[a * k + b] += AC[a * k + c] * A[b * k + c];

  const table = (estimates: ArrayLike<number>, covariance: Float64Array, constant: (f: Feature) => number): CoefficientRow[] => [
    waldRow("intercept", estimates[0], covariance[0], zCrit),
    ...FEATURES.map((f) => {
      const j = used.indexOf(f) + 1;
      return j > 0 ? waldRow(f, estimates[j], covariance[j * k + j], zCrit) : waldRow(f, constant(f), NaN, zCrit);
    }),
  ];
  let gradientMax = 0;
  for (const g of gradient) gradientMax = Math.max(gradientMax, Math.abs(g));
  return {
    level,
    rows: data.n,
    standardised: table(w, cov, (f) => model.coefficients[f]),
    original: table(beta, covBeta, (f) => model.coefficients[f] / model.scaler[f].std),
    gradientMax,
  };
}
