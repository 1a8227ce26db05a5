import { describe, expect, it } from "vitest";
import { interquartileRange, quantile, quantiles } from "./quantile";

/*
 * Golden values from numpy 2.4.6 (default method="linear" = R type 7):
 *
 *   import numpy as np
 *   ps = [0, 0.1, 0.25, 0.33, 0.5, 0.75, 0.9, 0.99, 1]
 *   for k, v in data.items():
 *       print(k, np.quantile(v, ps).tolist(), np.percentile(v, 25), np.percentile(v, 75))
 *
 * with `data` = the samples below. numpy interpolates from the upper neighbour when the
 * fraction is >= 0.5 and simple-statistics from the lower one, so the last bit may differ:
 * compare to 1e-13 relative, not exactly.
 */
const PS = [0, 0.1, 0.25, 0.33, 0.5, 0.75, 0.9, 0.99, 1];
const data: Record<string, { values: number[]; expected: number[]; q1: number; q3: number }> = {
  // The sample of simple-statistics issue #353 (old versions gave Q1 = 0.3, Q3 = 12).
  issue353: {
    values: [0, 0, 0.3, 1.2, 1.23, 3.5, 10, 12, 23.3, 32.1],
    expected: [0.0, 0.0, 0.5249999999999999, 1.173, 2.365, 11.5, 24.179999999999996, 31.308000000000003, 32.1],
    q1: 0.5249999999999999,
    q3: 11.5,
  },
  unsorted: {
    values: [7.5, -2.25, 3.1, 0.0, 11.4, 3.1, 5.8, -0.6, 9.99, 2.2, 4.4],
    expected: [-2.25, -0.6, 1.1, 2.4700000000000006, 3.1, 6.65, 9.99, 11.259, 11.4],
    q1: 1.1,
    q3: 6.65,
  },
  ties: {
    values: [2, 2, 2, 2, 5, 5, 5, 9],
    expected: [2.0, 2.0, 2.0, 2.0, 3.5, 5.0, 6.199999999999999, 8.719999999999999, 9.0],
    q1: 2,
    q3: 5,
  },
  single: { values: [4.2], expected: PS.map(() => 4.2), q1: 4.2, q3: 4.2 },
  two: {
    values: [1, 3],
    expected: [1.0, 1.2, 1.5, 1.6600000000000001, 2.0, 2.5, 2.8, 2.98, 3.0],
    q1: 1.5,
    q3: 2.5,
  },
};

function expectRelClose(actual: number, expected: number, rel = 1e-13): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(expected)));
}

describe("quantile (type 7)", () => {
  it.each(Object.entries(data))("%s matches numpy.quantile", (_, d) => {
    PS.forEach((p, k) => expectRelClose(quantile(d.values, p), d.expected[k]));
    quantiles(d.values, PS).forEach((q, k) => expectRelClose(q, d.expected[k]));
  });

  it("does not modify its input", () => {
    const values = [3, 1, 2];
    quantile(values, 0.5);
    expect(values).toEqual([3, 1, 2]);
  });

  it("throws unprocessable:quantile on an empty sample", () => {
    expect(() => quantile([], 0.5)).toThrow(expect.objectContaining({ code: "unprocessable:quantile" }));
    expect(() => quantiles([], [0.5])).toThrow(expect.objectContaining({ code: "unprocessable:quantile" }));
  });

  it("throws unprocessable:quantile for p outside [0, 1] or NaN", () => {
    for (const p of [-0.1, 1.1, Number.NaN]) {
      expect(() => quantile([1, 2], p)).toThrow(expect.objectContaining({ code: "unprocessable:quantile" }));
    }
  });

  it("throws unprocessable:quantile for NaN values", () => {
    expect(() => quantile([1, Number.NaN], 0.5)).toThrow(expect.objectContaining({ code: "unprocessable:quantile" }));
  });
});

describe("interquartileRange", () => {
  it.each(Object.entries(data))("%s matches numpy.percentile(75) − percentile(25)", (_, d) => {
    const { q1, q3, iqr } = interquartileRange(d.values);
    expectRelClose(q1, d.q1);
    expectRelClose(q3, d.q3);
    expectRelClose(iqr, d.q3 - d.q1);
  });

  it("throws unprocessable:quantile on an empty sample", () => {
    expect(() => interquartileRange([])).toThrow(expect.objectContaining({ code: "unprocessable:quantile" }));
  });
});
