import { describe, expect, it } from "vitest";
import { populationStabilityIndex } from "./psi";

/*
 * Golden values from numpy 2.4.6, with the definition of psi.ts spelled out:
 *
 *   import numpy as np
 *   def psi(ref, cur):
 *       ref = np.asarray(ref, float); cur = np.asarray(cur, float)
 *       edges = np.unique(np.quantile(ref, np.arange(1, 10) / 10))   # deciles, duplicates collapsed
 *       k = len(edges) + 1
 *       r = np.bincount(np.searchsorted(edges, ref, side="right"), minlength=k) / len(ref)
 *       c = np.bincount(np.searchsorted(edges, cur, side="right"), minlength=k) / len(cur)
 *       rr = np.where(r == 0, 1e-4, r); cc = np.where(c == 0, 1e-4, c)
 *       return np.sum((cc - rr) * np.log(cc / rr)), edges, r, c
 */
const REFERENCE = [
  12.4, 7.9, 15.2, 9.8, 11.1, 13.7, 8.6, 10.3, 14.9, 6.2, 12.0, 9.1, 16.8, 10.9, 11.6, 7.4, 13.2, 8.8, 12.7, 10.0, 9.5,
  14.1, 11.9, 5.7, 13.9, 10.6, 8.1, 12.2, 15.8, 9.3, 11.3, 7.1, 14.4, 10.8, 12.9, 8.4, 13.1, 9.9, 11.5, 17.3,
];
const DECILES = [7.8500000000000005, 8.76, 9.71, 10.48, 11.2, 11.94, 12.76, 13.74, 14.930000000000001];

function expectAllClose(actual: number[], expected: number[]): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((a, k) => expect(a).toBeCloseTo(expected[k], 12));
}

describe("populationStabilityIndex", () => {
  it("is 0 for identical samples, with 10 bins of 10% each on the reference deciles", () => {
    const { score, bins } = populationStabilityIndex(REFERENCE, REFERENCE);
    expect(score).toBe(0);
    expect(bins).toHaveLength(10);
    expect(bins[0].lower).toBe(-Infinity);
    expect(bins[9].upper).toBe(Infinity);
    expectAllClose(
      bins.slice(1).map((b) => b.lower),
      DECILES,
    );
    expectAllClose(
      bins.slice(0, 9).map((b) => b.upper),
      DECILES,
    );
    for (const b of bins) {
      expect(b.referenceShare).toBeCloseTo(0.1, 15);
      expect(b.currentShare).toBeCloseTo(0.1, 15);
    }
  });

  // numpy: psi(REFERENCE, mild) → 0.06931471805599453 (= ln 2 / 10)
  it("a mildly perturbed sample gives a small value", () => {
    const mild = [
      12.8, 8.3, 15.5, 10.2, 11.4, 14.0, 9.0, 10.7, 15.3, 6.6, 12.3, 9.6, 17.1, 11.2, 12.0, 7.8, 13.6, 9.2, 13.0, 10.4,
      9.9, 14.6, 12.3, 6.1, 14.2, 11.0, 8.5, 12.6, 16.1, 9.7,
    ];
    const { score, bins } = populationStabilityIndex(REFERENCE, mild);
    expect(score).toBeCloseTo(0.06931471805599453, 12);
    expectAllClose(
      bins.map((b) => b.currentShare),
      [0.1, 1 / 15, 2 / 15, 0.1, 1 / 15, 1 / 15, 2 / 15, 0.1, 0.1, 2 / 15],
    );
  });

  // numpy: psi(REFERENCE, [x + 4 for x in REFERENCE[:30]]) → 2.931186511780338
  it("a shifted sample gives a large value (with empty current bins)", () => {
    const shifted = REFERENCE.slice(0, 30).map((x) => x + 4);
    const { score, bins } = populationStabilityIndex(REFERENCE, shifted);
    expect(score).toBeCloseTo(2.931186511780338, 12);
    expect(score).toBeGreaterThan(0.2);
    expectAllClose(
      bins.map((b) => b.currentShare),
      [0, 0, 1 / 30, 1 / 30, 0, 2 / 30, 2 / 30, 4 / 30, 5 / 30, 0.5],
    );
  });

  // All current values in the first bin: 0.9·ln(10) + 9 · (0.0001 − 0.1)·ln(0.0001 / 0.1)
  // numpy: psi(REFERENCE, [5.0, 5.5, 6.0, 6.1, 5.2, 4.8, 6.3, 5.9]) → 8.283089355027482
  it("empty bins count as share 0.0001 (hand-computed)", () => {
    const low = [5.0, 5.5, 6.0, 6.1, 5.2, 4.8, 6.3, 5.9];
    const handComputed = 0.9 * Math.log(10) + 9 * (0.0001 - 0.1) * Math.log(0.0001 / 0.1);
    const { score, bins } = populationStabilityIndex(REFERENCE, low);
    expect(score).toBeCloseTo(handComputed, 12);
    expect(score).toBeCloseTo(8.283089355027482, 12);
    expect(bins.map((b) => b.currentShare)).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  // numpy: psi(ties_ref, ties_cur) → 0.46124043209034093, edges [3, 4.2, 5, 6.2, 8, 12, 22]
  it("collapses duplicate deciles of a tied reference", () => {
    const tiesRef = [3, 3, 3, 3, 3, 3, 3, 3, 5, 5, 5, 5, 8, 8, 8, 12, 12, 20, 40, 100];
    const tiesCur = [3, 3, 3, 5, 5, 8, 8, 8, 8, 12, 12, 12, 20, 20, 40, 40, 100, 150];
    const { score, bins } = populationStabilityIndex(tiesRef, tiesCur);
    expect(score).toBeCloseTo(0.46124043209034093, 12);
    expect(bins).toHaveLength(8);
    expectAllClose(
      bins.slice(1).map((b) => b.lower),
      [3.0, 4.200000000000001, 5.0, 6.200000000000001, 8.0, 12.0, 22.00000000000003],
    );
    expectAllClose(
      bins.map((b) => b.referenceShare),
      [0.0, 0.4, 0.0, 0.2, 0.0, 0.15, 0.15, 0.1],
    );
    expectAllClose(
      bins.map((b) => b.currentShare),
      [0.0, 1 / 6, 0.0, 1 / 9, 0.0, 2 / 9, 5 / 18, 2 / 9],
    );
  });

  // numpy: psi([7, 7, 7], [6, 7, 8, 9]) → 2.0271496162259326
  it("a constant reference gives two bins split at its value", () => {
    const { score, bins } = populationStabilityIndex([7, 7, 7], [6, 7, 8, 9]);
    expect(score).toBeCloseTo(2.0271496162259326, 12);
    expect(bins).toEqual([
      { lower: -Infinity, upper: 7, referenceShare: 0, currentShare: 0.25 },
      { lower: 7, upper: Infinity, referenceShare: 1, currentShare: 0.75 },
    ]);
  });

  it("single-point samples", () => {
    expect(populationStabilityIndex([1], [1]).score).toBe(0);
  });

  it("throws unprocessable:drift on an empty or non-finite sample", () => {
    expect(() => populationStabilityIndex([], [1])).toThrow(expect.objectContaining({ code: "unprocessable:drift" }));
    expect(() => populationStabilityIndex([1], [])).toThrow(expect.objectContaining({ code: "unprocessable:drift" }));
    expect(() => populationStabilityIndex([1, Infinity], [1])).toThrow(
      expect.objectContaining({ code: "unprocessable:drift" }),
    );
  });
});
