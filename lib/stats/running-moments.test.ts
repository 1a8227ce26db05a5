import { describe, expect, it } from "vitest";
import { EMPTY_MOMENTS, mergeMoments, MomentsAccumulator, momentsOf, sampleSd } from "./running-moments";

/*
 * Golden values from numpy (numpy 2.4.6):
 *   python3 -c "import numpy as np; x=np.array([1e9+4,1e9+7,1e9+13,1e9+16,3.5,0,2e9]); print(x.mean(), x.std(ddof=1))"
 *   → 857142863.3571428 690065559.9979165
 *   python3 -c "import numpy as np; x=np.array([1e9+4,1e9+7,1e9+13,1e9+16]); print(x.mean(), x.std(ddof=1))"
 *   → 1000000010.0 5.477225575051661
 */
describe("running moments", () => {
  it("merging batches gives the moments of the whole column, in any split", () => {
    const all = [1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16, 3.5, 0, 2e9];
    for (let cut = 0; cut <= all.length; cut++) {
      const m = mergeMoments(momentsOf(all.slice(0, cut)), momentsOf(all.slice(cut)));
      expect(m.n).toBe(7);
      expect(m.mean / 857142863.3571428).toBeCloseTo(1, 14);
      expect(sampleSd(m)! / 690065559.9979165).toBeCloseTo(1, 12);
      expect(m.min).toBe(0);
      expect(m.max).toBe(2e9);
    }
  });

  it("keeps precision when the mean is large against the SD (where sums of squares fail)", () => {
    const a = momentsOf([1e9 + 4, 1e9 + 7]);
    const b = momentsOf([1e9 + 13, 1e9 + 16]);
    const m = mergeMoments(a, b);
    expect(m.mean).toBe(1000000010);
    expect(sampleSd(m)).toBeCloseTo(5.477225575051661, 9);
  });

  it("handles empty and single-value batches", () => {
    expect(mergeMoments(EMPTY_MOMENTS, EMPTY_MOMENTS).n).toBe(0);
    const one = mergeMoments(EMPTY_MOMENTS, momentsOf([42]));
    expect(one).toEqual({ n: 1, mean: 42, m2: 0, min: 42, max: 42 });
    expect(sampleSd(one)).toBeNull();
    expect(mergeMoments(one, EMPTY_MOMENTS)).toEqual(one);
  });

  it("accumulates one value at a time like the two-pass computation, with or without a good shift", () => {
    const all = [1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16];
    for (const shift of [null, 1e9, 1e9 + 10]) {
      const acc = new MomentsAccumulator(shift);
      for (const x of all) acc.add(x);
      const m = acc.moments();
      expect(m.n).toBe(4);
      expect(m.mean).toBe(1000000010);
      expect(sampleSd(m)).toBeCloseTo(5.477225575051661, 9);
      expect(acc.sum).toBe(4000000040);
      expect([m.min, m.max]).toEqual([1e9 + 4, 1e9 + 16]);
    }
    expect(new MomentsAccumulator().moments()).toEqual(EMPTY_MOMENTS);
  });
});
