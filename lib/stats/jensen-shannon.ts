import { requireCountVectors } from "./count-vectors";

/**
 * [Jensen–Shannon distance](https://en.wikipedia.org/wiki/Jensen%E2%80%93Shannon_divergence)
 * between two distributions over the same levels, in base 2 — scipy's
 * `spatial.distance.jensenshannon(p, q, base=2)`:
 *   P = p / Σp,  Q = q / Σq,  M = (P + Q) / 2,
 *   JSD = ½ Σ_j [P_j·log2(P_j/M_j) + Q_j·log2(Q_j/M_j)]   (a 0·log 0 term is 0),
 *   distance = √JSD.
 * Inputs are counts or shares: each vector is normalised here, so only the proportions matter.
 * In base 2 the distance lies in [0, 1]: 0 for the same shares, 1 for disjoint supports; the
 * result is clamped to that range against rounding. Unlike PSI it is symmetric and stays
 * finite when a level is empty on one side, which is why Evidently uses it for categorical
 * drift (drifted above 0.1 by default).
 *
 * Cost: O(k).
 *
 * @throws AppError `unprocessable:drift` if the vectors differ in length, hold a negative or
 *   non-finite entry, or one of them sums to 0.
 * @example
 * jensenShannonDistance([1, 0], [0, 1]); // => 1
 * jensenShannonDistance([50, 30, 20], [0.4, 0.4, 0.2]); // => 0.09584323377689273
 */
export function jensenShannonDistance(p: readonly number[], q: readonly number[]): number {
  const { referenceTotal, currentTotal } = requireCountVectors(p, q, "The Jensen–Shannon distance");
  let sum = 0;
  for (let j = 0; j < p.length; j++) {
    const pj = p[j] / referenceTotal;
    const qj = q[j] / currentTotal;
    const m = (pj + qj) / 2;
    if (pj > 0) sum += pj * Math.log(pj / m);
    if (qj > 0) sum += qj * Math.log(qj / m);
  }
  const divergence = sum / Math.LN2 / 2;
  return Math.sqrt(Math.min(1, Math.max(0, divergence)));
}
