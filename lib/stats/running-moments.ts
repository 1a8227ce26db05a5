/**
 * Running moments of a column that grows in batches: count, mean, M2 (sum of squared
 * deviations from the mean), min and max, merged batch by batch with the pairwise update of
 * Chan, Golub & LeVeque (1979), "Updating formulae and a pairwise algorithm for computing
 * sample variances" (https://en.wikipedia.org/wiki/Algorithms_for_calculating_variance#Parallel_algorithm):
 *
 *   n = nA + nB,  δ = meanB − meanA,  mean = meanA + δ·nB/n,  M2 = M2A + M2B + δ²·nA·nB/n.
 *
 * Unlike sums of squares it does not lose precision when the mean is large against the SD.
 * The sample variance is M2 / (n − 1) (pandas' `std()`, R's `sd()`). Each ingestion merges the
 * moments of the rows it added into the stored moments of the training set, so a snapshot
 * never reads the whole table. Cost: O(1) per merge.
 *
 * @example
 * mergeMoments(momentsOf([1, 2]), momentsOf([3, 4])) // → { n: 4, mean: 2.5, m2: 5, min: 1, max: 4 }
 */
export interface Moments {
  n: number;
  mean: number;
  m2: number;
  min: number;
  max: number;
}

export const EMPTY_MOMENTS: Moments = Object.freeze({ n: 0, mean: 0, m2: 0, min: Infinity, max: -Infinity });

export function mergeMoments(a: Moments, b: Moments): Moments {
  if (b.n === 0) return { ...a };
  if (a.n === 0) return { ...b };
  const n = a.n + b.n;
  const delta = b.mean - a.mean;
  return {
    n,
    mean: a.mean + (delta * b.n) / n,
    m2: a.m2 + b.m2 + (delta * delta * a.n * b.n) / n,
    min: Math.min(a.min, b.min),
    max: Math.max(a.max, b.max),
  };
}

/** Moments of a batch of values (two passes: the mean, then the squared deviations). */
export function momentsOf(values: ArrayLike<number>): Moments {
  const n = values.length;
  if (n === 0) return { ...EMPTY_MOMENTS };
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const mean = sum / n;
  let m2 = 0;
  for (let i = 0; i < n; i++) m2 += (values[i] - mean) ** 2;
  return { n, mean, m2, min, max };
}

/** Sample standard deviation (n − 1); null below two values, as pandas gives NaN. */
export function sampleSd(m: Moments): number | null {
  return m.n > 1 ? Math.sqrt(m.m2 / (m.n - 1)) : null;
}

/**
 * Moments of values seen one at a time, kept as sums of deviations from a fixed shift `c`
 * (chosen close to the mean, e.g. the mean so far): M2 = Σ(x − c)² − n·(mean − c)² stays exact
 * enough when c ≈ mean, without Welford's division per value. Cost: O(1) per value.
 */
export class MomentsAccumulator {
  private n = 0;
  private sumDev = 0;
  private sumSqDev = 0;
  private min = Infinity;
  private max = -Infinity;
  private c: number | null;

  constructor(shift: number | null = null) {
    this.c = shift;
  }

  add(x: number): void {
    if (this.c === null) this.c = x;
    const d = x - this.c;
    this.n++;
    this.sumDev += d;
    this.sumSqDev += d * d;
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
  }

  /** Σx of the values added */
  get sum(): number {
    return this.n * (this.c ?? 0) + this.sumDev;
  }

  moments(): Moments {
    if (this.n === 0) return { ...EMPTY_MOMENTS };
    const meanDev = this.sumDev / this.n;
    return { n: this.n, mean: (this.c ?? 0) + meanDev, m2: Math.max(0, this.sumSqDev - this.n * meanDev * meanDev), min: this.min, max: this.max };
  }
}
