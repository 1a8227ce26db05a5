import { AppError } from "../errors";
import { chiSquareSf } from "../stats/chi-square";
import { createRng } from "../stats/random";
import type { CalibrationTable } from "./ranking";

/*
 * Performance before the labels arrive: confidence-based performance estimation (CBPE, as in
 * NannyML). If the model's probabilities are calibrated — of the clients given p = 0.3, 30 %
 * exit — then a client predicted "exits" (p ≥ threshold) is a true positive with probability p
 * and a false positive with probability 1 − p, and one predicted "stays" is a false negative
 * with probability p. Summing gives the expected confusion matrix
 *   E[TP] = Σ_{p≥t} p,  E[FP] = Σ_{p≥t} (1 − p),  E[FN] = Σ_{p<t} p,  E[TN] = Σ_{p<t} (1 − p)
 * and the estimated precision, recall and F1 are those of the expected matrix (NannyML's
 * estimate). Probabilities that are not calibrated are first mapped through a calibration map
 * fitted on labelled test data (isotonic regression, or the calibration table's bins), when
 * the table says they need it (calibrationCheck: Hosmer–Lemeshow).
 *
 * The 95 % band: under the same assumption the labels are independent Bernoulli(pᵢ), so the
 * realized TP and FN are two independent Poisson-binomial sums (FP = predicted positives − TP,
 * TN likewise), and precision, recall and F1 are functions of (TP, FN) alone. The band is the
 * 2.5 % and 97.5 % quantiles of those metrics over `draws` seeded simulations of (TP, FN):
 * - exactly (one Bernoulli draw per row) when rows × draws ≤ SIMULATION_BUDGET, i.e. for the
 *   small batches where the sums are far from normal and F1 is lumpy;
 * - otherwise by drawing each sum from its normal approximation N(Σp, Σp(1 − p)), rounded and
 *   clamped to its range — the Lyapunov CLT makes it accurate exactly when the batch is that
 *   large (the variance grows with n), and it costs O(draws) instead of O(n·draws).
 * A simulation rather than the delta method: F1 is a ratio, skewed and bounded, and the delta
 * method's symmetric interval undercovers on small batches; simulation keeps the skew and the
 * lumps. What the band does not include: the error of the calibration itself (a map fitted on
 * a few thousand test rows) and drift in the relation between features and exits — the very
 * things the realized score, when labels arrive, will check.
 */

/** Rows × draws up to which labels are simulated row by row (≈ 0.2 s on one core). */
export const SIMULATION_BUDGET = 20_000_000;

/** A calibration map, JSON-storable with a model version: knots (x ascending) and values. */
export interface CalibrationMap {
  /**
   * "isotonic": linear interpolation between the knots, clipped to the end knots
   * (scikit-learn `IsotonicRegression(out_of_bounds="clip")`);
   * "binned": piecewise constant, value k for p ≤ x[k] (first match), the last value above.
   */
  kind: "isotonic" | "binned";
  x: number[];
  y: number[];
}

function checkProbabilities(p: ArrayLike<number>, what = "probability"): void {
  for (let i = 0; i < p.length; i++) {
    if (!(p[i] >= 0 && p[i] <= 1)) throw new AppError("unprocessable:scores", `${what}[${i}] is ${p[i]}; probabilities must lie in [0, 1].`);
  }
}

/**
 * Isotonic (monotone increasing) calibration map of probabilities onto observed outcomes,
 * fitted on labelled data by pool-adjacent-violators. Equals scikit-learn 1.2.1's
 * `IsotonicRegression(y_min=0, y_max=1, out_of_bounds="clip").fit(p, y)` — same tie handling
 * (labels of equal p are averaged first, p within 1e-15 counting as equal), same PAV, same
 * trimmed knots — and {@link applyCalibration} equals its `predict`.
 *
 * Cost: O(n log n) (a sort of indices; calibration sets are test sets, thousands of rows).
 *
 * @throws AppError `unprocessable:scores` for mismatched/empty input, labels other than 0/1,
 *   probabilities outside [0, 1].
 */
export function fitIsotonicCalibration(y: ArrayLike<number>, p: ArrayLike<number>): CalibrationMap {
  if (p.length !== y.length || p.length === 0) {
    throw new AppError("unprocessable:scores", `A calibration map needs as many labels as probabilities, and at least one (got ${p.length} and ${y.length}).`);
  }
  checkProbabilities(p);
  for (let i = 0; i < y.length; i++) if (y[i] !== 0 && y[i] !== 1) throw new AppError("unprocessable:scores", `y[${i}] is ${y[i]}; binary labels must be 0 or 1.`);
  // np.lexsort((y, X)): by p, then by y
  const order = Uint32Array.from({ length: p.length }, (_, i) => i).sort((a, b) => p[a] - p[b] || y[a] - y[b]);
  // _make_unique: average the labels of (nearly) equal p
  const ux: number[] = [];
  const uy: number[] = [];
  const uw: number[] = [];
  const resolution = 1e-15; // np.finfo(float64).resolution
  let cx = p[order[0]];
  let cy = 0;
  let cw = 0;
  for (const i of order) {
    if (p[i] - cx >= resolution) {
      ux.push(cx);
      uw.push(cw);
      uy.push(cy / cw);
      cx = p[i];
      cw = 1;
      cy = y[i];
    } else {
      cw += 1;
      cy += y[i];
    }
  }
  ux.push(cx);
  uw.push(cw);
  uy.push(cy / cw);
  const fitted = poolAdjacentViolators(uy, uw).map((v) => Math.min(1, Math.max(0, v)));
  // keep the ends and every knot where the value changes on either side
  const x: number[] = [];
  const v: number[] = [];
  for (let k = 0; k < fitted.length; k++) {
    if (k === 0 || k === fitted.length - 1 || fitted[k] !== fitted[k - 1] || fitted[k] !== fitted[k + 1]) {
      x.push(ux[k]);
      v.push(fitted[k]);
    }
  }
  return { kind: "isotonic", x, y: v };
}

/** scikit-learn's `_inplace_contiguous_isotonic_regression`, operation for operation. */
function poolAdjacentViolators(values: readonly number[], weights: readonly number[]): number[] {
  const n = values.length;
  const y = values.slice();
  const w = weights.slice();
  const target = Array.from({ length: n }, (_, i) => i);
  let i = 0;
  while (i < n) {
    let k = target[i] + 1;
    if (k === n) break;
    if (y[i] < y[k]) {
      i = k;
      continue;
    }
    let sumWy = w[i] * y[i];
    let sumW = w[i];
    for (;;) {
      const prev = y[k];
      sumWy += w[k] * y[k];
      sumW += w[k];
      k = target[k] + 1;
      if (k === n || prev < y[k]) {
        y[i] = sumWy / sumW;
        w[i] = sumW;
        target[i] = k - 1;
        target[k - 1] = i;
        if (i > 0) i = target[i - 1];
        break;
      }
    }
  }
  for (i = 0; i < n; ) {
    const k = target[i] + 1;
    for (let j = i + 1; j < k; j++) y[j] = y[i];
    i = k;
  }
  return y;
}

/**
 * Binned calibration map from a calibration table: a probability in a bin is mapped to that
 * bin's observed exit rate (the bins' upper edges are the cut points, a value on an edge goes
 * to the lower bin, as in the table). Coarser than isotonic, but it is the table the user
 * sees.
 */
export function binnedCalibrationMap(table: CalibrationTable): CalibrationMap {
  if (table.bins.length === 0) throw new AppError("unprocessable:scores", "A calibration table without bins cannot calibrate.");
  return { kind: "binned", x: table.bins.slice(0, -1).map((b) => b.upper), y: table.bins.map((b) => b.observedRate) };
}

/** First index k with x[k] ≥ v (np.searchsorted side="left"). */
function searchLeft(x: readonly number[], v: number): number {
  let lo = 0;
  let hi = x.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Calibrated probabilities through a {@link CalibrationMap}. For "isotonic", scipy's
 * `interp1d(kind="linear")` arithmetic after clipping to the knots (scikit-learn's predict).
 * Cost: O(n log knots); one Float64Array out.
 */
export function applyCalibration(map: CalibrationMap, p: ArrayLike<number>): Float64Array {
  const out = new Float64Array(p.length);
  const { x, y } = map;
  if (map.kind === "binned") {
    for (let i = 0; i < p.length; i++) out[i] = y[searchLeft(x, p[i])];
    return out;
  }
  const m = x.length;
  for (let i = 0; i < p.length; i++) {
    if (m === 1) {
      out[i] = y[0];
      continue;
    }
    const v = Math.min(Math.max(p[i], x[0]), x[m - 1]);
    const hi = Math.min(Math.max(searchLeft(x, v), 1), m - 1);
    const lo = hi - 1;
    const slope = (y[hi] - y[lo]) / (x[hi] - x[lo]);
    out[i] = slope * (v - x[lo]) + y[lo];
  }
  return out;
}

export interface CalibrationCheck {
  /** Hosmer–Lemeshow statistic Σ_g (O_g − E_g)² / (E_g·(1 − E_g/n_g)) over the table's bins */
  statistic: number;
  /** degrees of freedom: the number of bins (the data are not those the model was fitted on) */
  df: number;
  pValue: number;
  /** pValue < alpha: the probabilities are not calibrated on these data; calibrate before estimating */
  needsCalibration: boolean;
}

/**
 * Does the calibration table ask for calibration? The
 * [Hosmer–Lemeshow test](https://en.wikipedia.org/wiki/Hosmer%E2%80%93Lemeshow_test) on the
 * table's quantile bins: observed exits O_g = n_g·observedRate, expected E_g = n_g·meanPredicted.
 * On held-out (test) data the statistic is χ² with G degrees of freedom (not G − 2: no
 * parameter was fitted on these rows). Bins whose expected count is 0 or n_g (all p = 0 or 1)
 * carry no variance and are left out.
 *
 * Cost: O(bins).
 */
export function calibrationCheck(table: CalibrationTable, alpha = 0.05): CalibrationCheck {
  let statistic = 0;
  let df = 0;
  for (const b of table.bins) {
    const e = b.count * b.meanPredicted;
    const o = b.count * b.observedRate;
    const v = e * (1 - b.meanPredicted);
    if (!(v > 0)) continue;
    statistic += ((o - e) * (o - e)) / v;
    df++;
  }
  if (df === 0) return { statistic: 0, df: 0, pValue: 1, needsCalibration: false };
  const pValue = chiSquareSf(statistic, df);
  return { statistic, df, pValue, needsCalibration: pValue < alpha };
}

/** Expected confusion counts (real numbers, not integers). */
export interface ExpectedConfusion {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

export interface Estimate {
  estimate: number;
  lower: number;
  upper: number;
}

export interface EstimatedPerformance {
  threshold: number;
  rows: number;
  /** clients predicted to exit (p ≥ threshold, after calibration) */
  predictedPositive: number;
  expectedConfusion: ExpectedConfusion;
  precision: Estimate;
  recall: Estimate;
  f1: Estimate;
  accuracy: Estimate;
  /** confidence level of the band */
  level: number;
  band: { method: "exact-simulation" | "normal-simulation"; draws: number; seed: number };
  calibrated: boolean;
}

export interface EstimateOptions {
  /** applied to the probabilities first; the threshold applies to the calibrated values */
  calibration?: CalibrationMap;
  /** simulations for the band (default 2000) */
  draws?: number;
  seed?: number;
  /** default 0.95 */
  level?: number;
}

/** Standard normal deviates (Box–Muller) from a uniform stream. */
function normalStream(next: () => number): () => number {
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    let u = next();
    while (u === 0) u = next();
    const r = Math.sqrt(-2 * Math.log(u));
    const t = 2 * Math.PI * next();
    spare = r * Math.sin(t);
    return r * Math.cos(t);
  };
}

/**
 * CBPE: expected confusion matrix and estimated precision, recall, F1 and accuracy of a batch
 * without labels, each with a band (see the module comment). Degenerate ratios are 0, as in
 * lib/metrics/classification.ts (`zero_division=0`).
 *
 * Cost: O(n) for the estimate; the band O(n·draws) (exact) or O(n + draws) (normal).
 *
 * @throws AppError `unprocessable:scores` for an empty batch, probabilities outside [0, 1], or
 *   a threshold outside [0, 1].
 * @example
 * estimatePerformance([0.9, 0.6, 0.3, 0.1], 0.5).expectedConfusion; // => { tp: 1.5, fp: 0.5, tn: 1.6, fn: 0.4 }
 */
export function estimatePerformance(probabilities: ArrayLike<number>, threshold: number, opts: EstimateOptions = {}): EstimatedPerformance {
  const n = probabilities.length;
  if (n === 0) throw new AppError("unprocessable:scores", "Cannot estimate performance on an empty batch.");
  if (!(threshold >= 0 && threshold <= 1)) throw new AppError("unprocessable:scores", `A threshold must lie in [0, 1], got ${threshold}.`);
  checkProbabilities(probabilities);
  const p = opts.calibration ? applyCalibration(opts.calibration, probabilities) : probabilities;
  const draws = opts.draws ?? 2000;
  const seed = opts.seed ?? 1;
  const level = opts.level ?? 0.95;
  if (!(Number.isInteger(draws) && draws >= 1)) throw new AppError("unprocessable:scores", `draws must be a positive integer, got ${draws}.`);

  let predictedPositive = 0;
  for (let i = 0; i < n; i++) if (p[i] >= threshold) predictedPositive++;
  const pos = new Float64Array(predictedPositive);
  const neg = new Float64Array(n - predictedPositive);
  let tp = 0;
  let fn = 0;
  let varTp = 0;
  let varFn = 0;
  for (let i = 0, a = 0, b = 0; i < n; i++) {
    const v = p[i];
    if (v >= threshold) {
      pos[a++] = v;
      tp += v;
      varTp += v * (1 - v);
    } else {
      neg[b++] = v;
      fn += v;
      varFn += v * (1 - v);
    }
  }
  const negatives = n - predictedPositive;
  const expectedConfusion = { tp, fp: predictedPositive - tp, tn: negatives - fn, fn };
  const metrics = (TP: number, FN: number) => ({
    precision: predictedPositive === 0 ? 0 : TP / predictedPositive,
    recall: TP + FN === 0 ? 0 : TP / (TP + FN),
    f1: TP === 0 ? 0 : (2 * TP) / (TP + predictedPositive + FN),
    accuracy: (TP + negatives - FN) / n,
  });
  const point = metrics(tp, fn);

  const next = createRng(seed);
  const exact = n * draws <= SIMULATION_BUDGET;
  const gauss = normalStream(next);
  const sims = { precision: new Float64Array(draws), recall: new Float64Array(draws), f1: new Float64Array(draws), accuracy: new Float64Array(draws) };
  const normalCount = (mean: number, variance: number, max: number) =>
    Math.min(max, Math.max(0, Math.round(mean + Math.sqrt(variance) * gauss())));
  for (let d = 0; d < draws; d++) {
    let TP = 0;
    let FN = 0;
    if (exact) {
      for (let i = 0; i < pos.length; i++) if (next() < pos[i]) TP++;
      for (let i = 0; i < neg.length; i++) if (next() < neg[i]) FN++;
    } else {
      TP = normalCount(tp, varTp, predictedPositive);
      FN = normalCount(fn, varFn, negatives);
    }
    const m = metrics(TP, FN);
    sims.precision[d] = m.precision;
    sims.recall[d] = m.recall;
    sims.f1[d] = m.f1;
    sims.accuracy[d] = m.accuracy;
  }
  const alpha = 1 - level;
  const band = (estimate: number, s: Float64Array): Estimate => {
    s.sort();
    // outward rounding of the quantile ranks: the band never undercovers by interpolation
    return { estimate, lower: s[Math.floor((alpha / 2) * (draws - 1))], upper: s[Math.ceil((1 - alpha / 2) * (draws - 1))] };
  };
  return {
    threshold,
    rows: n,
    predictedPositive,
    expectedConfusion,
    precision: band(point.precision, sims.precision),
    recall: band(point.recall, sims.recall),
    f1: band(point.f1, sims.f1),
    accuracy: band(point.accuracy, sims.accuracy),
    level,
    band: { method: exact ? "exact-simulation" : "normal-simulation", draws, seed },
    calibrated: opts.calibration !== undefined,
  };
}
