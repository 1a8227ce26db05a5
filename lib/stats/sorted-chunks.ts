/**
 * The median of the union of ascending arrays, without merging them (numpy.median of their
 * concatenation: the mean of the middle two values for an even count); null when all are empty.
 * The ingestion keeps each file's sorted values as one chunk (lib/db/bulk-ingest.ts), so the
 * training set's exact median after every file costs a few binary searches, not a pass.
 *
 * Cost: O(chunks² · log² n) for n values in all.
 * @example
 * medianOfSortedChunks([Float64Array.of(1, 5), Float64Array.of(2, 3, 4)]) // → 3
 */
export function medianOfSortedChunks(chunks: readonly Float64Array[]): number | null {
  const n = chunks.reduce((k, c) => k + c.length, 0);
  if (n === 0) return null;
  return n % 2 ? kthOfSorted(chunks, (n - 1) / 2) : (kthOfSorted(chunks, n / 2 - 1) + kthOfSorted(chunks, n / 2)) / 2;
}

/** First index in c[lo, hi) whose value is ≥ v (strict: > v). */
function bound(c: Float64Array, lo: number, hi: number, v: number, strict: boolean): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (strict ? c[mid] <= v : c[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The k-th smallest (0-based) value of the union of ascending arrays, without merging them:
 * take the middle of the largest remaining range as a pivot, count what is below and equal to it
 * in every range by binary search, and keep the side that holds k. Each round halves the largest
 * range at least; cost O(chunks² · log² n) for n values.
 */
export function kthOfSorted(chunks: readonly Float64Array[], k: number): number {
  const lo = chunks.map(() => 0);
  const hi = chunks.map((c) => c.length);
  for (;;) {
    let big = 0;
    for (let j = 1; j < chunks.length; j++) if (hi[j] - lo[j] > hi[big] - lo[big]) big = j;
    const pivot = chunks[big][(lo[big] + hi[big]) >>> 1];
    const below = chunks.map((c, j) => bound(c, lo[j], hi[j], pivot, false));
    const upTo = chunks.map((c, j) => bound(c, lo[j], hi[j], pivot, true));
    const nBelow = below.reduce((s, b, j) => s + b - lo[j], 0);
    const nUpTo = upTo.reduce((s, u, j) => s + u - lo[j], 0);
    if (k < nBelow) below.forEach((b, j) => (hi[j] = b));
    else if (k < nUpTo) return pivot;
    else {
      k -= nUpTo;
      upTo.forEach((u, j) => (lo[j] = u));
    }
  }
}
