import { describe, expect, it } from "vitest";
import { studentTCdf, studentTSf, studentTTwoSidedPValue } from "./student-t";

function expectRel(actual: number, expected: number, rel: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.abs(expected));
}

/*
 * Golden values from scipy 1.17.1:
 *
 *   from scipy import stats
 *   for t, df in cases: print(t, df, repr(stats.t.sf(t, df)))
 *
 * Integer, fractional (Welch) and very small/large df; t near 0 and far in the tail.
 */
const T_SF: [t: number, df: number, sf: number][] = [
  [2, 5, 0.050969739414929174],
  [-2, 5, 0.9490302605850708],
  [0, 3, 0.5],
  [0.001, 2.5, 0.49963819136039245],
  [1e-8, 7.3, 0.49999999614448415],
  [40, 3, 1.7190340394579253e-5],
  [5, 1, 0.0628329581890012],
  [0.3, 0.5, 0.42242957606524545],
  [10, 0.7, 0.06192322494502679],
  [-1.2, 12.25, 0.8735835272121646],
  [3.3, 1000, 0.000500498362501045],
  [6, 2000, 1.1681211371479993e-9],
  [2.1, 20000.5, 0.01787066685822386],
  [1.5, 200000, 0.06680799051592168],
  [-8, 30, 0.9999999968670887],
];

describe("studentTSf", () => {
  it.each(T_SF)("t=%s df=%s matches scipy.stats.t.sf to 1e-9 relative", (t, df, sf) => {
    expectRel(studentTSf(t, df), sf, 1e-9);
  });

  it("cdf(t) = sf(−t) and the two-sided p is 2·sf(|t|)", () => {
    for (const [t, df, sf] of T_SF) {
      expectRel(studentTCdf(-t, df), sf, 1e-9);
      expect(studentTTwoSidedPValue(-t, df)).toBe(studentTTwoSidedPValue(t, df));
      if (t >= 0) expectRel(studentTTwoSidedPValue(t, df), 2 * sf, 1e-9);
    }
  });

  it("handles infinite t", () => {
    expect(studentTSf(Infinity, 4)).toBe(0);
    expect(studentTSf(-Infinity, 4)).toBe(1);
    expect(studentTTwoSidedPValue(-Infinity, 4)).toBe(0);
  });

  it("throws unprocessable:stats for NaN t or df <= 0", () => {
    expect(() => studentTSf(Number.NaN, 3)).toThrow(expect.objectContaining({ code: "unprocessable:stats" }));
    expect(() => studentTSf(1, 0)).toThrow(expect.objectContaining({ code: "unprocessable:stats" }));
    expect(() => studentTSf(1, Infinity)).toThrow(expect.objectContaining({ code: "unprocessable:stats" }));
  });
});
