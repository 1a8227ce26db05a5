import { requireCountVectors } from "./count-vectors";
import { PSI_EMPTY_BIN_SHARE } from "./psi";

export interface CategoricalPsiLevel {
  /** Share of the reference sample in this level, before the empty-level substitution. */
  referenceShare: number;
  /** Share of the current sample in this level, before the empty-level substitution. */
  currentShare: number;
}

export interface CategoricalPsiResult {
  score: number;
  /** One entry per input level, in the input's order. */
  levels: CategoricalPsiLevel[];
}

/**
 * [Population Stability Index](https://www.listendata.com/2015/05/population-stability-index.html)
 * over the levels of a categorical variable, given as aligned count vectors (entry j = the count
 * of level j on each side, the union of both sides' levels):
 *   PSI = Σ_j (cur_j − ref_j) · ln(cur_j / ref_j),  ref_j = r_j / Σr,  cur_j = c_j / Σc.
 * The levels are the bins, so unlike the numeric PSI of psi.ts there is no binning step.
 *
 * Empty levels, the same rule as psi.ts: a share of 0 on either side is replaced by
 * PSI_EMPTY_BIN_SHARE (0.0001) in both factors of that level's term, so a level new in the
 * current sample (or gone from it) adds about (s − 0.0001)·ln(s / 0.0001) for its share s on
 * the other side instead of infinity; a level empty on both sides adds 0. The returned levels
 * keep the raw shares. numpy twin:
 *   r = ref / ref.sum(); c = cur / cur.sum()
 *   rr = np.where(r == 0, 1e-4, r); cc = np.where(c == 0, 1e-4, c)
 *   np.sum((cc - rr) * np.log(cc / rr))
 *
 * Rule of thumb: < 0.1 no significant shift, 0.1–0.2 moderate, > 0.2 significant.
 *
 * Cost: O(k).
 *
 * @throws AppError `unprocessable:drift` if the vectors differ in length, hold a negative or
 *   non-finite count, or one side's counts sum to 0.
 * @example
 * categoricalPsi([50, 50], [50, 50]).score; // => 0
 * categoricalPsi([60, 40], [40, 60]).score; // => 0.1621860432432657 (= 0.4·ln 1.5)
 */
export function categoricalPsi(reference: readonly number[], current: readonly number[]): CategoricalPsiResult {
  const { referenceTotal, currentTotal } = requireCountVectors(reference, current, "The population stability index");
  let score = 0;
  const levels = reference.map((r, j): CategoricalPsiLevel => {
    const referenceShare = r / referenceTotal;
    const currentShare = current[j] / currentTotal;
    const rs = referenceShare === 0 ? PSI_EMPTY_BIN_SHARE : referenceShare;
    const cs = currentShare === 0 ? PSI_EMPTY_BIN_SHARE : currentShare;
    score += (cs - rs) * Math.log(cs / rs);
    return { referenceShare, currentShare };
  });
  return { score, levels };
}
