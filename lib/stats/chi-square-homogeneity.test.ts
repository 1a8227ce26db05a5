import { describe, expect, it } from "vitest";
import { chiSquareHomogeneity } from "./chi-square-homogeneity";

/*
 * Golden values from scipy 1.10.1 / numpy 1.24.2:
 *
 *   /usr/bin/python3 -c "import numpy as np; from scipy import stats; \
 *     s = stats.chi2_contingency(np.array([reference, current]), correction=False); \
 *     print(repr(s[0]), s[2], repr(s[1]))"
 *
 * with each case's reference and current below pasted in; printed: statistic, dof, pvalue.
 */
const GOLDEN: Record<string, { reference: number[]; current: number[]; statistic: number; df: number; pValue: number }> = {
  twoLevels: { reference: [120, 80], current: [90, 110], statistic: 9.022556390977442, df: 1, pValue: 0.0026666817936140982 },
  // a level present only in current
  fiveLevelsEmptyCell: {
    reference: [50, 30, 0, 15, 5],
    current: [40, 35, 8, 12, 5],
    statistic: 9.829059829059828,
    df: 4,
    pValue: 0.04340772346394703,
  },
  unequalSizes: {
    reference: [812, 455, 230, 61, 17, 3],
    current: [95, 70, 22, 9, 4, 0],
    statistic: 6.27262360970014,
    df: 5,
    pValue: 0.2805879834146781,
  },
  // 10^6 rows per side, a shift of 0.1 percentage point
  millionRows: {
    reference: [400000, 300000, 200000, 100000],
    current: [401000, 299000, 199500, 100500],
    statistic: 4.790553553291834,
    df: 3,
    pValue: 0.1877921690433347,
  },
  sameShares: { reference: [30, 20, 10], current: [60, 40, 20], statistic: 0, df: 2, pValue: 1 },
};

/* Strongly drifted tables: p-values far in the tail (same command). */
const TAIL: Record<string, { reference: number[]; current: number[]; statistic: number; df: number; pValue: number }> = {
  df1: { reference: [7000, 3000], current: [4500, 5500], statistic: 1278.772378516624, df: 1, pValue: 4.637785742233877e-280 },
  df2: {
    reference: [6000, 3000, 1000],
    current: [4200, 3300, 2500],
    statistic: 974.7899159663865,
    df: 2,
    pValue: 2.123534105325814e-212,
  },
  df4: {
    reference: [3000, 2500, 2000, 1500, 1000],
    current: [1500, 2000, 2000, 2500, 2000],
    statistic: 1138.888888888889,
    df: 4,
    pValue: 2.816004744670546e-245,
  },
};

function relErr(actual: number, expected: number): number {
  return expected === 0 ? Math.abs(actual) : Math.abs(actual - expected) / Math.abs(expected);
}

describe("chiSquareHomogeneity", () => {
  it.each(Object.entries(GOLDEN))("%s matches scipy.stats.chi2_contingency(correction=False)", (_, c) => {
    const r = chiSquareHomogeneity(c.reference, c.current);
    expect(r.df).toBe(c.df);
    expect(relErr(r.statistic, c.statistic)).toBeLessThan(1e-12);
    expect(relErr(r.pValue, c.pValue)).toBeLessThan(1e-12);
  });

  it("is exactly 0 with p-value 1 when the shares are equal", () => {
    expect(chiSquareHomogeneity([30, 20, 10], [60, 40, 20])).toEqual({ statistic: 0, df: 2, pValue: 1 });
  });

  it.each(Object.entries(TAIL))("keeps a tiny p-value (%s) to 1e-10 relative", (_, c) => {
    const r = chiSquareHomogeneity(c.reference, c.current);
    expect(r.df).toBe(c.df);
    expect(relErr(r.statistic, c.statistic)).toBeLessThan(1e-12);
    expect(r.pValue).toBeGreaterThan(0);
    expect(relErr(r.pValue, c.pValue)).toBeLessThan(1e-10);
  });

  // scipy: statistic 2571.4285714285716, dof 2, pvalue 0.0 (e^(−1285.7) is below the smallest double)
  it("underflows to p = 0 like scipy for an extreme drift", () => {
    const r = chiSquareHomogeneity([5000, 3000, 2000], [2000, 3000, 5000]);
    expect(relErr(r.statistic, 2571.4285714285716)).toBeLessThan(1e-12);
    expect(r.df).toBe(2);
    expect(r.pValue).toBe(0);
  });

  /*
   * High-cardinality features: X² above ~1490 with hundreds of levels, where e^(−X²/2) alone
   * underflows and the series alone overflows: chiSquareSf (chi-square.ts) scales its sum so the
   * p-value stays exact.
   *
   *   /usr/bin/python3 -c "import numpy as np; from scipy import stats; \
   *     [print(k, a, *stats.chi2_contingency(np.array([[100 + a * (j % 3) for j in range(k)], \
   *       [100 + a * (j % 2) + a // 2 * ((j * 7) % 5) for j in range(k)]]), correction=False)[:3]) \
   *     for k, a in [(1001, 20), (3001, 10)]]"
   *   1001 20 2276.2146481502514 4.210549554445269e-101 1000
   *   3001 10 1888.243775599095 1.0 3000
   */
  it.each([
    [1001, 20, 2276.2146481502514, 4.210549554445269e-101],
    [3001, 10, 1888.243775599095, 1.0],
  ])("%i levels (a = %i) match scipy", (k, a, statistic, pValue) => {
    const reference = Array.from({ length: k }, (_, j) => 100 + a * (j % 3));
    const current = Array.from({ length: k }, (_, j) => 100 + a * (j % 2) + Math.floor(a / 2) * ((j * 7) % 5));
    const r = chiSquareHomogeneity(reference, current);
    expect(r.df).toBe(k - 1);
    expect(relErr(r.statistic, statistic)).toBeLessThan(1e-12);
    expect(relErr(r.pValue, pValue)).toBeLessThan(1e-10);
  });

  it("drops levels empty on both sides (the table scipy gets has them removed)", () => {
    const c = GOLDEN.fiveLevelsEmptyCell;
    const r = chiSquareHomogeneity([0, ...c.reference, 0], [0, ...c.current, 0]);
    expect(r.df).toBe(4);
    expect(relErr(r.statistic, c.statistic)).toBeLessThan(1e-12);
    expect(relErr(r.pValue, c.pValue)).toBeLessThan(1e-12);
  });

  // scipy: chi2_contingency(np.array([[10], [5]]), correction=False) → 0.0, dof 0, pvalue 1.0
  it("returns statistic 0, df 0, p-value 1 with fewer than 2 levels kept", () => {
    expect(chiSquareHomogeneity([10], [5])).toEqual({ statistic: 0, df: 0, pValue: 1 });
    expect(chiSquareHomogeneity([10, 0, 0], [5, 0, 0])).toEqual({ statistic: 0, df: 0, pValue: 1 });
  });

  it("accepts shares as well as counts when both sides have the same total", () => {
    const r = chiSquareHomogeneity([0.6, 0.4], [0.45, 0.55]);
    // scipy on [[0.6, 0.4], [0.45, 0.55]] → 0.045112781954887216 (= twoLevels / 200)
    expect(relErr(r.statistic, 0.045112781954887216)).toBeLessThan(1e-12);
  });

  it("refuses an empty side, a length mismatch and invalid counts", () => {
    expect(() => chiSquareHomogeneity([0, 0], [3, 4])).toThrow(/non-empty reference/);
    expect(() => chiSquareHomogeneity([3, 4], [])).toThrow(/aligned/);
    expect(() => chiSquareHomogeneity([], [])).toThrow(/non-empty reference/);
    expect(() => chiSquareHomogeneity([3, -1], [3, 4])).toThrow(/invalid count \(-1\)/);
    expect(() => chiSquareHomogeneity([3, 4], [NaN, 4])).toThrow(/invalid count \(NaN\)/);
    expect(() => chiSquareHomogeneity([1, 2], [0, 0])).toThrow(expect.objectContaining({ code: "unprocessable:drift" }));
  });
});
