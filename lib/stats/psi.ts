import { requireFiniteSample } from "./finite-sample";
import { quantiles } from "./quantile";

export interface PsiBin {
  /** Inclusive lower edge (−Infinity for the first bin). */
  lower: number;
  /** Exclusive upper edge (+Infinity for the last bin). */
  upper: number;
  /** Share of the reference sample in [lower, upper), before the empty-bin substitution. */
  referenceShare: number;
  /** Share of the current sample in [lower, upper), before the empty-bin substitution. */
  currentShare: number;
}

export interface PsiResult {
  score: number;
  bins: PsiBin[];
}

/** Number of quantile bins of the reference (deciles). */
export const PSI_BINS = 10;
/** Share substituted for an empty bin before the log term (Evidently's convention). */
export const PSI_EMPTY_BIN_SHARE = 0.0001;

function checkSample(values: ArrayLike<number>, name: string): void {
  requireFiniteSample(values, name, "The population stability index");
}

/** Number of inner edges <= v, i.e. the index of v's bin [edges[k−1], edges[k]). */
function binIndex(edges: readonly number[], v: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function shares(values: ArrayLike<number>, edges: readonly number[]): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (let k = 0; k < values.length; k++) counts[binIndex(edges, values[k])]++;
  return counts.map((c) => c / values.length);
}

/**
 * [Population Stability Index](https://www.listendata.com/2015/05/population-stability-index.html)
 * of `current` against `reference`:
 *   PSI = Σ_bins (cur − ref) · ln(cur / ref),
 * where ref and cur are the shares of each sample falling in the bin.
 *
 * Bins: the inner edges are the reference deciles (type-7 quantiles at 0.1 … 0.9, see
 * lib/stats/quantile.ts); the outer edges are −Infinity and +Infinity, so every current
 * value lands in a bin. Equal deciles (ties in the reference) are collapsed into one edge,
 * so a heavily tied reference gives fewer than 10 bins. Bins are [lower, upper): a value
 * equal to an edge belongs to the bin above it (numpy.histogram / numpy.searchsorted
 * side="right").
 *
 * Empty bins: a share of 0 — in the reference or in the current sample — is replaced by
 * 0.0001 in both factors of that bin's term (Evidently's convention), so the score stays
 * finite; the returned bins keep the raw shares. An empty bin therefore contributes
 * about (s − 0.0001)·ln(s / 0.0001) for the other sample's share s.
 *
 * Rule of thumb: < 0.1 no significant shift, 0.1–0.2 moderate, > 0.2 significant.
 *
 * Cost: O((n + m) log n) for reference size n and current size m.
 *
 * @throws AppError `unprocessable:drift` if either sample is empty or holds a non-finite value.
 * @example
 * populationStabilityIndex([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]).score; // => 0
 */
export function populationStabilityIndex(reference: ArrayLike<number>, current: ArrayLike<number>): PsiResult {
  checkSample(reference, "reference");
  checkSample(current, "current");
  const deciles = quantiles(
    reference,
    Array.from({ length: PSI_BINS - 1 }, (_, k) => (k + 1) / PSI_BINS),
  );
  const edges = deciles.filter((e, k) => k === 0 || e !== deciles[k - 1]);
  const ref = shares(reference, edges);
  const cur = shares(current, edges);

  let score = 0;
  const bins: PsiBin[] = ref.map((referenceShare, k) => {
    const currentShare = cur[k];
    const r = referenceShare === 0 ? PSI_EMPTY_BIN_SHARE : referenceShare;
    const c = currentShare === 0 ? PSI_EMPTY_BIN_SHARE : currentShare;
    score += (c - r) * Math.log(c / r);
    return {
      lower: k === 0 ? -Infinity : edges[k - 1],
      upper: k === edges.length ? Infinity : edges[k],
      referenceShare,
      currentShare,
    };
  });
  return { score, bins };
}
