import { describe, expect, it } from "vitest";
import { chiSquareSf } from "./chi-square";

/*
 * Golden values from scipy 1.10.1, repr(stats.chi2.sf(x, df)), printed by the last block of
 *   /usr/bin/python3 data/golden/ranking_golden.py
 */
const GOLDEN: [number, number, number][] = [
  [3.84, 1, 0.05004352124870519],
  [0.5, 2, 0.7788007830714049],
  [7.0, 3, 0.07189777249646509],
  [12.3, 10, 0.2654802490856053],
  [40.0, 9, 7.598525229464264e-6],
  [0.01, 5, 0.9999994699729957],
  [150.0, 10, 3.727485055062505e-27],
];

describe("chiSquareSf", () => {
  it.each(GOLDEN)("sf(%s, df=%s) equals scipy.stats.chi2.sf to 1e-12 relative", (x, df, expected) => {
    expect(Math.abs(chiSquareSf(x, df) - expected) / expected).toBeLessThan(1e-12);
  });

  it("is 1 at 0 and below, 0 at infinity", () => {
    expect(chiSquareSf(0, 3)).toBe(1);
    expect(chiSquareSf(-1, 4)).toBe(1);
    expect(chiSquareSf(Infinity, 4)).toBe(0);
  });

  it("refuses a non-integer df and NaN", () => {
    expect(() => chiSquareSf(1, 2.5)).toThrow(/whole df/);
    expect(() => chiSquareSf(1, 0)).toThrow(/whole df/);
    expect(() => chiSquareSf(NaN, 2)).toThrow(/NaN/);
  });
});
