import { describe, expect, it } from "vitest";
import { createRng } from "../stats/random";
import { continuousScores, tiedScores } from "../testing/golden-scores";
import { classificationScores } from "./classification";
import {
  applyCalibration,
  binnedCalibrationMap,
  calibrationCheck,
  estimatePerformance,
  fitIsotonicCalibration,
  SIMULATION_BUDGET,
} from "./estimated-performance";
import { calibrationTable } from "./ranking";

/*
 * Golden values (isotonic map, Hosmer–Lemeshow) from scikit-learn 1.2.1 / scipy 1.10.1, printed by
 *   /usr/bin/python3 data/golden/ranking_golden.py
 * isotonic: IsotonicRegression(y_min=0, y_max=1, out_of_bounds="clip").fit(s, y).predict(PROBE);
 * Hosmer–Lemeshow: H = Σ n·(prob_true − prob_pred)² / (prob_pred·(1 − prob_pred)) over the
 * calibration_curve(strategy="quantile") bins, p = stats.chi2.sf(H, number of bins).
 */
const PROBE = [-0.1, 0.0, 0.0125, 0.1, 0.33, 0.5, 0.61, 0.77, 0.9, 0.999, 1.0, 1.3];
const ISOTONIC = {
  tied: [
    0.16326530612244897, 0.16326530612244897, 0.16326530612244897, 0.16326530612244897, 0.2692307692307692, 0.2692307692307692,
    0.3772727272727273, 0.9622641509433962, 0.9622641509433962, 0.9622641509433962, 0.9622641509433962, 0.9622641509433962,
  ],
  continuous: [0.0, 0.0, 0.0, 0.0, 0.39215686274509803, 0.39215686274509803, 0.6410256410256411, 0.8, 0.9090909090909091, 1.0, 1.0, 1.0],
};
const HOSMER_LEMESHOW = {
  tied: { statistic: 35.72556694672308, df: 10, pValue: 9.38221165024961e-5 },
  continuous: { statistic: 9.642935698870044, df: 10, pValue: 0.47235802042943054 },
};
const SETS = { tied: tiedScores(2026, 400), continuous: continuousScores(7, 300) };

describe("calibration maps and the calibration check", () => {
  it.each(Object.keys(SETS) as (keyof typeof SETS)[])("isotonic map on the %s set equals scikit-learn's IsotonicRegression to 1e-9", (name) => {
    const { y, s } = SETS[name];
    const map = fitIsotonicCalibration(y, s);
    const out = applyCalibration(map, PROBE);
    ISOTONIC[name].forEach((v, i) => expect(Math.abs(out[i] - v)).toBeLessThanOrEqual(1e-9));
    // monotone and JSON-storable
    for (let k = 1; k < map.y.length; k++) expect(map.y[k]).toBeGreaterThanOrEqual(map.y[k - 1]);
    expect(JSON.parse(JSON.stringify(map))).toEqual(map);
  });

  it.each(Object.keys(SETS) as (keyof typeof SETS)[])("Hosmer–Lemeshow on the %s set equals the Python computation", (name) => {
    const { y, s } = SETS[name];
    const c = calibrationCheck(calibrationTable(y, s));
    const g = HOSMER_LEMESHOW[name];
    expect(Math.abs(c.statistic - g.statistic) / g.statistic).toBeLessThan(1e-9);
    expect(c.df).toBe(g.df);
    expect(Math.abs(c.pValue - g.pValue) / g.pValue).toBeLessThan(1e-9);
    // the tied scores are not calibrated, the continuous ones are (p = v², y ~ Bernoulli(p))
    expect(c.needsCalibration).toBe(name === "tied");
  });

  it("binned map sends each probability to its bin's observed rate", () => {
    const { y, s } = SETS.tied;
    const t = calibrationTable(y, s);
    const map = binnedCalibrationMap(t);
    const out = applyCalibration(map, s);
    // the mean of the mapped probabilities per bin is the bin's observed rate, so overall the base rate
    const mean = out.reduce((a, b) => a + b, 0) / out.length;
    expect(mean).toBeCloseTo(y.reduce((a, b) => a + b, 0) / y.length, 12);
    expect(Array.from(applyCalibration(map, [t.edges[1], t.edges[1] + 1e-9]))).toEqual([t.bins[0].observedRate, t.bins[1].observedRate]);
  });

  it("isotonic map of a single distinct value is constant", () => {
    const map = fitIsotonicCalibration([1, 0, 0, 1], [0.3, 0.3, 0.3, 0.3]);
    expect(Array.from(applyCalibration(map, [0, 0.3, 1]))).toEqual([0.5, 0.5, 0.5]);
  });
});

describe("estimatePerformance (CBPE)", () => {
  it("gives the expected confusion matrix by hand", () => {
    // p ≥ 0.5 → predicted exit: E[TP] = 0.9 + 0.6, E[FP] = 0.1 + 0.4, E[FN] = 0.3 + 0.1, E[TN] = 0.7 + 0.9
    const e = estimatePerformance([0.9, 0.6, 0.3, 0.1], 0.5);
    expect(e.expectedConfusion.tp).toBeCloseTo(1.5, 15);
    expect(e.expectedConfusion.fp).toBeCloseTo(0.5, 15);
    expect(e.expectedConfusion.fn).toBeCloseTo(0.4, 15);
    expect(e.expectedConfusion.tn).toBeCloseTo(1.6, 15);
    expect(e.precision.estimate).toBeCloseTo(0.75, 15);
    expect(e.recall.estimate).toBeCloseTo(1.5 / 1.9, 15);
    expect(e.f1.estimate).toBeCloseTo(3 / 3.9, 15);
    expect(e.accuracy.estimate).toBeCloseTo(3.1 / 4, 15);
    expect(e.band.method).toBe("exact-simulation");
    expect(e.f1.lower).toBeLessThanOrEqual(e.f1.estimate);
    expect(e.f1.upper).toBeGreaterThanOrEqual(e.f1.estimate);
  });

  it("is reproducible for a seed", () => {
    const { s } = continuousScores(3, 500);
    expect(estimatePerformance(s, 0.5, { seed: 9 })).toEqual(estimatePerformance(s, 0.5, { seed: 9 }));
  });

  it("handles a batch where nobody is predicted to exit (zero_division = 0)", () => {
    const e = estimatePerformance([0.1, 0.2], 0.5);
    expect(e.predictedPositive).toBe(0);
    expect(e.precision).toEqual({ estimate: 0, lower: 0, upper: 0 });
    expect(e.f1).toEqual({ estimate: 0, lower: 0, upper: 0 });
  });

  it("refuses empty batches and invalid probabilities or thresholds", () => {
    expect(() => estimatePerformance([], 0.5)).toThrow(/empty/);
    expect(() => estimatePerformance([0.2, 1.5], 0.5)).toThrow(/\[0, 1\]/);
    expect(() => estimatePerformance([0.2], 2)).toThrow(/threshold/);
  });

  /** A batch whose labels are drawn from known calibrated probabilities (p = v^1.5 · 0.9 + 0.05). */
  function batch(seed: number, n: number): { p: Float64Array; y: Uint8Array } {
    const r = createRng(seed);
    const p = new Float64Array(n);
    const y = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      p[i] = r() ** 1.5 * 0.9 + 0.05;
      y[i] = r() < p[i] ? 1 : 0;
    }
    return { p, y };
  }

  function coverage(n: number, threshold: number, method: string): number {
    let inside = 0;
    for (let b = 0; b < 100; b++) {
      const { p, y } = batch(1000 + b, n);
      const est = estimatePerformance(p, threshold, { seed: b }); // labels hidden: only p goes in
      expect(est.band.method).toBe(method);
      const realized = classificationScores(y, Array.from(p, (v) => (v >= threshold ? 1 : 0))).f1;
      if (realized >= est.f1.lower && realized <= est.f1.upper) inside++;
    }
    return inside;
  }

  it("covers the realized F1 with its 95 % band in at least 90 of 100 seeded batches (exact simulation, 400 rows)", () => {
    const inside = coverage(400, 0.5, "exact-simulation");
    console.log(`CBPE exact-simulation band: realized F1 inside in ${inside} of 100 batches`);
    expect(inside).toBeGreaterThanOrEqual(90);
  });

  it("covers the realized F1 in at least 90 of 100 seeded batches (normal simulation, 20,000 rows)", () => {
    expect(20_000 * 2000).toBeGreaterThan(SIMULATION_BUDGET);
    const inside = coverage(20_000, 0.4, "normal-simulation");
    console.log(`CBPE normal-simulation band: realized F1 inside in ${inside} of 100 batches`);
    expect(inside).toBeGreaterThanOrEqual(90);
  });

  it("calibrates over-confident scores with an isotonic map fitted on test data before estimating", () => {
    // the model reports s = √p (too high); a labelled test set of 5000 rows gives the map back to p
    const test = batch(77, 5000);
    const s = test.p.map(Math.sqrt);
    expect(calibrationCheck(calibrationTable(test.y, s)).needsCalibration).toBe(true);
    const map = fitIsotonicCalibration(test.y, s);
    let inside = 0;
    let insideRaw = 0;
    for (let b = 0; b < 100; b++) {
      const { p, y } = batch(5000 + b, 400);
      const scores = p.map(Math.sqrt);
      const calibrated = applyCalibration(map, scores);
      const est = estimatePerformance(scores, 0.5, { calibration: map, seed: b });
      expect(est.calibrated).toBe(true);
      // the threshold applies to the calibrated probabilities
      const realized = classificationScores(y, Array.from(calibrated, (v) => (v >= 0.5 ? 1 : 0))).f1;
      if (realized >= est.f1.lower && realized <= est.f1.upper) inside++;
      const raw = estimatePerformance(scores, 0.5, { seed: b });
      const realizedRaw = classificationScores(y, Array.from(scores, (v) => (v >= 0.5 ? 1 : 0))).f1;
      if (realizedRaw >= raw.f1.lower && realizedRaw <= raw.f1.upper) insideRaw++;
    }
    console.log(`CBPE with isotonic calibration: ${inside} of 100 inside; without calibration: ${insideRaw} of 100`);
    // the band leaves out the map's own error, so allow a little less than the nominal 95
    expect(inside).toBeGreaterThanOrEqual(85);
    expect(insideRaw).toBeLessThan(inside);
  });
});
