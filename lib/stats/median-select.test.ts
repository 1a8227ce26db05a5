import { describe, expect, it } from "vitest";
import { medianInPlace } from "./median-select";

/*
 * Golden values from numpy:
 *   python3 -c "import numpy as np; print(np.median([5,1,4,2]), np.median([3,1,2]), np.median([7]), np.median([2,2,2,9,9]))"
 *   → 3.0 2.0 7.0 2.0
 * Large arrays: against the middle of the sorted copy (the definition), on pseudo-random data with many ties.
 */
describe("medianInPlace", () => {
  it("equals numpy's median on small arrays, with ties, odd and even counts", () => {
    expect(medianInPlace(Float64Array.of(5, 1, 4, 2))).toBe(3);
    expect(medianInPlace(Float64Array.of(3, 1, 2))).toBe(2);
    expect(medianInPlace(Float64Array.of(7))).toBe(7);
    expect(medianInPlace(Float64Array.of(2, 2, 2, 9, 9))).toBe(2);
    expect(medianInPlace(new Float64Array(0))).toBeNull();
  });

  it("equals the median of the sorted array on large arrays", () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (const n of [100_000, 100_001]) {
      const x = Float64Array.from({ length: n }, () => Math.floor(rand() * 1000) / 7);
      const sorted = Float64Array.from(x).sort();
      const h = n >> 1;
      const expected = n % 2 ? sorted[h] : (sorted[h - 1] + sorted[h]) / 2;
      expect(medianInPlace(x)).toBe(expected);
    }
  });
});
