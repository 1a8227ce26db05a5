import { quantileSorted } from "simple-statistics";
import { AppError } from "../errors";

/*
 * The one quantile definition used across the app (PSI bin edges, the IQR fence of the
 * nonparametric score check, charts): linear interpolation between order statistics,
 * Hyndman & Fan (1996) definition 7 = R's default `type = 7` = numpy's default
 * `method="linear"`. For sorted x[0..n-1] and 0 <= p <= 1:
 *   h = (n - 1) * p,  Q(p) = x[floor(h)] + (h - floor(h)) * (x[floor(h) + 1] - x[floor(h)]).
 *
 * simple-statistics' quantileSorted implements exactly this from 7.12 on (older 7.x
 * releases, including 7.8.8, used a different, non-interpolating rule — see
 * simple-statistics issue #353); the golden tests in quantile.test.ts pin numpy's values,
 * so an older copy of the library fails loudly instead of silently changing the
 * definition. Results can differ from numpy in the last bit: numpy interpolates from the
 * upper neighbour when the fraction is >= 0.5, simple-statistics always from the lower one.
 */

function sortedCopy(values: ArrayLike<number>, subject: string): number[] {
  if (values.length === 0) {
    throw new AppError("unprocessable:quantile", `${subject} of an empty sample is undefined.`);
  }
  for (let k = 0; k < values.length; k++) {
    if (Number.isNaN(values[k])) throw new AppError("unprocessable:quantile", `${subject} of a sample containing NaN is undefined.`);
  }
  // Float64Array sorts numerically (a plain Array sorts as strings without a comparator).
  // quantileSorted only indexes its argument, so the typed array serves as it is (no copy into a JS array).
  return Float64Array.from(values).sort() as unknown as number[];
}

function checkProbability(p: number): void {
  if (!(p >= 0 && p <= 1)) {
    throw new AppError("unprocessable:quantile", `Quantile probability must be in [0, 1], got ${p}.`);
  }
}

/**
 * [Quantile](https://en.wikipedia.org/wiki/Quantile#Estimating_quantiles_from_a_sample),
 * Hyndman–Fan type 7 (linear interpolation between order statistics; numpy.quantile's
 * default, R's default).
 *
 * Cost: O(n log n) (one sort of a copy; the input is not modified).
 *
 * @throws AppError `unprocessable:quantile` if `values` is empty or contains NaN, or if
 *   `p` is outside [0, 1].
 * @example
 * quantile([1, 2, 3, 4], 0.25); // => 1.75 (numpy.quantile([1, 2, 3, 4], 0.25))
 */
export function quantile(values: readonly number[], p: number): number {
  checkProbability(p);
  return quantileSorted(sortedCopy(values, "A quantile"), p);
}

/**
 * Several type-7 quantiles of one sample (see {@link quantile}), sorting once.
 *
 * Cost: O(n log n + k) for k probabilities.
 *
 * @throws AppError `unprocessable:quantile` as {@link quantile}, for any of the `ps`.
 * @example
 * quantiles([1, 2, 3, 4, 5], [0.1, 0.5, 0.9]); // => [1.4, 3, 4.6]
 */
export function quantiles(values: ArrayLike<number>, ps: readonly number[]): number[] {
  ps.forEach(checkProbability);
  const sorted = sortedCopy(values, "A quantile");
  return ps.map((p) => quantileSorted(sorted, p));
}

/**
 * [Interquartile range](https://en.wikipedia.org/wiki/Interquartile_range): Q3 − Q1 with
 * type-7 quartiles (see {@link quantile}); also returns the quartiles, since every caller
 * that fences on the IQR needs them too.
 *
 * Cost: O(n log n).
 *
 * @throws AppError `unprocessable:quantile` if `values` is empty or contains NaN.
 * @example
 * interquartileRange([1, 2, 3, 4]); // => { q1: 1.75, q3: 3.25, iqr: 1.5 }
 */
export function interquartileRange(values: readonly number[]): { q1: number; q3: number; iqr: number } {
  const sorted = sortedCopy(values, "The interquartile range");
  const q1 = quantileSorted(sorted, 0.25);
  const q3 = quantileSorted(sorted, 0.75);
  return { q1, q3, iqr: q3 - q1 };
}
