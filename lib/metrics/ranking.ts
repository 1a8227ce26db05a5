import { AppError } from "../errors";

/*
 * Ranking and probability-quality metrics of a binary classifier (positive class 1 = exited),
 * each equal to its scikit-learn twin (1.2.1, the Debian package the goldens were made with):
 *
 *   rocAuc            roc_auc_score
 *   averagePrecision  average_precision_score
 *   brierScore        brier_score_loss
 *   logLoss           log_loss(..., labels=[0, 1])
 *   calibrationTable  calibration_curve(strategy="quantile") (+ counts and edges per bin)
 *   rocCurve/prCurve  roc_curve / precision_recall_curve, thinned for charts
 *
 * Everything ranks through one O(n log n) step (rankCounts): the scores of the positives and
 * of the negatives are copied into two Float64Arrays and sorted natively (no comparator, no
 * index array, no object per row), then merged from the top, one entry per distinct score.
 * Ties are one threshold — exactly scikit-learn's `_binary_clf_curve`, which is what makes
 * tied scores count ½ in the AUC and a tie block a single step in the average precision.
 *
 * Inputs are `ArrayLike<number>` (Float64Array / Uint8Array welcome): scores must be finite,
 * probabilities in [0, 1], labels 0 or 1; anything else is an AppError `unprocessable:scores`.
 */

/** Labels and scores, validated; positives counted. */
function checkInputs(y: ArrayLike<number>, score: ArrayLike<number>, what: "scores" | "probabilities"): number {
  if (y.length !== score.length) {
    throw new AppError("unprocessable:scores", `Label and ${what} arrays differ in length: ${y.length} vs ${score.length}.`);
  }
  if (y.length === 0) throw new AppError("unprocessable:scores", `Cannot evaluate an empty set of ${what}.`);
  let positives = 0;
  for (let i = 0; i < y.length; i++) {
    const t = y[i];
    if (t === 1) positives++;
    else if (t !== 0) throw new AppError("unprocessable:scores", `y[${i}] is ${t}; binary labels must be 0 or 1.`);
    const s = score[i];
    if (what === "probabilities" ? !(s >= 0 && s <= 1) : !Number.isFinite(s)) {
      throw new AppError(
        "unprocessable:scores",
        what === "probabilities" ? `probability[${i}] is ${s}; probabilities must lie in [0, 1].` : `score[${i}] is ${s}; scores must be finite numbers.`,
      );
    }
  }
  return positives;
}

function requireBothClasses(positives: number, n: number, metric: string): void {
  if (positives === 0 || positives === n) {
    // scikit-learn raises for the AUC and returns 0 (no positives) or 1 (no negatives) with a
    // warning for the average precision; a ranking metric has nothing to rank with one class,
    // and a 0 or 1 on a dashboard would read as a real (terrible or perfect) score.
    throw new AppError(
      "unprocessable:scores",
      `${metric} is undefined when only one class is present (all ${n} labels are ${positives === 0 ? 0 : 1}).`,
    );
  }
}

/**
 * The cumulative confusion counts at every distinct score, highest first: predicting
 * "positive" for score ≥ `threshold[k]` gives `tp[k]` true and `fp[k]` false positives.
 * Same arrays as scikit-learn's private `_binary_clf_curve` (fps, tps, thresholds).
 */
export interface RankCounts {
  /** distinct scores, strictly decreasing */
  threshold: Float64Array;
  /** cumulative true positives at score ≥ threshold[k] */
  tp: Float64Array;
  /** cumulative false positives at score ≥ threshold[k] */
  fp: Float64Array;
  positives: number;
  negatives: number;
}

/**
 * {@link RankCounts} of a scored, labelled set. Cost: O(n log n) (two native typed-array sorts
 * and a merge); memory: n doubles for the sorted copies plus 3 per distinct score.
 *
 * @throws AppError `unprocessable:scores` for mismatched/empty arrays, labels other than 0/1
 *   or non-finite scores.
 */
export function rankCounts(y: ArrayLike<number>, score: ArrayLike<number>): RankCounts {
  const positives = checkInputs(y, score, "scores");
  const n = y.length;
  const negatives = n - positives;
  const pos = new Float64Array(positives);
  const neg = new Float64Array(negatives);
  for (let i = 0, a = 0, b = 0; i < n; i++) {
    if (y[i] === 1) pos[a++] = score[i];
    else neg[b++] = score[i];
  }
  pos.sort();
  neg.sort();
  const threshold = new Float64Array(n);
  const tp = new Float64Array(n);
  const fp = new Float64Array(n);
  let a = positives - 1;
  let b = negatives - 1;
  let k = 0;
  let ctp = 0;
  let cfp = 0;
  while (a >= 0 || b >= 0) {
    // the next distinct score from the top; -0 and 0 are one threshold, as in numpy
    const s = a < 0 ? neg[b] : b < 0 ? pos[a] : Math.max(pos[a], neg[b]);
    while (a >= 0 && pos[a] === s) (ctp++, a--);
    while (b >= 0 && neg[b] === s) (cfp++, b--);
    threshold[k] = s;
    tp[k] = ctp;
    fp[k] = cfp;
    k++;
  }
  return { threshold: threshold.slice(0, k), tp: tp.slice(0, k), fp: fp.slice(0, k), positives, negatives };
}

/**
 * [Area under the ROC curve](https://en.wikipedia.org/wiki/Receiver_operating_characteristic#Area_under_the_curve):
 * the probability that a random positive scores above a random negative, ties counting ½
 * (the trapezoidal area over the distinct thresholds). Equals scikit-learn's
 * `roc_auc_score(y, score)`.
 *
 * Cost: O(n log n).
 *
 * @throws AppError `unprocessable:scores` as {@link rankCounts}, and when only one class is
 *   present (scikit-learn raises ValueError too).
 * @example
 * rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); // => 0.75
 */
export function rocAuc(y: ArrayLike<number>, score: ArrayLike<number>): number {
  return aucOf(rankCounts(y, score));
}

/** Trapezoidal ROC area of precomputed counts (integer arithmetic until the last division). */
export function aucOf(r: RankCounts): number {
  requireBothClasses(r.positives, r.positives + r.negatives, "ROC AUC");
  let twiceArea = 0;
  let ptp = 0;
  let pfp = 0;
  for (let k = 0; k < r.threshold.length; k++) {
    twiceArea += (r.fp[k] - pfp) * (r.tp[k] + ptp);
    ptp = r.tp[k];
    pfp = r.fp[k];
  }
  return twiceArea / (2 * r.positives * r.negatives);
}

/**
 * [Average precision](https://scikit-learn.org/1.2/modules/model_evaluation.html#precision-recall-and-f-measures):
 * AP = Σₖ (Rₖ − Rₖ₋₁)·Pₖ over the distinct thresholds from the highest down — the step-wise
 * (not interpolated) area under the precision–recall curve; a tie block is one step.
 * Equals scikit-learn's `average_precision_score(y, score)`.
 *
 * Cost: O(n log n).
 *
 * @throws AppError `unprocessable:scores` as {@link rankCounts}, and when only one class is
 *   present (scikit-learn 1.2.1 returns 0 with a warning when there is no positive).
 * @example
 * averagePrecision([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); // => 0.8333333333333333
 */
export function averagePrecision(y: ArrayLike<number>, score: ArrayLike<number>): number {
  return averagePrecisionOf(rankCounts(y, score));
}

export function averagePrecisionOf(r: RankCounts): number {
  requireBothClasses(r.positives, r.positives + r.negatives, "Average precision");
  let ap = 0;
  let ptp = 0;
  for (let k = 0; k < r.threshold.length; k++) {
    ap += ((r.tp[k] - ptp) / r.positives) * (r.tp[k] / (r.tp[k] + r.fp[k]));
    ptp = r.tp[k];
  }
  return ap;
}

/** Neumaier-compensated running sum: long means stay accurate to the last bits at 10⁶ rows. */
class Sum {
  private s = 0;
  private c = 0;
  add(x: number): void {
    const t = this.s + x;
    this.c += Math.abs(this.s) >= Math.abs(x) ? this.s - t + x : x - t + this.s;
    this.s = t;
  }
  get value(): number {
    return this.s + this.c;
  }
}

/**
 * [Brier score](https://en.wikipedia.org/wiki/Brier_score): mean (pᵢ − yᵢ)², 0 is perfect,
 * 0.25 is a coin's. Defined with one class too. Equals scikit-learn's `brier_score_loss(y, p)`.
 *
 * Cost: O(n).
 *
 * @throws AppError `unprocessable:scores` for mismatched/empty arrays, labels other than 0/1
 *   or probabilities outside [0, 1] (scikit-learn raises for those too).
 * @example
 * brierScore([0, 1], [0.1, 0.8]); // => 0.025
 */
export function brierScore(y: ArrayLike<number>, p: ArrayLike<number>): number {
  checkInputs(y, p, "probabilities");
  const sum = new Sum();
  for (let i = 0; i < y.length; i++) {
    const d = p[i] - y[i];
    sum.add(d * d);
  }
  return sum.value / y.length;
}

/** scikit-learn 1.2.1's `eps="auto"` for float64 input: `np.finfo(float64).eps` = 2⁻⁵². */
export const LOG_LOSS_EPS = 2 ** -52;

/**
 * [Log loss](https://en.wikipedia.org/wiki/Cross-entropy#Cross-entropy_loss_function_and_logistic_regression)
 * (binary cross-entropy, natural log): −mean(yᵢ·ln pᵢ + (1 − yᵢ)·ln(1 − pᵢ)).
 *
 * Clipping, as scikit-learn 1.2.1 `log_loss` with its default `eps="auto"`: each p is first
 * clipped to [ε, 1 − ε] with ε = 2⁻⁵² ({@link LOG_LOSS_EPS}), then the pair (1 − p, p) is
 * renormalised by its sum; so a confident wrong answer (p = 0, y = 1) costs −ln(2⁻⁵²) ≈ 36.04,
 * not ∞. (scikit-learn before 1.2 clipped at 1e-15 instead, ≈ 34.54 per such row; the
 * goldens were produced with 1.2.1.)
 * Labels are taken as {0, 1}, so a set with one class is defined — scikit-learn's
 * `log_loss(y, p, labels=[0, 1])`; without `labels` it raises for one class.
 *
 * Cost: O(n).
 *
 * @throws AppError `unprocessable:scores` as {@link brierScore}.
 * @example
 * logLoss([0, 1], [0.2, 0.9]); // => 0.164252033486018
 */
export function logLoss(y: ArrayLike<number>, p: ArrayLike<number>): number {
  checkInputs(y, p, "probabilities");
  const sum = new Sum();
  for (let i = 0; i < y.length; i++) {
    const c = Math.min(Math.max(p[i], LOG_LOSS_EPS), 1 - LOG_LOSS_EPS);
    const q = 1 - c;
    const total = q + c;
    sum.add(-Math.log((y[i] === 1 ? c : q) / total));
  }
  return sum.value / y.length;
}

/** One non-empty bin of a calibration table. */
export interface CalibrationBin {
  /** bin edges (quantiles of the probabilities); a bin holds lower < p ≤ upper (the first one also p = lower) */
  lower: number;
  upper: number;
  count: number;
  /** mean predicted probability (scikit-learn's prob_pred) */
  meanPredicted: number;
  /** observed share of positives (scikit-learn's prob_true) */
  observedRate: number;
}

export interface CalibrationTable {
  /** the `bins + 1` quantile edges, `np.percentile(p, linspace(0, 1, bins + 1) * 100)` */
  edges: number[];
  /** non-empty bins only, in increasing probability (tied edges can leave bins empty) */
  bins: CalibrationBin[];
  /** scikit-learn's `calibration_curve(..., strategy="quantile")` arrays */
  probTrue: number[];
  probPred: number[];
  counts: number[];
}

/**
 * numpy's default ("linear", Hyndman–Fan type 7) percentile of sorted values, replicating its
 * arithmetic — q·100 then /100, its two-sided lerp — so that edges that fall on tied scores
 * are bit-identical to scikit-learn's and assign the ties to the same bin.
 */
function numpyPercentileSorted(sorted: Float64Array, q: number): number {
  const n = sorted.length;
  const virtual = (n - 1) * ((q * 100) / 100);
  if (virtual >= n - 1) return sorted[n - 1];
  if (virtual < 0) return sorted[0];
  const prev = Math.floor(virtual);
  const t = virtual - prev;
  const a = sorted[prev];
  const b = sorted[prev + 1];
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/**
 * Calibration table (reliability diagram) with quantile bins: the probabilities are cut at
 * their `bins`-quantiles, and each bin reports its mean predicted probability and observed
 * exit rate (and its size). Equals scikit-learn's
 * `calibration_curve(y, p, n_bins=bins, strategy="quantile")` — `probTrue`, `probPred` — plus
 * `counts`; like it, empty bins are dropped, and a probability equal to an inner edge goes to
 * the lower bin (`np.searchsorted(edges[1:-1], p)`, side left).
 *
 * Cost: O(n log n) (a sorted copy for the quantiles) + O(n log bins).
 *
 * @throws AppError `unprocessable:scores` as {@link brierScore}, or if `bins` is not a
 *   positive integer.
 * @example
 * calibrationTable([0, 0, 0, 0, 1, 1, 1, 1, 1], [0.1, 0.2, 0.3, 0.4, 0.65, 0.7, 0.8, 0.9, 1], 3).probPred;
 * // => [0.2, 0.5833333333333334, 0.9]
 */
export function calibrationTable(y: ArrayLike<number>, p: ArrayLike<number>, bins = 10): CalibrationTable {
  if (!Number.isInteger(bins) || bins < 1) {
    throw new AppError("unprocessable:scores", `A calibration table needs a positive whole number of bins, got ${bins}.`);
  }
  checkInputs(y, p, "probabilities");
  const sorted = Float64Array.from(p).sort();
  const step = 1 / bins; // np.linspace(0, 1, bins + 1) = arange(bins + 1) * step, last = 1
  const edges = Array.from({ length: bins + 1 }, (_, i) => numpyPercentileSorted(sorted, i === bins ? 1 : i * step));
  const inner = Float64Array.from(edges.slice(1, -1));
  const count = new Float64Array(bins);
  const sumP = new Float64Array(bins);
  const sumY = new Float64Array(bins);
  for (let i = 0; i < p.length; i++) {
    const v = p[i];
    // searchsorted side="left": the number of inner edges strictly below v
    let lo = 0;
    let hi = inner.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (inner[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    count[lo]++;
    sumP[lo] += v;
    sumY[lo] += y[i];
  }
  const out: CalibrationTable = { edges, bins: [], probTrue: [], probPred: [], counts: [] };
  for (let b = 0; b < bins; b++) {
    if (count[b] === 0) continue;
    const bin = { lower: edges[b], upper: edges[b + 1], count: count[b], meanPredicted: sumP[b] / count[b], observedRate: sumY[b] / count[b] };
    out.bins.push(bin);
    out.probTrue.push(bin.observedRate);
    out.probPred.push(bin.meanPredicted);
    out.counts.push(bin.count);
  }
  return out;
}

/** Points of a curve for a chart, with the threshold each point belongs to. */
export interface CurvePoints {
  x: number[];
  y: number[];
  threshold: number[];
}

/**
 * At most `maxPoints` of a polyline, evenly spaced along its L1 length, always keeping the
 * first and last point and every point of a path shorter than that: a chart cannot show more,
 * and the shape (which moves in small steps) survives. Cost: O(m).
 */
function thin(x: ArrayLike<number>, y: ArrayLike<number>, t: ArrayLike<number>, maxPoints: number): CurvePoints {
  const m = x.length;
  if (m <= maxPoints) return { x: Array.from(x), y: Array.from(y), threshold: Array.from(t) };
  let total = 0;
  for (let i = 1; i < m; i++) total += Math.abs(x[i] - x[i - 1]) + Math.abs(y[i] - y[i - 1]);
  const out: CurvePoints = { x: [x[0]], y: [y[0]], threshold: [t[0]] };
  const spacing = total / (maxPoints - 1);
  let walked = 0;
  let next = spacing;
  for (let i = 1; i < m - 1; i++) {
    walked += Math.abs(x[i] - x[i - 1]) + Math.abs(y[i] - y[i - 1]);
    if (walked >= next && out.x.length < maxPoints - 1) {
      out.x.push(x[i]);
      out.y.push(y[i]);
      out.threshold.push(t[i]);
      next = (Math.floor(walked / spacing) + 1) * spacing;
    }
  }
  out.x.push(x[m - 1]);
  out.y.push(y[m - 1]);
  out.threshold.push(t[m - 1]);
  return out;
}

/** How many points a chart gets by default. */
export const CHART_POINTS = 200;

/**
 * ROC curve for a chart: x = false-positive rate, y = true-positive rate, from (0, 0) at
 * threshold +∞ (scikit-learn 1.2 writes max + 1 there) through one point per distinct score to
 * (1, 1); thinned to at most `maxPoints` (default 200). The `auc` is computed on all points.
 * scikit-learn twin: `roc_curve(y, score, drop_intermediate=False)` before thinning.
 *
 * Cost: O(n log n).
 *
 * @throws AppError as {@link rocAuc}.
 */
export function rocCurve(y: ArrayLike<number>, score: ArrayLike<number>, maxPoints = CHART_POINTS): CurvePoints & { auc: number } {
  return rocCurveOf(rankCounts(y, score), maxPoints);
}

export function rocCurveOf(r: RankCounts, maxPoints = CHART_POINTS): CurvePoints & { auc: number } {
  const auc = aucOf(r);
  const m = r.threshold.length + 1;
  const fpr = new Float64Array(m);
  const tpr = new Float64Array(m);
  const thr = new Float64Array(m);
  thr[0] = Infinity;
  for (let k = 0; k < r.threshold.length; k++) {
    fpr[k + 1] = r.fp[k] / r.negatives;
    tpr[k + 1] = r.tp[k] / r.positives;
    thr[k + 1] = r.threshold[k];
  }
  return { ...thin(fpr, tpr, thr, Math.max(2, maxPoints)), auc };
}

/**
 * Precision–recall curve for a chart: x = recall, y = precision, one point per distinct score
 * from the highest down, stopping where full recall is first reached (as scikit-learn), with
 * scikit-learn's end point (recall 0, precision 1) first; thinned to at most `maxPoints`.
 * `averagePrecision` is computed on all points. scikit-learn twin:
 * `precision_recall_curve(y, score)` read backwards, before thinning.
 *
 * Cost: O(n log n).
 *
 * @throws AppError as {@link averagePrecision}.
 */
export function prCurve(
  y: ArrayLike<number>,
  score: ArrayLike<number>,
  maxPoints = CHART_POINTS,
): CurvePoints & { averagePrecision: number } {
  return prCurveOf(rankCounts(y, score), maxPoints);
}

export function prCurveOf(r: RankCounts, maxPoints = CHART_POINTS): CurvePoints & { averagePrecision: number } {
  const ap = averagePrecisionOf(r);
  let last = 0;
  while (r.tp[last] < r.positives) last++;
  const m = last + 2;
  const rec = new Float64Array(m);
  const prec = new Float64Array(m);
  const thr = new Float64Array(m);
  prec[0] = 1;
  thr[0] = Infinity;
  for (let k = 0; k <= last; k++) {
    rec[k + 1] = r.tp[k] / r.positives;
    prec[k + 1] = r.tp[k] / (r.tp[k] + r.fp[k]);
    thr[k + 1] = r.threshold[k];
  }
  return { ...thin(rec, prec, thr, Math.max(2, maxPoints)), averagePrecision: ap };
}

/**
 * Precision, recall and F1 as functions of the decision threshold, predicting "exits" when
 * score ≥ threshold (the rule of lib/model/logistic.ts): one entry per distinct score, highest
 * first. Zero divisions give 0 (scikit-learn's `zero_division=0`); there is always at least one
 * predicted positive, so only precision is never 0/0 here.
 */
export interface ThresholdCurve {
  threshold: Float64Array;
  precision: Float64Array;
  recall: Float64Array;
  f1: Float64Array;
  /** predicted positives (tp + fp) at each threshold */
  predictedPositive: Float64Array;
}

/**
 * {@link ThresholdCurve} of a scored set. With `maxPoints`, evenly spaced entries (by index,
 * first and last kept) for a chart. Cost: O(n log n).
 *
 * @throws AppError as {@link rankCounts} (one class is allowed: recall and F1 are then 0
 *   without positives).
 */
export function thresholdCurve(y: ArrayLike<number>, score: ArrayLike<number>, maxPoints = Infinity): ThresholdCurve {
  return thresholdCurveOf(rankCounts(y, score), maxPoints);
}

export function thresholdCurveOf(r: RankCounts, maxPoints = Infinity): ThresholdCurve {
  const all = r.threshold.length;
  const m = Math.min(all, Math.max(2, maxPoints));
  const out: ThresholdCurve = {
    threshold: new Float64Array(m),
    precision: new Float64Array(m),
    recall: new Float64Array(m),
    f1: new Float64Array(m),
    predictedPositive: new Float64Array(m),
  };
  for (let j = 0; j < m; j++) {
    const k = m === all ? j : Math.round((j * (all - 1)) / (m - 1));
    const tp = r.tp[k];
    const pp = tp + r.fp[k];
    out.threshold[j] = r.threshold[k];
    out.predictedPositive[j] = pp;
    out.precision[j] = tp / pp;
    out.recall[j] = r.positives === 0 ? 0 : tp / r.positives;
    out.f1[j] = tp === 0 ? 0 : (2 * tp) / (pp + r.positives);
  }
  return out;
}

export interface MaxF1 {
  /** predict "exits" when score ≥ threshold; it is one of the given scores */
  threshold: number;
  f1: number;
  precision: number;
  recall: number;
}

/**
 * The threshold that maximises F1 on the given data, among the distinct scores (predicting
 * positive when score ≥ threshold; any threshold between a score and the next lower one
 * gives the same predictions, the score itself is returned so that re-applying it reproduces
 * this F1 exactly).
 *
 * Tie-breaking: among thresholds with the same (maximal) F1, the HIGHEST is returned — the
 * fewest clients flagged for the same F1 (fewer calls for the client managers), and
 * deterministic. F1 values are compared exactly as computed, 2·tp / (tp + fp + positives).
 *
 * Cost: O(n log n).
 *
 * @throws AppError `unprocessable:scores` as {@link rankCounts}, and when there is no
 *   positive (F1 is 0 at every threshold, so no threshold is better than another).
 * @example
 * maxF1Threshold([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); // => { threshold: 0.35, f1: 0.8, precision: 0.6666…, recall: 1 }
 */
export function maxF1Threshold(y: ArrayLike<number>, score: ArrayLike<number>): MaxF1 {
  return maxF1ThresholdOf(rankCounts(y, score));
}

export function maxF1ThresholdOf(r: RankCounts): MaxF1 {
  if (r.positives === 0) {
    throw new AppError("unprocessable:scores", "No threshold maximises F1 without positives: F1 is 0 at every threshold.");
  }
  let best = 0;
  let bestF1 = -1;
  for (let k = 0; k < r.threshold.length; k++) {
    const f1 = (2 * r.tp[k]) / (r.tp[k] + r.fp[k] + r.positives);
    if (f1 > bestF1) {
      bestF1 = f1;
      best = k;
    }
  }
  return {
    threshold: r.threshold[best],
    f1: bestF1,
    precision: r.tp[best] / (r.tp[best] + r.fp[best]),
    recall: r.tp[best] / r.positives,
  };
}
