/*
 * Label leakage on the rows of a file about to become the training set (the set-up page): a
 * feature that alone separates the label almost perfectly is nearly always a column written after
 * the fact (a closing date, a "reason for leaving", the label re-coded) — a model trained on it
 * scores superbly on the test data and is useless on new clients. Two measures, one per feature type:
 *
 * - numeric: the ROC AUC of the feature alone as a score for the label (rankAuc); a feature that
 *   separates in either direction counts, so the measure is max(AUC, 1 − AUC);
 * - categorical: the accuracy of predicting the label by each level's majority (majorityAccuracy);
 *   only meaningful when the levels are few (a level per row predicts every row), so a column with
 *   as many levels as half the rows or more is not judged, and only when it beats always answering
 *   the label's majority value (a label that is 99 % one value makes every column look "accurate").
 *
 * Framework-free, columns in, warnings out; names of columns come from the caller.
 */

import { rocAuc } from "../metrics/ranking";

/** max(AUC, 1 − AUC) and majority accuracy at or above this warn. */
export const LEAK_THRESHOLD = 0.99;

/**
 * ROC AUC of `scores` as a ranking of `labels` (1 = positive): the probability that a random
 * positive scores above a random negative, ties counting one half — the Mann–Whitney U statistic
 * divided by n₊·n₋. Entries whose score is NaN are skipped; the rest go to lib/metrics/ranking.ts
 * rocAuc (the twin of scikit-learn's `roc_auc_score(labels, scores)`). Cost: O(n log n). Returns null when
 * the (non-NaN) rows hold only one label value (the AUC is undefined; scikit-learn raises).
 *
 * @example rankAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]) // 0.75
 */
export function rankAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number | null {
  // the ranking metrics' own ROC AUC (lib/metrics/ranking.ts, checked against scikit-learn) on the rows with a score
  const kept: number[] = [];
  for (let i = 0; i < scores.length; i++) if (!Number.isNaN(scores[i])) kept.push(i);
  const y = Float64Array.from(kept, (i) => (labels[i] === 1 ? 1 : 0));
  const positives = y.reduce((n, v) => n + v, 0);
  if (positives === 0 || positives === y.length) return null;
  return rocAuc(y, Float64Array.from(kept, (i) => scores[i]));
}

/**
 * The share of rows predicted right when each level of `levels` predicts its own majority label
 * (1 = positive; a level with as many of each is right for half its rows, whichever it predicts).
 * Cost: O(n). Returns null for no rows.
 *
 * @example majorityAccuracy(["a", "a", "b", "b"], [1, 1, 0, 1]) // 0.75
 */
export function majorityAccuracy(levels: readonly string[], labels: ArrayLike<number>): number | null {
  if (levels.length === 0) return null;
  const counts = new Map<string, [number, number]>();
  for (let i = 0; i < levels.length; i++) {
    const c = counts.get(levels[i]) ?? [0, 0];
    c[labels[i] === 1 ? 1 : 0]++;
    counts.set(levels[i], c);
  }
  let right = 0;
  for (const [neg, pos] of counts.values()) right += Math.max(neg, pos);
  return right / levels.length;
}

export type LeakColumn = { name: string; type: "numeric"; values: ArrayLike<number> } | { name: string; type: "categorical"; values: readonly string[] };

export interface Leak {
  column: string;
  measure: "auc" | "majority-accuracy";
  /** max(AUC, 1 − AUC), or the majority accuracy */
  value: number;
  message: string;
}

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

/**
 * The features that alone separate `labels` (0/1, one per row, the same rows as every column's
 * values; a missing numeric cell is NaN, a missing categorical cell any level text) at or above
 * LEAK_THRESHOLD, in the order given, with a message saying what was measured.
 */
export function findLeaks(columns: readonly LeakColumn[], labels: ArrayLike<number>): Leak[] {
  const n = labels.length;
  let positives = 0;
  for (let i = 0; i < n; i++) positives += labels[i] === 1 ? 1 : 0;
  const baseline = n === 0 ? 1 : Math.max(positives, n - positives) / n;
  const leaks: Leak[] = [];
  for (const c of columns) {
    if (c.type === "numeric") {
      const auc = rankAuc(c.values, labels);
      if (auc === null) continue;
      const value = Math.max(auc, 1 - auc);
      if (value < LEAK_THRESHOLD) continue;
      leaks.push({
        column: c.name,
        measure: "auc",
        value,
        message: `"${c.name}" alone separates the label almost perfectly (ROC AUC ${(auc >= 0.5 ? auc : 1 - auc).toFixed(3)}${auc < 0.5 ? ", reversed" : ""}): it probably leaks the label (recorded after the outcome?). Leave it out unless it is known before the outcome.`,
      });
    } else {
      const distinct = new Set(c.values).size;
      if (distinct >= n / 2) continue;
      const acc = majorityAccuracy(c.values, labels);
      if (acc === null || acc < LEAK_THRESHOLD || acc <= baseline) continue;
      leaks.push({
        column: c.name,
        measure: "majority-accuracy",
        value: acc,
        message: `"${c.name}" alone predicts the label for ${pct(acc)} of the rows (each of its ${distinct} levels by its majority; always guessing the commoner label value is right for ${pct(baseline)}): it probably leaks the label. Leave it out unless it is known before the outcome.`,
      });
    }
  }
  return leaks;
}
