import { AppError } from "../errors";
import { regularizedIncompleteBetaPair } from "./incomplete-beta";

function checkArgs(t: number, df: number): void {
  if (Number.isNaN(t)) throw new AppError("unprocessable:stats", "Student t distribution evaluated at NaN.");
  if (!(df > 0 && Number.isFinite(df))) {
    throw new AppError("unprocessable:stats", `Student t distribution needs finite df > 0, got ${df}.`);
  }
}

/**
 * P(|T| >= |t|) for T ~ Student t with `df` degrees of freedom — the two-sided p-value of a
 * t statistic. Uses P(|T| >= |t|) = I_{ν/(ν+t²)}(ν/2, 1/2)
 * ([DLMF 8.17.1](https://dlmf.nist.gov/8.17), Abramowitz & Stegun 26.7.1), with
 * 1 − ν/(ν+t²) passed as t²/(ν+t²) so small |t| loses no precision.
 */
function twoSidedTail(t: number, df: number): { tail: number; inner: number } {
  if (!Number.isFinite(t)) return { tail: 0, inner: 1 };
  const t2 = t * t;
  const denom = df + t2;
  const { value, complement } = regularizedIncompleteBetaPair(df / denom, df / 2, 0.5, t2 / denom);
  return { tail: value, inner: complement };
}

/**
 * Survival function of [Student's t distribution](https://en.wikipedia.org/wiki/Student%27s_t-distribution),
 * P(T > t) with `df` degrees of freedom (scipy.stats.t.sf(t, df)); df need not be an
 * integer (Welch's test has fractional df).
 *
 * Cost: O(sqrt(df)) (one incomplete-beta continued fraction).
 *
 * @throws AppError `unprocessable:stats` if t is NaN or df is not a finite positive number.
 * @example
 * studentTSf(2, 5); // => 0.0509697394149292 (scipy.stats.t.sf(2, 5) = 0.050969739414929174)
 */
export function studentTSf(t: number, df: number): number {
  checkArgs(t, df);
  const { tail, inner } = twoSidedTail(t, df);
  return t >= 0 ? tail / 2 : 0.5 + inner / 2;
}

/**
 * CDF of Student's t distribution, P(T <= t) (scipy.stats.t.cdf(t, df)); see
 * {@link studentTSf}.
 *
 * Cost: O(sqrt(df)).
 *
 * @throws AppError `unprocessable:stats` as {@link studentTSf}.
 * @example
 * studentTCdf(-2, 5); // => 0.0509697394149292
 */
export function studentTCdf(t: number, df: number): number {
  return studentTSf(-t, df);
}

/**
 * Two-sided p-value of a t statistic, P(|T| >= |t|) = 2·sf(|t|) — what
 * scipy.stats.ttest_ind reports for `alternative="two-sided"`.
 *
 * Cost: O(sqrt(df)).
 *
 * @throws AppError `unprocessable:stats` as {@link studentTSf}.
 * @example
 * studentTTwoSidedPValue(-2, 5); // => 0.1019394788298585
 */
export function studentTTwoSidedPValue(t: number, df: number): number {
  checkArgs(t, df);
  return twoSidedTail(t, df).tail;
}
