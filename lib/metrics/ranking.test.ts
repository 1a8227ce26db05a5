import { describe, expect, it } from "vitest";
import { continuousScores, tiedScores } from "../testing/golden-scores";
import {
  averagePrecision,
  brierScore,
  calibrationTable,
  LOG_LOSS_EPS,
  logLoss,
  maxF1Threshold,
  prCurve,
  rankCounts,
  rocAuc,
  rocCurve,
  thresholdCurve,
} from "./ranking";

/*
 * Golden values from scikit-learn 1.2.1 / numpy 1.24.2 (Debian python3-sklearn), printed by
 *
 *   /usr/bin/python3 data/golden/ranking_golden.py
 *
 * which rebuilds tiedScores(2026, 400) and continuousScores(7, 300) (lib/testing/golden-scores.ts)
 * from the same Mulberry32 streams (Python port in data/golden/mulberry32.py) and calls roc_auc_score, average_precision_score,
 * brier_score_loss, log_loss, calibration_curve(n_bins=10, strategy="quantile"), roc_curve
 * (drop_intermediate=False) and precision_recall_curve. Every value is repr() of a float64.
 */

const GOLDEN = {
  tied: {
    data: tiedScores(2026, 400),
    positives: 147,
    distinct: 41,
    rocAuc: 0.7345728805356134,
    averagePrecision: 0.6847224511347605,
    brierScore: 0.1973828125,
    logLoss: 0.9098961184023148,
    probTrue: [
      0.16326530612244897, 0.24444444444444444, 0.23333333333333334, 0.3055555555555556, 0.2553191489361702, 0.21052631578947367,
      0.2978723404255319, 0.45714285714285713, 0.6666666666666666, 0.95,
    ],
    probPred: [
      0.08571428571428572, 0.2038888888888888, 0.26250000000000007, 0.32083333333333325, 0.3941489361702128, 0.4743421052631578,
      0.5499999999999997, 0.6228571428571428, 0.7204545454545457, 0.9275,
    ],
    edges: [0.0, 0.15, 0.225, 0.275, 0.36500000000000055, 0.425, 0.5, 0.575, 0.65, 0.8025000000000007, 1.0],
    counts: [49, 45, 30, 36, 47, 38, 47, 35, 33, 40],
    maxF1: { f1: 0.5975103734439834, threshold: 0.625 },
  },
  continuous: {
    data: continuousScores(7, 300),
    positives: 112,
    distinct: 300,
    rocAuc: 0.8602773556231003,
    averagePrecision: 0.7949793771087161,
    brierScore: 0.14710140766644345,
    logLoss: 0.4359358995511953,
    probTrue: [
      0.0, 0.0, 0.06666666666666667, 0.3, 0.26666666666666666, 0.43333333333333335, 0.36666666666666664, 0.7, 0.6666666666666666,
      0.9333333333333333,
    ],
    probPred: [
      0.004726885572353246, 0.04661740381059846, 0.10029302464402857, 0.18358579571589528, 0.27489881815013967, 0.3782318068382486,
      0.4921584271365475, 0.5994862517023027, 0.7585710846672931, 0.9283175710515723,
    ],
    edges: [
      7.161096269899978e-6, 0.022568210765331064, 0.07432830480574484, 0.13396068456184065, 0.23359498119204697, 0.3073552157975624,
      0.43844096271783783, 0.5337422615144173, 0.6746575913255998, 0.8494026303767269, 0.9897476819594659,
    ],
    counts: [30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
    maxF1: { f1: 0.7169811320754718, threshold: 0.3037249525190522 },
  },
};

// roc_curve(y, s, drop_intermediate=False) and precision_recall_curve(y, s) of the tied set
// (the latter read from the highest threshold down, without its appended end point).
const TIED_ROC_FPR = [0.0, 0.007905138339920948, 0.007905138339920948, 0.007905138339920948, 0.007905138339920948, 0.007905138339920948, 0.007905138339920948, 0.007905138339920948, 0.007905138339920948, 0.007905138339920948, 0.007905138339920948, 0.007905138339920948, 0.011857707509881422, 0.019762845849802372, 0.05138339920948617, 0.06719367588932806, 0.08695652173913043, 0.12648221343873517, 0.17786561264822134, 0.20948616600790515, 0.25691699604743085, 0.30039525691699603, 0.33201581027667987, 0.37549407114624506, 0.4031620553359684, 0.44664031620553357, 0.5138339920948617, 0.5375494071146245, 0.5573122529644269, 0.6126482213438735, 0.6600790513833992, 0.7035573122529645, 0.7509881422924901, 0.8102766798418972, 0.8379446640316206, 0.8735177865612648, 0.9011857707509882, 0.9169960474308301, 0.9565217391304348, 0.9762845849802372, 0.9881422924901185, 1.0];
const TIED_ROC_TPR = [0.0, 0.08163265306122448, 0.09523809523809523, 0.10884353741496598, 0.1360544217687075, 0.17687074829931973, 0.20408163265306123, 0.21768707482993196, 0.2585034013605442, 0.2857142857142857, 0.3129251700680272, 0.3469387755102041, 0.36054421768707484, 0.3673469387755102, 0.40816326530612246, 0.4557823129251701, 0.4897959183673469, 0.5170068027210885, 0.54421768707483, 0.5782312925170068, 0.6122448979591837, 0.6258503401360545, 0.6462585034013606, 0.6666666666666666, 0.6870748299319728, 0.7210884353741497, 0.7482993197278912, 0.782312925170068, 0.8027210884353742, 0.8231292517006803, 0.8435374149659864, 0.8707482993197279, 0.9115646258503401, 0.9183673469387755, 0.9455782312925171, 0.9523809523809523, 0.9523809523809523, 0.9591836734693877, 0.9727891156462585, 0.9863945578231292, 0.9863945578231292, 1.0];
const TIED_PRECISION = [0.8571428571428571, 0.875, 0.8888888888888888, 0.9090909090909091, 0.9285714285714286, 0.9375, 0.9411764705882353, 0.95, 0.9545454545454546, 0.9583333333333334, 0.9622641509433962, 0.9464285714285714, 0.9152542372881356, 0.821917808219178, 0.7976190476190477, 0.7659574468085106, 0.7037037037037037, 0.64, 0.6159420289855072, 0.5806451612903226, 0.5476190476190477, 0.5307262569832403, 0.5077720207253886, 0.4975369458128079, 0.4840182648401826, 0.4583333333333333, 0.4581673306772908, 0.4555984555984556, 0.4384057971014493, 0.4261168384879725, 0.41830065359477125, 0.41358024691358025, 0.39705882352941174, 0.396011396011396, 0.3878116343490305, 0.3804347826086957, 0.3780160857908847, 0.37142857142857144, 0.36989795918367346, 0.3670886075949367, 0.3675];
const TIED_RECALL = [0.08163265306122448, 0.09523809523809523, 0.10884353741496598, 0.1360544217687075, 0.17687074829931973, 0.20408163265306123, 0.21768707482993196, 0.2585034013605442, 0.2857142857142857, 0.3129251700680272, 0.3469387755102041, 0.36054421768707484, 0.3673469387755102, 0.40816326530612246, 0.4557823129251701, 0.4897959183673469, 0.5170068027210885, 0.54421768707483, 0.5782312925170068, 0.6122448979591837, 0.6258503401360545, 0.6462585034013606, 0.6666666666666666, 0.6870748299319728, 0.7210884353741497, 0.7482993197278912, 0.782312925170068, 0.8027210884353742, 0.8231292517006803, 0.8435374149659864, 0.8707482993197279, 0.9115646258503401, 0.9183673469387755, 0.9455782312925171, 0.9523809523809523, 0.9523809523809523, 0.9591836734693877, 0.9727891156462585, 0.9863945578231292, 0.9863945578231292, 1.0];

const TOL = 1e-9;
function expectAllClose(actual: ArrayLike<number>, expected: readonly number[], tol = TOL): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i] - expected[i])).toBeLessThanOrEqual(tol);
}

describe.each(Object.entries(GOLDEN))("ranking metrics on the %s golden set", (_, g) => {
  const { y, s } = g.data;

  it("rebuilds the same data set as the Python script", () => {
    const r = rankCounts(y, s);
    expect(r.positives).toBe(g.positives);
    expect(r.threshold.length).toBe(g.distinct);
  });

  it("rocAuc, averagePrecision, brierScore and logLoss equal scikit-learn to 1e-9", () => {
    expect(Math.abs(rocAuc(y, s) - g.rocAuc)).toBeLessThanOrEqual(TOL);
    expect(Math.abs(averagePrecision(y, s) - g.averagePrecision)).toBeLessThanOrEqual(TOL);
    expect(Math.abs(brierScore(y, s) - g.brierScore)).toBeLessThanOrEqual(TOL);
    expect(Math.abs(logLoss(y, s) - g.logLoss)).toBeLessThanOrEqual(TOL);
  });

  it("calibrationTable equals calibration_curve(strategy='quantile'), with counts and edges", () => {
    const t = calibrationTable(y, s, 10);
    expectAllClose(t.probTrue, g.probTrue);
    expectAllClose(t.probPred, g.probPred);
    expect(t.counts).toEqual(g.counts);
    // bit-identical edges: ties sitting on an edge must land in the same bin as numpy's
    expect(t.edges).toEqual(g.edges);
    expect(t.bins.map((b) => b.count)).toEqual(g.counts);
    expect(t.bins[0].lower).toBe(g.edges[0]);
  });

  it("maxF1Threshold finds scikit-learn's best threshold (the highest on ties)", () => {
    const m = maxF1Threshold(y, s);
    expect(m.threshold).toBe(g.maxF1.threshold);
    expect(Math.abs(m.f1 - g.maxF1.f1)).toBeLessThanOrEqual(1e-12);
    expect(m.f1).toBeCloseTo((2 * m.precision * m.recall) / (m.precision + m.recall), 12);
  });

  it("the curves carry the full-data AUC/AP whatever the thinning", () => {
    const roc = rocCurve(y, s, 20);
    expect(roc.x.length).toBeLessThanOrEqual(20);
    expect([roc.x[0], roc.y[0], roc.x.at(-1), roc.y.at(-1)]).toEqual([0, 0, 1, 1]);
    expect(Math.abs(roc.auc - g.rocAuc)).toBeLessThanOrEqual(TOL);
    const pr = prCurve(y, s, 20);
    expect(pr.x.length).toBeLessThanOrEqual(20);
    expect([pr.x[0], pr.y[0], pr.x.at(-1)]).toEqual([0, 1, 1]);
    expect(Math.abs(pr.averagePrecision - g.averagePrecision)).toBeLessThanOrEqual(TOL);
  });
});

describe("curves of the tied set, point by point", () => {
  const { y, s } = GOLDEN.tied.data;

  it("rocCurve (unthinned) equals roc_curve(drop_intermediate=False)", () => {
    const roc = rocCurve(y, s, Infinity);
    expectAllClose(roc.x, TIED_ROC_FPR);
    expectAllClose(roc.y, TIED_ROC_TPR);
    expect(roc.threshold[0]).toBe(Infinity);
  });

  it("thresholdCurve equals precision_recall_curve, with F1 = 2PR/(P+R)", () => {
    const c = thresholdCurve(y, s);
    expectAllClose(c.precision, TIED_PRECISION);
    expectAllClose(c.recall, TIED_RECALL);
    expectAllClose(c.threshold, Array.from({ length: 41 }, (_, k) => (40 - k) / 40));
    c.f1.forEach((f, k) => expect(f).toBeCloseTo((2 * TIED_PRECISION[k] * TIED_RECALL[k]) / (TIED_PRECISION[k] + TIED_RECALL[k]), 12));
    const thin = thresholdCurve(y, s, 5);
    expect(Array.from(thin.threshold)).toEqual([1, 0.75, 0.5, 0.25, 0]);
  });

  it("thins a long curve to at most 200 points, keeping both ends", () => {
    const { y: yl, s: sl } = continuousScores(11, 5000);
    const roc = rocCurve(yl, sl);
    expect(roc.x.length).toBeLessThanOrEqual(200);
    expect(roc.x.length).toBeGreaterThan(150);
    expect([roc.x[0], roc.y[0], roc.x.at(-1), roc.y.at(-1)]).toEqual([0, 0, 1, 1]);
    for (let i = 1; i < roc.x.length; i++) {
      expect(roc.x[i]).toBeGreaterThanOrEqual(roc.x[i - 1]);
      expect(roc.threshold[i]).toBeLessThan(roc.threshold[i - 1]);
    }
    expect(roc.auc).toBe(rocAuc(yl, sl));
  });
});

describe("small and edge cases", () => {
  // scikit-learn docstring examples: roc_auc_score → 0.75, average_precision_score → 0.8333…;
  // calibration_curve([0,0,0,0,1,1,1,1,1], [.1,.2,.3,.4,.65,.7,.8,.9,1.], n_bins=3, strategy="quantile")
  //   → ([0, 0.66666667, 1], [0.2, 0.58333333, 0.9])
  it("matches the scikit-learn docstring examples", () => {
    expect(rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBe(0.75);
    expect(averagePrecision([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBeCloseTo(0.8333333333333333, 15);
    expect(maxF1Threshold([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toMatchObject({ threshold: 0.35, f1: 0.8, recall: 1 });
    expect(calibrationTable([0, 0, 0, 0, 1, 1, 1, 1, 1], [0.1, 0.2, 0.3, 0.4, 0.65, 0.7, 0.8, 0.9, 1], 3)).toMatchObject({
      probTrue: [0, 2 / 3, 1],
      counts: [3, 3, 3],
    });
  });

  // roc_auc_score([0,1,0,1], [.5]*4) -> 0.5; average_precision_score(...) -> 0.5
  it("counts a block of tied scores as one threshold", () => {
    expect(rocAuc([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5])).toBe(0.5);
    expect(averagePrecision([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5])).toBe(0.5);
    expect(rocAuc([0, 1], [-0, 0])).toBe(0.5);
  });

  // calibration_curve([0,1,0,1,1], [.2]*5, n_bins=10, strategy="quantile") -> ([0.6], [0.2])
  it("keeps only non-empty bins when all probabilities are tied", () => {
    const t = calibrationTable([0, 1, 0, 1, 1], [0.2, 0.2, 0.2, 0.2, 0.2]);
    expect(t.probTrue).toEqual([0.6]);
    expect(t.probPred).toEqual([0.2]);
    expect(t.counts).toEqual([5]);
  });

  // log_loss([0,1,1,0], [0.0,1.0,0.0,1.0]) -> 18.021826694558577 (p clipped to [2^-52, 1-2^-52])
  it("clips probabilities like scikit-learn 1.2.1's log_loss(eps='auto')", () => {
    expect(logLoss([0, 1, 1, 0], [0, 1, 0, 1])).toBeCloseTo(18.021826694558577, 12);
    expect(logLoss([1], [0])).toBeCloseTo(-Math.log(LOG_LOSS_EPS), 12);
  });

  // log_loss([1,1,1], [0.9,0.6,0.2], labels=[0,1]) -> 0.7418746839526391
  // brier_score_loss([0,0,0], [0.1,0.2,0.7]) -> 0.17999999999999997
  it("defines logLoss and brierScore with one class (labels taken as {0, 1})", () => {
    expect(logLoss([1, 1, 1], [0.9, 0.6, 0.2])).toBeCloseTo(0.7418746839526391, 14);
    expect(brierScore([0, 0, 0], [0.1, 0.2, 0.7])).toBeCloseTo(0.18, 14);
    expect(calibrationTable([0, 0, 0], [0.1, 0.2, 0.7]).probTrue).toEqual([0, 0, 0]);
  });

  // roc_auc_score([1,1,1], ...) raises "Only one class present in y_true. ROC AUC score is not
  // defined in that case."; average_precision_score([0,0,0], ...) returns -0.0 with a warning.
  it("refuses ranking metrics with one class, with a clear error", () => {
    expect(() => rocAuc([1, 1, 1], [0.1, 0.2, 0.7])).toThrow(/only one class/);
    expect(() => averagePrecision([0, 0, 0], [0.1, 0.2, 0.7])).toThrow(/only one class/);
    expect(() => rocCurve([0, 0], [0.1, 0.2])).toThrow(/only one class/);
    expect(() => maxF1Threshold([0, 0], [0.1, 0.2])).toThrow(/without positives/);
    // the threshold curve itself is defined: recall and F1 are 0
    expect(Array.from(thresholdCurve([0, 0], [0.1, 0.2]).f1)).toEqual([0, 0]);
  });

  it("rejects empty, mismatched and invalid input", () => {
    expect(() => rocAuc([], [])).toThrow(/empty/);
    expect(() => rocAuc([0, 1], [0.5])).toThrow(/differ in length/);
    expect(() => rocAuc([0, 2], [0.5, 0.6])).toThrow(/0 or 1/);
    expect(() => rocAuc([0, 1], [NaN, 0.6])).toThrow(/finite/);
    expect(() => brierScore([0, 1], [0.5, 1.2])).toThrow(/\[0, 1\]/);
    expect(() => calibrationTable([1], [0.5], 0)).toThrow(/bins/);
  });

  it("handles a single row", () => {
    expect(brierScore([1], [0.75])).toBe(0.0625);
    expect(calibrationTable([1], [0.3])).toMatchObject({ probTrue: [1], probPred: [0.3], counts: [1] });
    expect(maxF1Threshold([1], [0.3])).toMatchObject({ threshold: 0.3, f1: 1 });
  });
});
