import { requireFiniteSample } from "./finite-sample";
import { kolmogorovSmirnovSf } from "./kolmogorov-distribution";

export interface KsTwoSampleResult {
  /** D = sup_x |F_reference(x) − F_current(x)|. */
  statistic: number;
  /** Two-sided p-value under H0: both samples come from the same continuous distribution. */
  pValue: number;
  /** How the p-value was computed (scipy's `method`): exact lattice-path count, or the kstwo approximation. */
  method: "exact" | "asymp";
}

/** scipy's MAX_AUTO_N: `method="auto"` is exact while both samples have at most this many values. */
const KS_EXACT_MAX_N = 10_000;

function gcd(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y) [x, y] = [y, x % y];
  return x;
}

function sortedSample(values: ArrayLike<number>, name: string): Float64Array {
  requireFiniteSample(values, name, "The Kolmogorov–Smirnov test");
  return Float64Array.from(values).sort();
}

/**
 * P(D_{n,n} >= h/n) for equal sample sizes: 2·Σ_k (−1)^(k+1) C(2n, n − k·h) / C(2n, n),
 * evaluated as a Horner-like product to avoid cancellation (scipy `_compute_prob_outside_square`).
 */
function probOutsideSquare(n: number, h: number): number {
  let P = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let p1 = 1;
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    P = p1 * (1 - P);
  }
  return 2 * P;
}

/**
 * P(D_{m,n} >= h / lcm(m, n)) by counting lattice paths from (0,0) to (m,n) that stay
 * strictly inside |x/m − y/n| < h/lcm — Hodges (1958) "inside method", in the 1 − p form of
 * Viehmann (2021, arXiv:2102.08037) that scipy uses (`_compute_outer_prob_inside_method`).
 * Keeps one sliding column; O(m · window) with window ≈ 2·h·n/lcm.
 */
function probOutsideInside(m0: number, n0: number, g: number, h: number): number {
  const m = Math.max(m0, n0);
  const n = Math.min(m0, n0);
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const lenA = Math.min(2 * maxj + 2, n + 1);
  const A = new Float64Array(lenA).fill(1);
  A.fill(0, minj, maxj);
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    const shift = minj - lastminj;
    const width = maxj - minj;
    for (let jj = 0; jj < width; jj++) {
      const j = jj + minj;
      val = (A[jj + shift] * i + val * j) / (i + j);
      A[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) A.fill(1, maxj - minj, Math.min(maxj - minj + (lastlen - curlen), lenA));
  }
  return A[maxj - minj - 1];
}

/**
 * P(D_{m,n} = 1) = 2 / C(m + n, n): only the two orderings with one sample entirely below
 * the other reach D = 1. Same value as the path count, without its O(m·n) cost in the
 * common "completely separated" case; the product underflows gracefully to 0.
 */
function probFullySeparated(m: number, n: number): number {
  let p = 2;
  const k = Math.min(m, n);
  const big = Math.max(m, n);
  for (let i = 1; i <= k && p > 0; i++) p *= i / (big + i);
  return p;
}

/**
 * [Two-sample Kolmogorov–Smirnov test](https://en.wikipedia.org/wiki/Kolmogorov%E2%80%93Smirnov_test#Two-sample_Kolmogorov%E2%80%93Smirnov_test),
 * two-sided: D = sup_x |F_ref(x) − F_cur(x)| over the empirical CDFs, and the p-value of D
 * under "same continuous distribution". Reproduces `scipy.stats.ks_2samp(reference,
 * current)` with its defaults (scipy 1.17: alternative="two-sided", method="auto"):
 * - exact (max(n1, n2) <= 10,000): D is snapped to the lattice h/lcm(n1, n2) and
 *   P(D >= h/lcm) is counted over lattice paths (Hodges 1958); if that count is not a valid
 *   probability it falls back to asymp, as scipy does;
 * - asymp (larger samples): kstwo.sf(D, round(n1·n2 / (n1 + n2))), see
 *   {@link kolmogorovSmirnovSf}.
 * Ties are allowed (the ECDFs are compared after each distinct value), but the p-value
 * assumes continuity and is conservative with many ties — as in scipy.
 *
 * Cost: O((n1 + n2) log(n1 + n2)) for D; the exact p-value is O(max(n1, n2) · window)
 * with window ≈ min(2·D·n, n) + 1 for n = min(n1, n2): for 10,000 vs 3,000 values about
 * 15 ms at D ≈ 0.01, 65 ms at D ≈ 0.1 and 250 ms for D near 1 (D = 1 exactly is O(n)).
 *
 * @throws AppError `unprocessable:drift` if either sample is empty or holds a non-finite value.
 * @example
 * ksTwoSample([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]);
 * // => { statistic: 1, pValue: 0.007936507936507936, method: "exact" }
 */
export function ksTwoSample(reference: ArrayLike<number>, current: ArrayLike<number>): KsTwoSampleResult {
  const a = sortedSample(reference, "reference");
  const b = sortedSample(current, "current");
  const n1 = a.length;
  const n2 = b.length;

  // Walk the merged distinct values; after each one, both ECDFs include all its copies
  // (scipy: searchsorted(..., side="right")).
  let maxDiff = 0;
  let minDiff = 0;
  let i = 0;
  let j = 0;
  while (i < n1 || j < n2) {
    const v = j >= n2 || (i < n1 && a[i] <= b[j]) ? a[i] : b[j];
    while (i < n1 && a[i] <= v) i++;
    while (j < n2 && b[j] <= v) j++;
    const diff = i / n1 - j / n2;
    if (diff > maxDiff) maxDiff = diff;
    if (diff < minDiff) minDiff = diff;
  }
  let d = Math.max(maxDiff, Math.min(-minDiff, 1));

  if (Math.max(n1, n2) <= KS_EXACT_MAX_N) {
    const g = gcd(n1, n2);
    const lcm = (n1 / g) * n2;
    const h = Math.round(d * lcm);
    d = h / lcm;
    if (h === 0) return { statistic: d, pValue: 1, method: "exact" };
    const prob =
      n1 === n2 ? probOutsideSquare(n1, h) : h >= lcm ? probFullySeparated(n1, n2) : probOutsideInside(n1, n2, g, h);
    if (prob >= 0 && prob <= 1) return { statistic: d, pValue: prob, method: "exact" };
  }

  const [m, n] = n1 >= n2 ? [n1, n2] : [n2, n1];
  const en = (m * n) / (m + n);
  const pValue = Math.min(1, Math.max(0, kolmogorovSmirnovSf(roundHalfEven(en), d)));
  return { statistic: d, pValue, method: "asymp" };
}

/** numpy's np.round: ties go to the even integer. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
