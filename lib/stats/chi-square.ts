import { AppError } from "../errors";
import { normalSf } from "./normal";

/**
 * Survival function of the [chi-square distribution](https://en.wikipedia.org/wiki/Chi-squared_distribution)
 * with a whole number of degrees of freedom, P(X > x) — scipy's `stats.chi2.sf(x, df)`.
 * Closed forms of the regularised upper incomplete gamma Q(df/2, x/2) (DLMF 8.4.8, 8.4.10):
 *   even df = 2k:    e^(−x/2) · Σ_{j<k} (x/2)^j / j!
 *   odd  df = 2k+1:  erfc(√(x/2)) + e^(−x/2) · Σ_{j=1..k} (x/2)^(j−½) / Γ(j+½)
 * Every term is positive, so there is no cancellation. Cost: O(df).
 *
 * @throws AppError `unprocessable:stats` if df is not a positive integer or x is NaN.
 * @example
 * chiSquareSf(3.84, 1); // => 0.05004352124870519 (scipy.stats.chi2.sf(3.84, 1))
 */
export function chiSquareSf(x: number, df: number): number {
  if (!Number.isInteger(df) || df < 1) throw new AppError("unprocessable:stats", `Chi-square needs a positive whole df, got ${df}.`);
  if (Number.isNaN(x)) throw new AppError("unprocessable:stats", "Chi-square distribution evaluated at NaN.");
  if (x <= 0) return 1;
  if (x === Infinity) return 0;
  const h = x / 2;
  const k = Math.floor(df / 2);
  let sum = 0;
  if (df % 2 === 0) {
    let term = 1;
    for (let j = 0; j < k; j++) {
      if (j > 0) term *= h / j;
      sum += term;
    }
    return Math.exp(-h) * sum;
  }
  // term_j = h^(j−½) / Γ(j+½); term_1 = √h / Γ(3/2) = 2√h/√π; term_{j+1} = term_j · h / (j+½)
  let term = (2 * Math.sqrt(h)) / Math.sqrt(Math.PI);
  for (let j = 1; j <= k; j++) {
    if (j > 1) term *= h / (j - 0.5);
    sum += term;
  }
  return 2 * normalSf(Math.sqrt(x)) + Math.exp(-h) * sum;
}
