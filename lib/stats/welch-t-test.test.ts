import { describe, expect, it } from "vitest";
import { welchTTest } from "./welch-t-test";

function expectRel(actual: number, expected: number, rel = 1e-9): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.abs(expected));
}

/*
 * Golden values from scipy 1.17.1:
 *
 *   from scipy import stats
 *   r = stats.ttest_ind(a, b, equal_var=False)   # two-sided
 *   print(repr(r.statistic), repr(r.df), repr(r.pvalue))
 *
 * for each (a, b) below.
 */
const CASES: Record<string, { a: number[]; b: number[]; t: number; df: number; p: number }> = {
  small: { a: [1, 2], b: [2, 3, 5], t: -1.8083888603589306, df: 2.894291754756871, p: 0.17160902745362722 },
  unequalVariances: {
    a: [19.8, 20.4, 19.6, 17.8, 18.5, 18.9, 18.3, 18.9, 19.5, 22.0],
    b: [
      28.2, 26.6, 20.1, 23.3, 25.2, 22.1, 17.7, 27.6, 20.6, 13.7, 23.2, 17.5, 20.6, 18.0, 23.9, 21.6, 24.3, 20.4, 23.9,
      13.3,
    ],
    t: -2.225512039969852,
    df: 24.524634944257343,
    p: 0.035484530830010394,
  },
  nearlyEqualMeans: {
    a: [0.71, 0.69, 0.73, 0.7, 0.72, 0.68],
    b: [0.705, 0.695, 0.725, 0.71, 0.715, 0.69, 0.7],
    t: -0.08032193289025713,
    df: 8.31299963860703,
    p: 0.9378813943105375,
  },
  // One sample constant: df = n_b − 1 exactly.
  oneConstant: { a: [3, 3, 3, 3], b: [1, 2, 3, 4, 6], t: -0.23249527748763876, df: 4, p: 0.8275647196020316 },
  hugeT: {
    a: [100.0, 100.1, 99.9, 100.05, 99.95],
    b: [0.0, 0.1, -0.1, 0.05, -0.05],
    t: 2000.0000000000566,
    df: 8,
    p: 4.374968500143385e-24,
  },
};

describe("welchTTest", () => {
  it.each(Object.entries(CASES))("%s matches scipy.stats.ttest_ind(equal_var=False) to 1e-9", (_, c) => {
    const r = welchTTest(c.a, c.b);
    expectRel(r.t, c.t);
    expectRel(r.df, c.df);
    expectRel(r.pValue, c.p);
  });

  it("is antisymmetric in its arguments", () => {
    const { a, b } = CASES.unequalVariances;
    const ab = welchTTest(a, b);
    const ba = welchTTest(b, a);
    expect(ba.t).toBe(-ab.t);
    expect(ba.df).toBe(ab.df);
    expect(ba.pValue).toBe(ab.pValue);
  });

  // scipy: t = -inf, df = 1, p = 0.
  it("both samples constant, different means: t = ±Infinity, df = 1, p = 0 (as scipy)", () => {
    expect(welchTTest([1, 1, 1], [2, 2, 2])).toEqual({ t: -Infinity, df: 1, pValue: 0 });
    expect(welchTTest([2, 2], [1, 1, 1])).toEqual({ t: Infinity, df: 1, pValue: 0 });
  });

  // scipy: t = nan, df = 1, p = nan. We report "no difference" instead of NaN.
  it("both samples constant, equal means: t = 0, df = 1, p = 1 (scipy gives NaN)", () => {
    expect(welchTTest([1, 1, 1], [1, 1])).toEqual({ t: 0, df: 1, pValue: 1 });
  });

  it("throws unprocessable:ttest with fewer than 2 values in a sample", () => {
    expect(() => welchTTest([1], [1, 2])).toThrow(expect.objectContaining({ code: "unprocessable:ttest" }));
    expect(() => welchTTest([1, 2], [])).toThrow(expect.objectContaining({ code: "unprocessable:ttest" }));
  });

  it("throws unprocessable:ttest on non-finite values", () => {
    expect(() => welchTTest([1, Number.NaN], [1, 2])).toThrow(expect.objectContaining({ code: "unprocessable:ttest" }));
  });
});
