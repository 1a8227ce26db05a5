import { describe, expect, it } from "vitest";
import { ksTwoSample } from "./ks-two-sample";
import { createRng } from "./random";

/*
 * Golden values from scipy 1.17.1 with default arguments (two-sided, method="auto"):
 *
 *   from scipy import stats
 *   r = stats.ks_2samp(reference, current)
 *   print(repr(r.statistic), repr(r.pvalue))
 *
 * The large samples are Mulberry32 streams, generated identically in Python with the port
 * quoted in random.test.ts:
 *
 *   def stream(seed, n): r = mulberry32(seed); return [r() for _ in range(n)]
 *   ref = stream(1, 10001)
 *   stats.ks_2samp(ref, stream(2, 200))                                   # asympSame
 *   stats.ks_2samp(ref, [u * u for u in stream(3, 200)])                  # asympShifted
 *   stats.ks_2samp(ref, [(i + 0.5) / 200 * 0.97 for i in range(200)])     # asympQuantiles
 *   stats.ks_2samp(stream(4, 10000), [u + 0.02 for u in stream(5, 3000)]) # exact 10,000 vs 3,000
 */
const SMALL: Record<string, { reference: number[]; current: number[]; statistic: number; pValue: number }> = {
  equalSizes: {
    reference: [
      0.61, 0.29, 0.06, 0.59, -1.73, -0.74, 0.51, -0.56, 0.39, 1.64, 0.05, -0.06, 0.64, -0.82, 0.37, 1.77, 1.09, -1.28,
      2.36, 1.31,
    ],
    current: [
      1.05, -0.52, -0.74, 0.71, 1.5, 0.4, 1.9, 2.2, 0.85, 1.33, -0.1, 0.95, 1.62, 2.05, 0.3, 1.1, 0.77, 1.45, 2.6, 0.62,
    ],
    statistic: 0.45,
    pValue: 0.0335416594061465,
  },
  unequalSizes: {
    reference: [3.1, 4.7, 2.2, 5.9, 4.4, 3.8, 6.1],
    current: [4.9, 5.5, 7.2, 6.6, 5.1, 8.0, 6.9, 4.2, 7.7, 5.8, 6.3, 7.1, 5.0],
    statistic: 0.6373626373626373,
    pValue: 0.024767801857585137,
  },
  ties: {
    reference: [1, 2, 2, 3, 3, 3, 4, 4, 5, 5, 5, 5, 6],
    current: [2, 3, 3, 4, 4, 4, 5, 5, 5, 6, 6, 6, 6, 7, 7, 8],
    statistic: 0.3605769230769231,
    pValue: 0.23930511524423548,
  },
  identical: {
    reference: [0.5, 1.5, 2.5, 3.5, 4.5, 5.5],
    current: [0.5, 1.5, 2.5, 3.5, 4.5, 5.5],
    statistic: 0,
    pValue: 1,
  },
  separated: {
    reference: [1, 2, 3, 4, 5, 6, 7, 8],
    current: [10, 11, 12, 13, 14],
    statistic: 1,
    pValue: 0.0015540015540015538,
  },
  separatedEqualSizes: {
    reference: [1, 2, 3, 4, 5],
    current: [6, 7, 8, 9, 10],
    statistic: 1,
    pValue: 0.007936507936507936,
  },
  singlePoints: { reference: [1], current: [2], statistic: 1, pValue: 1 },
};

function stream(seed: number, n: number): number[] {
  const next = createRng(seed);
  return Array.from({ length: n }, () => next());
}

function expectClose(actual: number, expected: number, tol = 1e-10): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tol);
}

describe("ksTwoSample (exact path)", () => {
  it.each(Object.entries(SMALL))("%s matches scipy.stats.ks_2samp", (_, c) => {
    const r = ksTwoSample(c.reference, c.current);
    expect(r.method).toBe("exact");
    expectClose(r.statistic, c.statistic, 1e-15);
    expectClose(r.pValue, c.pValue);
  });

  it("is symmetric in its samples", () => {
    const { reference, current } = SMALL.unequalSizes;
    expect(ksTwoSample(current, reference)).toEqual(ksTwoSample(reference, current));
  });

  it("10,000 vs 3,000 values: matches scipy and runs well under a second", () => {
    const reference = stream(4, 10_000);
    const current = stream(5, 3_000).map((u) => u + 0.02);
    const started = performance.now();
    const r = ksTwoSample(reference, current);
    const elapsed = performance.now() - started;
    expect(r.method).toBe("exact");
    expectClose(r.statistic, 0.0312, 1e-15);
    expectClose(r.pValue, 0.02192478987155943);
    expect(elapsed).toBeLessThan(1000); // ~35 ms on a laptop
  });

  it("10,000 vs 3,000 fully separated values stay fast", () => {
    const reference = stream(4, 10_000);
    const current = stream(5, 3_000).map((u) => u + 5);
    const started = performance.now();
    const r = ksTwoSample(reference, current);
    expect(performance.now() - started).toBeLessThan(1000); // D = 1 has a closed form: ~3 ms
    expect(r).toEqual({ statistic: 1, pValue: 0, method: "exact" });
  });
});

describe("ksTwoSample (asymptotic path, max(n1, n2) > 10,000)", () => {
  const reference = stream(1, 10_001);
  // round(10001·200 / 10201) = 196 for kstwo.sf(D, 196); each case exercises another
  // branch of scipy's kstwo: Pelz–Good, 2·smirnov, Durbin matrix.
  const cases: [string, number[], number, number][] = [
    ["same distribution (Pelz–Good)", stream(2, 200), 0.055217978202179774, 0.569351593412232],
    ["squared uniforms (2·smirnov)", stream(3, 200).map((u) => u * u), 0.23783421657834214, 3.0731017807939407e-10],
    [
      "near-uniform grid (Durbin matrix)",
      Array.from({ length: 200 }, (_, i) => ((i + 0.5) / 200) * 0.97),
      0.032092290770922904,
      0.9838195805324401,
    ],
  ];

  it.each(cases)("%s matches scipy.stats.ks_2samp to 1e-6", (_, current, statistic, pValue) => {
    const r = ksTwoSample(reference, current);
    expect(r.method).toBe("asymp");
    expectClose(r.statistic, statistic, 1e-15);
    expectClose(r.pValue, pValue, 1e-6);
    // In fact much closer than the required 1e-6:
    expect(Math.abs(r.pValue - pValue)).toBeLessThanOrEqual(1e-12 + 1e-9 * pValue);
  });
});

describe("ksTwoSample errors", () => {
  it("throws unprocessable:drift on an empty sample", () => {
    expect(() => ksTwoSample([], [1])).toThrow(expect.objectContaining({ code: "unprocessable:drift" }));
    expect(() => ksTwoSample([1], [])).toThrow(expect.objectContaining({ code: "unprocessable:drift" }));
  });

  it("throws unprocessable:drift on non-finite values", () => {
    expect(() => ksTwoSample([1, Number.NaN], [1])).toThrow(expect.objectContaining({ code: "unprocessable:drift" }));
  });
});
