import { AppError } from "../errors";
import type { DataColumns } from "../schema/columns";
import { normalQuantile, normalSf } from "../stats/normal";
import { designOf, termScaler } from "./encoding";
import type { ModelParameters } from "./logistic";
import { choleskySolve, logLossPass, selectTerms, varyingTerms, type SparseRows } from "./newton";

/*
 * What drives the risk: the fitted coefficients with Wald standard errors, z, p-values,
 * confidence intervals and odds ratios, one row per design term (lib/model/encoding.ts: a
 * numeric feature, or a categorical level `feature=level` against the reference level) — on the
 * design scale the model is fitted on (per SD of a numeric feature) and on the original scale
 * (per unit). A dummy is 0/1 on both scales: its row is the same in both tables.
 *
 * At the maximum-likelihood optimum ŵ the covariance of ŵ is the inverse observed information
 *   Cov(ŵ) = (Σᵢ pᵢ(1 − pᵢ)·zᵢzᵢᵀ)⁻¹,   zᵢ = [1, design row i],
 * (logistic regression's observed and expected information coincide), accumulated chunk by
 * chunk over the sparse design by the Newton solver's own pass (lib/model/newton.ts
 * logLossPass). The original-scale coefficients are a linear map of the design-scale ones,
 * β = A·w with (mean 0 and sd 1 for a dummy)
 *   β₀ = w₀ − Σⱼ wⱼ·meanⱼ/sdⱼ,  βⱼ = wⱼ/sdⱼ,
 * and the maximum-likelihood fit is invariant under that reparametrisation, so
 * Cov(β) = A·Cov(w)·Aᵀ — the same numbers statsmodels gets by fitting the raw design
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
  /** "intercept", a numeric feature, or `feature=level` for a categorical level (against the reference level) */
  term: string;
  estimate: number;
  standardError: number;
  z: number;
  /** two-sided Wald p-value, 2·P(Z > |z|) */
  pValue: number;
  ciLower: number;
  ciUpper: number;
  /** exp(estimate): the odds multiply by this per unit (original) or per SD (standardised), or for the level against the reference; for the intercept, the odds themselves */
  oddsRatio: number;
  oddsRatioLower: number;
  oddsRatioUpper: number;
  /**
   * false for a term that was constant in the training data: the model leaves it out
   * (weight 0) and it has no standard error — the statistics are NaN (null in JSON).
   */
  estimable: boolean;
}

export interface CoefficientTable {
  /** confidence level of the intervals, e.g. 0.95 */
  level: number;
  rows: number;
  /** per SD of a numeric feature (the intercept is the log-odds of a row at the training means and the reference levels) */
  standardised: CoefficientRow[];
  /** per unit of a numeric feature as stored (the intercept is the log-odds at all numeric features 0 and the reference levels) */
  original: CoefficientRow[];
  /** largest |mean gradient of the log-loss| at the model's weights; ~0 at the optimum */
  gradientMax: number;
}

/**
 * Information matrix Σᵢ pᵢ(1 − pᵢ)·zᵢzᵢᵀ (row-major (k+1)², not divided by n) and the mean
 * gradient of the log-loss at weights w = [intercept, w₁..w_k] on the design's scale, in one
 * chunked pass (lib/model/newton.ts logLossPass). Cost: O(n·nonzeros²) time, O(k²) memory.
 */
export function informationAt(
  d: SparseRows,
  y: ArrayLike<number>,
  w: readonly number[],
  chunkRows = 65_536,
): { information: Float64Array; gradient: Float64Array } {
  if (w.length !== d.k + 1) throw new AppError("unprocessable:model", `Expected ${d.k + 1} weights, got ${w.length}.`);
  const { hessian, gradient } = logLossPass(d, y, w, chunkRows);
  for (let a = 0; a < hessian.length; a++) hessian[a] *= d.n;
  return { information: hessian, gradient };
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
 * Estimates and variances on the original scale from those on the design scale: β = A·w (see the
 * module comment) and the diagonal of A·Cov(w)·Aᵀ, which is all the table needs — Var(βⱼ) =
 * Var(wⱼ)/sdⱼ², and Var(β₀) = aᵀ·Cov(w)·a with a = [1, −meanⱼ/sdⱼ]. O(k²).
 */
function originalScale(w: readonly number[], cov: Float64Array, scale: readonly { mean: number; std: number }[]): { estimates: number[]; variances: number[] } {
  const k = w.length;
  const a = [1, ...scale.map((s) => -s.mean / s.std)];
  let b0 = 0;
  let v0 = 0;
  for (let i = 0; i < k; i++) {
    b0 += a[i] * w[i];
    for (let j = 0; j < k; j++) v0 += a[i] * cov[i * k + j] * a[j];
  }
  return {
    estimates: [b0, ...scale.map((s, j) => w[j + 1] / s.std)],
    variances: [v0, ...scale.map((s, j) => cov[(j + 1) * (k + 1)] / (s.std * s.std))],
  };
}

/**
 * The coefficient table of a fitted model, from the Hessian at its weights on its training
 * columns (see the module comment). Equals statsmodels'
 * `sm.Logit(y, sm.add_constant(X)).fit()` — params, bse, tvalues, pvalues, conf_int(alpha) —
 * on the raw design (original) and on the design with numeric columns z-scored with the sample
 * SD (standardised). One row per term after the intercept, in design order.
 *
 * Cost: one O(n·nonzeros²) pass over the design (chunked, no per-row allocation) + O(k³).
 *
 * @param level confidence level of the intervals (default 0.95)
 * @throws AppError `unprocessable:model` if the information matrix is singular (e.g.
 *   perfectly collinear features) or the inputs do not match the model.
 */
export function coefficientTable(
  model: ModelParameters,
  data: DataColumns,
  opts: { level?: number; chunkRows?: number; /** the solver's last pass at exactly these weights (lib/model/newton.ts): saves the pass over the rows */ atFit?: { hessian: ArrayLike<number>; gradient: ArrayLike<number> } } = {},
): CoefficientTable {
  const level = opts.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new AppError("unprocessable:model", `A confidence level must lie in (0, 1), got ${level}.`);
  if (data.n < 1) throw new AppError("unprocessable:model", "Standard errors need the training rows; there are none.");
  const zCrit = normalQuantile(1 - (1 - level) / 2);
  const { terms } = model.encoding;
  const design = designOf(model.encoding, data);
  // Terms constant in training are out of the fit (weight 0): out of the Hessian too.
  const varying = varyingTerms(design);
  const used = terms.filter((_, t) => varying[t]);
  const w = [model.intercept, ...used.map((term) => model.coefficients[term])];
  const { information, gradient } = opts.atFit
    ? { information: Float64Array.from(opts.atFit.hessian, (h) => h * data.n), gradient: opts.atFit.gradient }
    : informationAt(selectTerms(design, varying), data.label, w, opts.chunkRows);
  const cov = invertSpd(information, w.length);
  if (!cov) {
    throw new AppError(
      "unprocessable:model",
      "Standard errors are undefined: the information matrix is singular (collinear features, or the classes are perfectly separated).",
    );
  }
  const scaler = termScaler(model.encoding);
  const original = originalScale(w, cov, used.map((term) => scaler[term]));
  const table = (estimates: readonly number[], variance: (j: number) => number, constant: (term: string) => number): CoefficientRow[] => {
    let j = 0; // index among the used terms (0 = the intercept)
    return [
      waldRow("intercept", estimates[0], variance(0), zCrit),
      ...terms.map((term, t) => (varying[t] ? (j++, waldRow(term, estimates[j], variance(j), zCrit)) : waldRow(term, constant(term), NaN, zCrit))),
    ];
  };
  let gradientMax = 0;
  for (let j = 0; j < gradient.length; j++) gradientMax = Math.max(gradientMax, Math.abs(gradient[j]));
  return {
    level,
    rows: data.n,
    standardised: table(w, (j) => cov[j * w.length + j], (term) => model.coefficients[term]),
    original: table(original.estimates, (j) => original.variances[j], (term) => model.coefficients[term] / scaler[term].std),
    gradientMax,
  };
}
