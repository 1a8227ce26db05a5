import { mean, min, sampleStandardDeviation } from "simple-statistics";
import { AppError } from "../errors";
import { interquartileRange } from "../stats/quantile";
import { SCORE_CHECK_IDS, type HistoryCheckId, type ScoreCheckId, type ScoreCheckStatus } from "../vocabulary";

/*
 * Score-drift checks of DESIGN.md ("Checks"): is the new F1 of the deployed model worse
 * than its history says it should be? F1 is higher-is-better, so every check asks whether
 * the new score falls strictly below a threshold; a score exactly at the threshold is not
 * drift. A check without enough history reports `insufficient-history` and drifted: null —
 * it never passes silently.
 */

/* The check ids (SCORE_CHECK_IDS, HISTORY_CHECK_IDS) and statuses are defined in lib/vocabulary.ts. */

export interface ScoreCheckDescriptor {
  id: ScoreCheckId;
  displayName: string;
  description: string;
  /** Lower scores are worse: drift is `newScore < threshold`. */
  direction: "lower-is-worse";
  /** Previous scores needed before the check can run (`latest` needs the deployed model's score instead). */
  minHistory: number;
}

export const SCORE_CHECKS: Record<HistoryCheckId, ScoreCheckDescriptor> = {
  latest: {
    id: "latest",
    displayName: "Below deployed score",
    description: "New score < the deployed model's recorded score (the classic full-process rule).",
    direction: "lower-is-worse",
    minHistory: 0,
  },
  raw: {
    id: "raw",
    displayName: "Below every previous score",
    description: "New score < the minimum of all previous scores.",
    direction: "lower-is-worse",
    minHistory: 1,
  },
  parametric: {
    id: "parametric",
    displayName: "Below mean − 2·SD",
    description: "New score < mean − 2 × sample standard deviation (n − 1) of previous scores.",
    direction: "lower-is-worse",
    minHistory: 2,
  },
  nonparametric: {
    id: "nonparametric",
    displayName: "Below Q1 − 1.5·IQR",
    description:
      "New score < Q1 − 1.5 × IQR of previous scores (Tukey's lower fence; type-7 quartiles). " +
      "Needs 4 previous scores: from n = 4 on, Q1 and Q3 interpolate between disjoint pairs of " +
      "order statistics, so the IQR measures the spread of the middle half instead of being a " +
      "fixed fraction of the range (n = 2, 3).",
    direction: "lower-is-worse",
    minHistory: 4,
  },
};

/**
 * `estimated`: performance before the labels arrive. The newest monitored batch scored by the
 * deployed model since its deployment that still waits for labels (lib/batches/monitor.ts) has
 * an estimated F1 with a 95 % band; drift when even the band's upper bound is below the deployed
 * model's recorded F1 on the test data — the batch is very probably worse than the model was
 * when it went live. No batch since the deployment (or no recorded test F1) →
 * insufficient-history.
 */
export const ESTIMATED_CHECK: ScoreCheckDescriptor = {
  id: "estimated",
  displayName: "Estimated F1 band below test F1",
  description:
    "Upper bound of the 95 % band of the estimated F1 of the newest unlabelled monitored batch since the deployment < the deployed model's F1 on the test data.",
  direction: "lower-is-worse",
  minHistory: 0,
};

/** The newest unlabelled batch the `estimated` check looks at. */
export interface EstimatedBatch {
  id: number;
  name: string;
  rows: number;
  f1: { estimate: number; lower: number; upper: number };
}

/**
 * The `estimated` check ({@link ESTIMATED_CHECK}): drifted = batch.f1.upper < deployedScore
 * (strict), threshold = deployedScore. Cost: O(1).
 *
 * @throws AppError `unprocessable:scores` if a score is not a finite number.
 * @example
 * runEstimatedCheck({ batch: { id: 3, name: "may.csv", rows: 500, f1: { estimate: 0.4, lower: 0.3, upper: 0.5 } }, deployedScore: 0.6 });
 * // => { drifted: true, threshold: 0.6, status: "drift", inputs: { previous: 0, deployedScore: 0.6, batchId: 3, … } }
 */
export function runEstimatedCheck({ batch, deployedScore }: { batch: EstimatedBatch | null; deployedScore: number | null }): ScoreCheckResult {
  if (deployedScore !== null) checkScore(deployedScore, "The deployed score");
  if (batch === null || deployedScore === null) return insufficient({ previous: 0, deployedScore, batchId: batch?.id ?? null });
  checkScore(batch.f1.upper, "The estimated F1's upper bound");
  const inputs: ScoreCheckInputs = {
    previous: 0,
    deployedScore,
    batchId: batch.id,
    batchName: batch.name,
    batchRows: batch.rows,
    estimatedF1: batch.f1.estimate,
    estimatedF1Lower: batch.f1.lower,
    estimatedF1Upper: batch.f1.upper,
  };
  return verdict(batch.f1.upper, deployedScore, inputs);
}

/**
 * Parses a comma-separated list of score-check ids (e.g. the retrain trigger setting
 * "latest,parametric"): trims, lower-cases, drops duplicates, keeps order.
 *
 * Cost: O(length of the list).
 *
 * @throws AppError `bad_request:config` on an unknown id or an empty list; the message
 *   lists the valid ids.
 * @example
 * parseScoreCheckIds(" latest, Parametric ,latest"); // => ["latest", "parametric"]
 */
export function parseScoreCheckIds(list: string): ScoreCheckId[] {
  const valid = `valid ids: ${SCORE_CHECK_IDS.join(", ")}`;
  const ids = list
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== "");
  if (ids.length === 0) throw new AppError("bad_request:config", `No score check given; ${valid}.`);
  const unknown = ids.filter((id) => !(SCORE_CHECK_IDS as readonly string[]).includes(id));
  if (unknown.length > 0) {
    throw new AppError("bad_request:config", `Unknown score check ${unknown.map((u) => `"${u}"`).join(", ")}; ${valid}.`);
  }
  return [...new Set(ids)] as ScoreCheckId[];
}


export interface ScoreCheckInputs {
  /** Number of previous scores in the history. */
  previous: number;
  deployedScore?: number | null;
  min?: number;
  mean?: number;
  sd?: number;
  q1?: number;
  q3?: number;
  iqr?: number;
  /** `estimated`: the batch it looked at (null: none since the deployment) and its estimated F1 band */
  batchId?: number | null;
  batchName?: string;
  batchRows?: number;
  estimatedF1?: number;
  estimatedF1Lower?: number;
  estimatedF1Upper?: number;
}

export interface ScoreCheckResult {
  /** null when the check could not run. */
  drifted: boolean | null;
  /** Drift when newScore < threshold; null when the check could not run. */
  threshold: number | null;
  status: ScoreCheckStatus;
  inputs: ScoreCheckInputs;
}

export interface ScoreCheckInput {
  /** Previous F1 scores of the deployed model(s), oldest first, not including newScore. */
  history: readonly number[];
  newScore: number;
  /** The deployed model's recorded F1 (the `latest` rule); null when none is recorded. */
  deployedScore: number | null;
}

function checkScore(value: number, what: string): void {
  if (!Number.isFinite(value)) throw new AppError("unprocessable:scores", `${what} must be a finite number, got ${value}.`);
}

function verdict(newScore: number, threshold: number, inputs: ScoreCheckInputs): ScoreCheckResult {
  const drifted = newScore < threshold;
  return { drifted, threshold, status: drifted ? "drift" : "ok", inputs };
}

function insufficient(inputs: ScoreCheckInputs): ScoreCheckResult {
  return { drifted: null, threshold: null, status: "insufficient-history", inputs };
}

/** The parametric band: mean ± 2·SD (sample SD, n − 1); its lower edge is the `parametric` threshold. */
export interface ScoreBand {
  mean: number;
  sd: number;
  lower: number;
  upper: number;
}

/** The IQR fence: Q1 − 1.5·IQR (type-7 quartiles), the `nonparametric` threshold. */
export interface ScoreFence {
  q1: number;
  q3: number;
  iqr: number;
  value: number;
}

/**
 * The band and fence the `parametric` and `nonparametric` checks draw under a score history
 * (each null while the history is shorter than the check's minHistory). The checks compare a new
 * score with them; the Scores chart draws them.
 *
 * Cost: O(n log n). Pure: no validation (runScoreChecks checks its inputs first).
 * @example
 * scoreHistoryThresholds([0.5, 0.75, 1]).band; // => { mean: 0.75, sd: 0.25, lower: 0.25, upper: 1.25 }
 */
export function scoreHistoryThresholds(history: readonly number[]): { band: ScoreBand | null; fence: ScoreFence | null } {
  let band: ScoreBand | null = null;
  if (history.length >= SCORE_CHECKS.parametric.minHistory) {
    const m = mean(history);
    const sd = sampleStandardDeviation(history);
    band = { mean: m, sd, lower: m - 2 * sd, upper: m + 2 * sd };
  }
  let fence: ScoreFence | null = null;
  if (history.length >= SCORE_CHECKS.nonparametric.minHistory) {
    const { q1, q3, iqr } = interquartileRange(history);
    fence = { q1, q3, iqr, value: q1 - 1.5 * iqr };
  }
  return { band, fence };
}

/**
 * Runs the four score-drift checks (see {@link SCORE_CHECKS}) on a new F1 score:
 * - `latest`: threshold = deployedScore (null → insufficient-history);
 * - `raw`: threshold = min(history), needs >= 1 previous score;
 * - `parametric`: threshold = mean − 2·SD (sample SD, n − 1), needs >= 2;
 * - `nonparametric`: threshold = Q1 − 1.5·IQR (type-7 quartiles), needs >= 4.
 * Each result is drifted = newScore < threshold (strict), with the numbers that made the
 * threshold in `inputs`.
 *
 * Cost: O(n log n) for n previous scores.
 *
 * @throws AppError `unprocessable:scores` if newScore, deployedScore or a history entry is
 *   not a finite number.
 * @example
 * runScoreChecks({ history: [0.5, 0.75, 1], newScore: 0.2, deployedScore: 1 }).parametric;
 * // => { drifted: true, threshold: 0.25, status: "drift", inputs: { previous: 3, mean: 0.75, sd: 0.25 } }
 */
export function runScoreChecks({
  history,
  newScore,
  deployedScore,
}: ScoreCheckInput): Record<HistoryCheckId, ScoreCheckResult> {
  checkScore(newScore, "The new score");
  if (deployedScore !== null) checkScore(deployedScore, "The deployed score");
  history.forEach((s, i) => checkScore(s, `Score history entry ${i}`));
  const previous = history.length;

  const latest =
    deployedScore === null
      ? insufficient({ previous, deployedScore })
      : verdict(newScore, deployedScore, { previous, deployedScore });

  let raw: ScoreCheckResult;
  if (previous < SCORE_CHECKS.raw.minHistory) raw = insufficient({ previous });
  else {
    const lowest = min(history);
    raw = verdict(newScore, lowest, { previous, min: lowest });
  }

  const { band, fence } = scoreHistoryThresholds(history);
  const parametric = band ? verdict(newScore, band.lower, { previous, mean: band.mean, sd: band.sd }) : insufficient({ previous });
  const nonparametric = fence ? verdict(newScore, fence.value, { previous, q1: fence.q1, q3: fence.q3, iqr: fence.iqr }) : insufficient({ previous });

  return { latest, raw, parametric, nonparametric };
}
