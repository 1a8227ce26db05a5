import { quickselect } from "simple-statistics";

/**
 * [Median](https://en.wikipedia.org/wiki/Median) of a typed array by selection instead of a
 * sort: simple-statistics' quickselect (Floyd–Rivest) puts the k-th smallest value at index k,
 * the smaller ones before it; for an even count the lower middle value is the largest of those.
 * Same value as numpy.median / pandas' median. Reorders `values` in place. Cost: O(n) expected.
 * Returns null for an empty array.
 *
 * @example
 * medianInPlace(Float64Array.of(5, 1, 4, 2)) // → 3
 */
export function medianInPlace(values: Float64Array): number | null {
  const n = values.length;
  if (n === 0) return null;
  const k = n >> 1;
  // quickselect only indexes and swaps, so a typed array serves as the number[] it is typed for.
  quickselect(values as unknown as number[], k);
  if (n % 2 === 1) return values[k];
  let lower = -Infinity;
  for (let i = 0; i < k; i++) if (values[i] > lower) lower = values[i];
  return (lower + values[k]) / 2;
}
