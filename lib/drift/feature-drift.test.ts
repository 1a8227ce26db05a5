import { describe, expect, it } from "vitest";
import { FEATURE_DRIFT_METHODS, featureDrift, histogram } from "./feature-drift";

const FEATURES = ["lastmonth_activity", "lastyear_activity", "number_of_employees"] as const;
type FeatureColumns = Record<(typeof FEATURES)[number], number[]>;

const reference: FeatureColumns = {
  lastmonth_activity: [234, 1120, 45, 678, 90, 3021, 455, 0, 1289, 567, 88, 2100, 340, 760, 15, 980, 410, 1500, 220, 640],
  lastyear_activity: [
    2300, 11800, 900, 7100, 1200, 30500, 4800, 300, 13000, 5900, 1100, 21500, 3600, 7900, 450, 10100, 4300, 15200, 2500,
    6600,
  ],
  number_of_employees: [12, 45, 3, 28, 7, 210, 19, 2, 51, 24, 6, 150, 15, 31, 1, 40, 17, 66, 10, 26],
};
// lastmonth_activity: similar; lastyear_activity: shifted up; number_of_employees: a subset of the reference.
const current: FeatureColumns = {
  lastmonth_activity: [250, 1000, 60, 700, 120, 2900, 430, 10, 1300, 590, 75, 2000, 310, 800, 25],
  lastyear_activity: [9000, 25000, 8000, 17000, 9500, 42000, 14000, 7000, 26000, 16000, 8800, 36000, 12000, 19000, 7500],
  number_of_employees: [12, 45, 3, 28, 7, 210, 19, 2, 51, 24, 6, 150, 15, 31, 1],
};

/*
 * Golden values: scipy 1.17.1 `stats.ks_2samp(reference[f], current[f])` and the numpy
 * PSI definition quoted in lib/stats/psi.test.ts:
 *   lastmonth_activity   D 0.11666666666666667  p 0.9987425577361396  psi 0.11552453009332421
 *   lastyear_activity    D 0.6                  p 0.0022675858650186478 psi 4.951640126397402
 *   number_of_employees  D 0.08333333333333333  p 0.9999996847235467  psi 0.11552453009332421
 */
const GOLDEN = {
  lastmonth_activity: { statistic: 0.11666666666666667, pValue: 0.9987425577361396, psi: 0.11552453009332421 },
  lastyear_activity: { statistic: 0.6, pValue: 0.0022675858650186478, psi: 4.951640126397402 },
  number_of_employees: { statistic: 0.08333333333333333, pValue: 0.9999996847235467, psi: 0.11552453009332421 },
};

describe("featureDrift", () => {
  const result = featureDrift(reference, current);

  it.each(FEATURES)("%s: KS and PSI match scipy/numpy", (feature) => {
    const r = result[feature];
    const g = GOLDEN[feature];
    expect(r.ks.statistic).toBeCloseTo(g.statistic, 15);
    expect(Math.abs(r.ks.pValue - g.pValue)).toBeLessThan(1e-12);
    expect(r.ks.method).toBe("exact");
    expect(r.psi.score).toBeCloseTo(g.psi, 12);
    expect(r.psi.bins).toHaveLength(10);
    expect(r.referenceSize).toBe(20);
    expect(r.currentSize).toBe(15);
  });

  it("default thresholds: KS p < 0.05, PSI > 0.2", () => {
    expect(result.lastmonth_activity.ks).toMatchObject({ threshold: 0.05, drifted: false });
    expect(result.lastmonth_activity.psi).toMatchObject({ threshold: 0.2, drifted: false });
    expect(result.lastyear_activity.ks.drifted).toBe(true);
    expect(result.lastyear_activity.psi.drifted).toBe(true);
    expect(result.number_of_employees.ks.drifted).toBe(false);
    expect(result.number_of_employees.psi.drifted).toBe(false);
  });

  it("thresholds are configurable and strict", () => {
    const strictPsi = featureDrift(reference, current, { psiThreshold: 0.1, ksPValueThreshold: 0.001 });
    expect(strictPsi.lastmonth_activity.psi).toMatchObject({ threshold: 0.1, drifted: true });
    expect(strictPsi.lastyear_activity.ks).toMatchObject({ threshold: 0.001, drifted: false });
    // Exactly at the threshold is not drift.
    const psi = result.lastyear_activity.psi.score;
    const pValue = result.lastyear_activity.ks.pValue;
    const at = featureDrift(reference, current, { psiThreshold: psi, ksPValueThreshold: pValue });
    expect(at.lastyear_activity.psi.drifted).toBe(false);
    expect(at.lastyear_activity.ks.drifted).toBe(false);
  });

  it("registry describes both methods with their defaults", () => {
    expect(FEATURE_DRIFT_METHODS.ks).toMatchObject({ id: "ks", defaultThreshold: 0.05, driftWhen: "below" });
    expect(FEATURE_DRIFT_METHODS.psi).toMatchObject({ id: "psi", defaultThreshold: 0.2, driftWhen: "above" });
  });

  it("identical data shows no drift", () => {
    const same = featureDrift(reference, reference);
    for (const f of FEATURES) {
      expect(same[f].ks).toMatchObject({ statistic: 0, pValue: 1, drifted: false });
      expect(same[f].psi).toMatchObject({ score: 0, drifted: false });
    }
  });

  it("throws unprocessable:drift on an empty column, bad_request:config on a bad threshold", () => {
    const empty = { ...current, lastyear_activity: [] };
    expect(() => featureDrift(reference, empty)).toThrow(expect.objectContaining({ code: "unprocessable:drift" }));
    expect(() => featureDrift(reference, current, { psiThreshold: -1 })).toThrow(
      expect.objectContaining({ code: "bad_request:config" }),
    );
    expect(() => featureDrift(reference, current, { ksPValueThreshold: Number.NaN })).toThrow(
      expect.objectContaining({ code: "bad_request:config" }),
    );
  });
});

/*
 * numpy 2.4.6, shared range = combined min/max:
 *   lo, hi = 0, 3021
 *   np.histogram(reference["lastmonth_activity"], bins=b, range=(lo, hi))
 *   np.histogram(current["lastmonth_activity"], bins=b, range=(lo, hi))
 *   np.histogram([0, 1, 2, 3], bins=2, range=(0, 4))
 *   np.histogram([5, 5, 5], bins=3, range=(5, 5))
 */
describe("histogram", () => {
  it("10 shared bins match numpy.histogram", () => {
    const h = histogram(reference.lastmonth_activity, current.lastmonth_activity);
    const edges = [0.0, 302.1, 604.2, 906.3000000000001, 1208.4, 1510.5, 1812.6000000000001, 2114.7000000000003, 2416.8, 2718.9, 3021.0];
    h.edges.forEach((e, k) => expect(e).toBeCloseTo(edges[k], 10));
    expect(h.reference).toEqual([7, 4, 3, 2, 2, 0, 1, 0, 0, 1]);
    expect(h.current).toEqual([6, 3, 2, 1, 1, 0, 1, 0, 0, 1]);
  });

  it("4 bins; the maximum lands in the last (closed) bin", () => {
    const h = histogram(reference.lastmonth_activity, current.lastmonth_activity, 4);
    expect(h.edges).toEqual([0.0, 755.25, 1510.5, 2265.75, 3021.0]);
    expect(h.reference).toEqual([13, 5, 1, 1]);
    expect(h.current).toEqual([10, 3, 1, 1]);
  });

  it("values on an inner edge go to the bin above", () => {
    expect(histogram([0, 1, 2, 3], [4], 2)).toEqual({ edges: [0, 2, 4], reference: [2, 2], current: [0, 1] });
  });

  it("a constant sample widens the range by ±0.5 like numpy", () => {
    const h = histogram([5, 5, 5], [], 3);
    h.edges.forEach((e, k) => expect(e).toBeCloseTo([4.5, 4.833333333333333, 5.166666666666667, 5.5][k], 14));
    expect(h.reference).toEqual([0, 3, 0]);
    expect(h.current).toEqual([0, 0, 0]);
  });

  it("throws on two empty samples, a bad bin count or non-finite values", () => {
    expect(() => histogram([], [])).toThrow(expect.objectContaining({ code: "unprocessable:drift" }));
    expect(() => histogram([1], [2], 0)).toThrow(expect.objectContaining({ code: "bad_request:config" }));
    expect(() => histogram([1, Number.NaN], [2])).toThrow(expect.objectContaining({ code: "unprocessable:drift" }));
  });
});
