import { describe, expect, it } from "vitest";
import { createRng } from "./random";
import { kthOfSorted, medianOfSortedChunks } from "./sorted-chunks";

// numpy: python3 -c "import numpy as np; print(np.median([1,5,2,3,4]), np.median([1,5,2,3,4,7]))" → 3.0 3.5
describe("medianOfSortedChunks", () => {
  it("equals numpy.median of the concatenation", () => {
    expect(medianOfSortedChunks([Float64Array.of(1, 5), Float64Array.of(2, 3, 4)])).toBe(3);
    expect(medianOfSortedChunks([Float64Array.of(1, 5), Float64Array.of(2, 3, 4), Float64Array.of(7)])).toBe(3.5);
  });

  it("is null for no values; one value is its own median; empty chunks are fine", () => {
    expect(medianOfSortedChunks([])).toBeNull();
    expect(medianOfSortedChunks([new Float64Array(0)])).toBeNull();
    expect(medianOfSortedChunks([new Float64Array(0), Float64Array.of(2.5)])).toBe(2.5);
  });

  it("finds every k-th value of random chunks with ties, as sorting the concatenation does", () => {
    const rand = createRng(7);
    for (let trial = 0; trial < 50; trial++) {
      const chunks = Array.from({ length: 1 + Math.floor(rand() * 5) }, () =>
        Float64Array.from({ length: Math.floor(rand() * 40) }, () => Math.floor(rand() * 10)).sort(),
      );
      const all = Float64Array.from(chunks.flatMap((c) => [...c])).sort();
      for (let k = 0; k < all.length; k++) expect(kthOfSorted(chunks, k)).toBe(all[k]);
    }
  });
});
