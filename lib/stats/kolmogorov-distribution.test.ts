import { describe, expect, it } from "vitest";
import { kolmogorovSmirnovSf, smirnovSf } from "./kolmogorov-distribution";

/*
 * Golden values from scipy 1.17.1, one or more per branch of scipy's method selection
 * (scipy/stats/_ksstats.py `_kolmogn`):
 *
 *   from scipy import stats
 *   for n, x, label in cases: print(n, x, repr(stats.kstwo.sf(x, n)), label)
 */
const KSTWO_SF: [n: number, d: number, sf: number, branch: string][] = [
  [10, 0.04, 1.0, "t <= 1/2"],
  [10, 0.075, 0.999999645625, "Ruben-Gambino, n <= 140"],
  [500, 0.0015, 1.0, "Ruben-Gambino, n > 140"],
  [10, 0.9, 1.9999999999999957e-10, "t >= n-1"],
  [10, 0.5, 0.00777741, "d >= 1/2"],
  [100, 0.51, 1.2007494929505019e-24, "d >= 1/2"],
  [10, 0.2, 0.7487190399999999, "Durbin matrix"],
  [100, 0.08, 0.5182193645480672, "Durbin matrix"],
  [140, 0.07, 0.4776228287946577, "Durbin matrix"],
  [10, 0.3, 0.27053557479999946, "Pomeranz"],
  [50, 0.2, 0.03143877776953241, "Pomeranz"],
  [140, 0.15, 0.0032495604415101703, "Pomeranz"],
  [20, 0.47, 0.00014214650195716304, "2 smirnov, n <= 140"],
  [100, 0.3, 1.7719869892662917e-8, "2 smirnov, n <= 140"],
  [5000, 0.3, 0.0, "n d^2 >= 370"],
  [196, 0.12, 0.006449707422356144, "2 smirnov, n > 140"],
  [1000, 0.06, 0.001428597887952891, "2 smirnov, n > 140"],
  [196, 0.03, 0.9923810097468553, "Durbin matrix, n > 140"],
  [5000, 0.004, 0.9999977369528622, "Durbin matrix, n > 140"],
  [196, 0.06, 0.4628277122234197, "Pelz-Good"],
  [2500, 0.02, 0.2664504478465197, "Pelz-Good"],
  [150000, 0.003, 0.1341018124495077, "Pelz-Good, n > 100000"],
];

/*
 *   from scipy import special
 *   for n, x in cases: print(n, x, repr(special.smirnov(n, x)))
 */
const SMIRNOV: [n: number, d: number, sf: number][] = [
  [1, 0.3, 0.7],
  [5, 0.1, 0.85359],
  [10, 0.3, 0.1354635556],
  [50, 0.2, 0.01571942744940561],
  [196, 0.12, 0.003224853711178072],
  [1000, 0.06, 0.0007142989439764456],
  [20000, 0.012, 0.0031256261420608755],
];

function expectClose(actual: number, expected: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-12 + 1e-9 * expected);
}

describe("kolmogorovSmirnovSf (scipy.stats.kstwo.sf)", () => {
  it.each(KSTWO_SF)("n=%s d=%s matches scipy (%s branch)", (n, d, sf) => {
    expectClose(kolmogorovSmirnovSf(n, d), sf);
  });

  it("is 1 at d <= 0 and 0 at d >= 1", () => {
    expect(kolmogorovSmirnovSf(5, 0)).toBe(1);
    expect(kolmogorovSmirnovSf(5, 1)).toBe(0);
  });

  it("throws unprocessable:stats for a non-integer n or NaN d", () => {
    expect(() => kolmogorovSmirnovSf(2.5, 0.1)).toThrow(expect.objectContaining({ code: "unprocessable:stats" }));
    expect(() => kolmogorovSmirnovSf(0, 0.1)).toThrow(expect.objectContaining({ code: "unprocessable:stats" }));
    expect(() => kolmogorovSmirnovSf(3, Number.NaN)).toThrow(expect.objectContaining({ code: "unprocessable:stats" }));
  });
});

describe("smirnovSf (scipy.special.smirnov)", () => {
  it.each(SMIRNOV)("n=%s d=%s matches scipy", (n, d, sf) => {
    expectClose(smirnovSf(n, d), sf);
  });

  it("throws unprocessable:stats outside its domain", () => {
    expect(() => smirnovSf(0, 0.1)).toThrow(expect.objectContaining({ code: "unprocessable:stats" }));
    expect(() => smirnovSf(5, 1.5)).toThrow(expect.objectContaining({ code: "unprocessable:stats" }));
  });
});
