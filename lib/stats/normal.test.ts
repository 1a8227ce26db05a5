import { describe, expect, it } from "vitest";
import { erfc, normalCdf, normalQuantile, normalSf } from "./normal";

/*
 * Golden values from scipy 1.10.1 (Debian python3-scipy), printed by the last block of
 *   /usr/bin/python3 data/golden/coefficients_golden.py
 * i.e. repr(stats.norm.sf(z)) and repr(stats.norm.ppf(p)).
 */
const SF: [number, number][] = [
  [0.0, 0.5],
  [0.5, 0.3085375387259869],
  [1.0, 0.15865525393145707],
  [1.959963984540054, 0.025],
  [3.0, 0.0013498980316300933],
  [5.0, 2.866515718791933e-7],
  [8.0, 6.22096057427174e-16],
  [12.0, 1.776482112077653e-33],
  [30.0, 4.906713927147908e-198],
];
const PPF: [number, number][] = [
  [1e-10, -6.361340902404056],
  [0.001, -3.090232306167813],
  [0.025, -1.9599639845400545],
  [0.2, -0.8416212335729142],
  [0.5, 0.0],
  [0.8, 0.8416212335729143],
  [0.975, 1.959963984540054],
  [0.995, 2.5758293035489004],
  [1 - 1e-10, 6.361340889697422],
];

const rel = (a: number, b: number) => (b === 0 ? Math.abs(a) : Math.abs(a - b) / Math.abs(b));

describe("standard normal", () => {
  it.each(SF)("sf(%s) equals scipy.stats.norm.sf to 1e-13 relative", (z, expected) => {
    expect(rel(normalSf(z), expected)).toBeLessThan(1e-13);
    expect(rel(normalCdf(-z), expected)).toBeLessThan(1e-13);
  });

  it.each(PPF)("ppf(%s) equals scipy.stats.norm.ppf to 1e-13 relative", (p, expected) => {
    expect(rel(normalQuantile(p), expected)).toBeLessThan(1e-13);
  });

  it("erfc is 2 − erfc(−x), 1 at 0, and NaN for NaN", () => {
    expect(erfc(0)).toBe(1);
    expect(erfc(-1.3) + erfc(1.3)).toBeCloseTo(2, 15);
    expect(erfc(NaN)).toBeNaN();
    expect(normalSf(40)).toBe(0);
    expect(normalSf(-40)).toBe(1);
  });

  it("refuses quantiles outside (0, 1)", () => {
    expect(() => normalQuantile(0)).toThrow(/0 < p < 1/);
    expect(() => normalQuantile(1)).toThrow(/0 < p < 1/);
    expect(() => normalQuantile(NaN)).toThrow(/0 < p < 1/);
  });
});
