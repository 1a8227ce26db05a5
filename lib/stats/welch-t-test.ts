import { mean, sampleVariance } from "simple-statistics";
import { AppError } from "../errors";
import { studentTTwoSidedPValue } from "./student-t";

export interface WelchTTestResult {
  /** (mean(a) − mean(b)) / sqrt(var(a)/n_a + var(b)/n_b); positive when a's mean is larger. */
  t: number;
  /** Welch–Satterthwaite degrees of freedom (fractional). */
  df: number;
  /** Two-sided p-value, P(|T_df| >= |t|). */
  pValue: number;
}

function checkSample(values: readonly number[], name: string): void {
  if (values.length < 2) {
    throw new AppError(
      "unprocessable:ttest",
      `Welch's t-test needs at least 2 values per sample; sample ${name} has ${values.length}.`,
    );
  }
  for (const v of values) {
    if (!Number.isFinite(v)) throw new AppError("unprocessable:ttest", `Sample ${name} contains a non-finite value (${v}).`);
  }
}

/**
 * [Welch's unequal-variances t-test](https://en.wikipedia.org/wiki/Welch%27s_t-test),
 * two-sided:
 *   t = (x̄_a − x̄_b) / sqrt(s²_a/n_a + s²_b/n_b)   (sample variances, n − 1),
 *   df = (s²_a/n_a + s²_b/n_b)² / ((s²_a/n_a)²/(n_a − 1) + (s²_b/n_b)²/(n_b − 1)),
 *   p = P(|T_df| >= |t|) from the Student t distribution (lib/stats/student-t.ts).
 * Matches `scipy.stats.ttest_ind(a, b, equal_var=False)` (tested to 1e-9 relative; the
 * observed differences are ~1e-15 for df up to 10^3 and ~1e-12 at df ~ 10^4). simple-statistics' `tTestTwoSample` is the pooled-variance (Student) statistic
 * without a p-value, hence this module.
 *
 * Both samples constant (zero variance): df is undefined and, like scipy, we report df = 1.
 * If the means differ, t = ±Infinity and p = 0 (as scipy); if they are equal, scipy
 * returns t = NaN, p = NaN, but we return t = 0 and p = 1 — no evidence of a difference,
 * and no NaN for callers to store or compare.
 *
 * Cost: O(n_a + n_b) plus one incomplete-beta evaluation (O(sqrt(df))).
 *
 * @throws AppError `unprocessable:ttest` if a sample has fewer than 2 values or a
 *   non-finite value.
 * @example
 * welchTTest([1, 2], [2, 3, 5]);
 * // => { t: -1.8083888603589306, df: 2.894291754756871, pValue: 0.17160902745362727 }
 * // (scipy: pValue 0.17160902745362722)
 */
export function welchTTest(a: readonly number[], b: readonly number[]): WelchTTestResult {
  checkSample(a, "a");
  checkSample(b, "b");
  const va = sampleVariance(a) / a.length;
  const vb = sampleVariance(b) / b.length;
  const diff = mean(a) - mean(b);
  if (va + vb === 0) {
    if (diff === 0) return { t: 0, df: 1, pValue: 1 };
    return { t: diff > 0 ? Infinity : -Infinity, df: 1, pValue: 0 };
  }
  const welchDf = (va + vb) ** 2 / (va ** 2 / (a.length - 1) + vb ** 2 / (b.length - 1));
  // 0/0 only when the squares underflow (variances ~1e-160); scipy substitutes 1 likewise.
  const df = Number.isNaN(welchDf) ? 1 : welchDf;
  const t = diff / Math.sqrt(va + vb);
  return { t, df, pValue: studentTTwoSidedPValue(t, df) };
}
