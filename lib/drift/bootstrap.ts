import { mean } from "simple-statistics";
import { AppError } from "../errors";
import { confusionCounts, f1FromConfusion, type ConfusionCounts } from "../metrics/classification";
import { createRng } from "../stats/random";
import { welchTTest } from "../stats/welch-t-test";

export const DEFAULT_BOOTSTRAP_RESAMPLES = 1000;
export const DEFAULT_BOOTSTRAP_SEED = 42;

export interface BootstrapOptions {
  /** Number of bootstrap resamples (default 1000). */
  resamples?: number;
  /** Seed of the Mulberry32 generator (default 42). */
  seed?: number;
}

function checkOptions(resamples: number, seed: number): void {
  if (!Number.isInteger(resamples) || resamples < 1) {
    throw new AppError("unprocessable:bootstrap", `resamples must be a positive integer, got ${resamples}.`);
  }
  if (!Number.isInteger(seed)) {
    throw new AppError("unprocessable:bootstrap", `seed must be an integer, got ${seed}.`);
  }
}

/**
 * F1 of each prediction vector on `resamples` bootstrap resamples of the rows. The row
 * indices of resample r are drawn with replacement as floor(u·n) from one Mulberry32
 * stream (lib/stats/random.ts) seeded with `seed`, resample after resample, so the index
 * sets depend only on (n, resamples, seed) — never on the predictions — and every model
 * is scored on the same rows.
 */
function bootstrapF1Many(
  yTrue: readonly number[],
  predictions: readonly (readonly number[])[],
  resamples: number,
  seed: number,
): number[][] {
  checkOptions(resamples, seed);
  for (const yPred of predictions) confusionCounts(yTrue, yPred); // validates lengths and labels once
  const n = yTrue.length;
  const next = createRng(seed);
  const out = predictions.map(() => new Array<number>(resamples));
  const counts: ConfusionCounts[] = predictions.map(() => ({ tp: 0, fp: 0, tn: 0, fn: 0 }));
  for (let r = 0; r < resamples; r++) {
    for (const c of counts) c.tp = c.fp = c.tn = c.fn = 0;
    for (let k = 0; k < n; k++) {
      const i = Math.floor(next() * n);
      const t = yTrue[i];
      for (let m = 0; m < predictions.length; m++) {
        const p = predictions[m][i];
        const c = counts[m];
        if (t === 1) {
          if (p === 1) c.tp++;
          else c.fn++;
        } else if (p === 1) c.fp++;
        else c.tn++;
      }
    }
    for (let m = 0; m < predictions.length; m++) out[m][r] = f1FromConfusion(counts[m]);
  }
  return out;
}

/**
 * [Bootstrap](https://en.wikipedia.org/wiki/Bootstrapping_(statistics)) distribution of
 * the F1 score: `resamples` resamples of the n rows, drawn with replacement (n indices
 * floor(u·n) each, u from Mulberry32 seeded with `seed`), and F1 (zero_division = 0, see
 * lib/metrics/classification.ts) on each. Same seed and data → same array.
 *
 * Cost: O(resamples · n).
 *
 * @throws AppError `unprocessable:labels` for empty, mismatched or non-binary labels;
 *   `unprocessable:bootstrap` if resamples is not a positive integer or seed not an integer.
 * @example
 * bootstrapF1([1, 0, 1, 1, 0], [1, 0, 0, 1, 0], { resamples: 3, seed: 42 }); // => [0.8571428571428571, 0.5, 1]
 */
export function bootstrapF1(
  yTrue: readonly number[],
  yPred: readonly number[],
  { resamples = DEFAULT_BOOTSTRAP_RESAMPLES, seed = DEFAULT_BOOTSTRAP_SEED }: BootstrapOptions = {},
): number[] {
  return bootstrapF1Many(yTrue, [yPred], resamples, seed)[0];
}

export interface ChampionChallengerInput extends BootstrapOptions {
  yTrue: readonly number[];
  championPred: readonly number[];
  challengerPred: readonly number[];
}

export interface ChampionChallengerResult {
  /** Welch t of challenger F1 samples minus champion F1 samples: > 0 means the challenger scores higher. */
  t: number;
  df: number;
  /** Two-sided p-value. */
  pValue: number;
  resamples: number;
  seed: number;
  championMeanF1: number;
  challengerMeanF1: number;
}

/**
 * The `ttest` check of DESIGN.md: champion vs challenger on the same test data.
 * Both models are scored on the SAME bootstrap index sets (resample r uses identical rows
 * for both — the F1 samples are what {@link bootstrapF1} returns for each model with the
 * same seed), then `welchTTest(challengerSamples, championSamples)` compares them:
 * t > 0 means the challenger's mean F1 is higher, pValue is two-sided.
 *
 * Caveat for readers of the p-value: the resampled F1s are not independent observations
 * of two populations (they share rows, and their number is chosen by us), so with many
 * resamples even tiny differences become "significant"; treat it as a stability signal of
 * the F1 difference, with `resamples` and `seed` recorded for reproducibility.
 *
 * Cost: O(resamples · n).
 *
 * @throws AppError `unprocessable:labels`, `unprocessable:bootstrap` as {@link bootstrapF1};
 *   `unprocessable:ttest` if resamples < 2.
 * @example
 * // The 40 rows of bootstrap.test.ts (F1 on all rows: champion 0.58, challenger 0.91):
 * championChallengerTTest({ yTrue, championPred, challengerPred, resamples: 200, seed: 7 });
 * // => { t: 38.75, df: 282.9, pValue: 3.6e-115, resamples: 200, seed: 7,
 * //      championMeanF1: 0.564, challengerMeanF1: 0.904 }
 */
export function championChallengerTTest({
  yTrue,
  championPred,
  challengerPred,
  resamples = DEFAULT_BOOTSTRAP_RESAMPLES,
  seed = DEFAULT_BOOTSTRAP_SEED,
}: ChampionChallengerInput): ChampionChallengerResult {
  const [championSamples, challengerSamples] = bootstrapF1Many(yTrue, [championPred, challengerPred], resamples, seed);
  const { t, df, pValue } = welchTTest(challengerSamples, championSamples);
  return {
    t,
    df,
    pValue,
    resamples,
    seed,
    championMeanF1: mean(championSamples),
    challengerMeanF1: mean(challengerSamples),
  };
}
