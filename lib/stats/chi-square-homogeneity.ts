import { chiSquareSf } from "./chi-square";
import { requireCountVectors } from "./count-vectors";

export interface ChiSquareHomogeneityResult {
  /** Pearson's X² (no continuity correction). */
  statistic: number;
  /** Levels kept − 1. */
  df: number;
  /** P(χ²_df > statistic); 1 when df = 0. */
  pValue: number;
}

/**
 * [Pearson's chi-square test of homogeneity](https://en.wikipedia.org/wiki/Pearson%27s_chi-squared_test#Homogeneity)
 * of two samples of a categorical variable, given as aligned count vectors (entry j = the count
 * of level j; the union of both sides' levels). It is the test of independence on the 2 × k
 * table [reference; current] — scipy's
 * `stats.chi2_contingency(np.array([reference, current]), correction=False)` (statistic, dof, pvalue).
 *
 * With totals R, C, N = R + C and n_j = r_j + c_j, the expected counts are R·n_j/N and C·n_j/N,
 * and X² = Σ_j Σ_rows (O − E)² / E simplifies to
 *   X² = Σ_j (r_j·C − c_j·R)² / (R·C·n_j),
 * which is computed in that form: it avoids the cancellation in O − E and is exactly 0 when the
 * two samples have the same shares. p = chiSquareSf(X², k − 1).
 *
 * Edge cases:
 * - a level empty on both sides has no expected count (scipy refuses such a table); it is
 *   dropped before the test and does not count towards df;
 * - fewer than 2 levels left: nothing can differ, so { statistic: 0, df: 0, pValue: 1 } — what
 *   scipy returns for a 2 × 1 table;
 * - a far drift can give a p-value that underflows to 0, as scipy's does (X² ≳ 1490 at df 2).
 *
 * Cost: O(k).
 *
 * @throws AppError `unprocessable:drift` if the vectors differ in length, hold a negative or
 *   non-finite count, or one side's counts sum to 0 (the test needs two non-empty samples).
 * @example
 * chiSquareHomogeneity([120, 80], [90, 110]);
 * // => { statistic: 9.022556390977444, df: 1, pValue: 0.002666681793614089 }
 * // scipy: 9.022556390977442, 1, 0.0026666817936140982
 */
export function chiSquareHomogeneity(reference: readonly number[], current: readonly number[]): ChiSquareHomogeneityResult {
  const { referenceTotal: R, currentTotal: C } = requireCountVectors(reference, current, "The chi-square test of homogeneity");
  let statistic = 0;
  let kept = 0;
  for (let j = 0; j < reference.length; j++) {
    const n = reference[j] + current[j];
    if (n === 0) continue;
    kept++;
    const d = reference[j] * C - current[j] * R;
    statistic += (d * d) / n;
  }
  if (kept < 2) return { statistic: 0, df: 0, pValue: 1 };
  statistic /= R * C;
  const df = kept - 1;
  return { statistic, df, pValue: chiSquareSf(statistic, df) };
}
