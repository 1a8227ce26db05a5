import { AppError } from "../errors";
import { classificationScores, type ClassificationScores } from "../metrics/classification";
import { maxF1ThresholdOf, rankCounts } from "../metrics/ranking";
import { rankingMetrics, type RankingMetrics } from "../metrics/score-ranking";
import type { DataColumns } from "../schema/columns";
import { labelsAt, predictProbabilityColumns, type ModelParameters } from "./logistic";

/** Classification scores at the model's threshold, with the ranking and calibration of its probabilities. */
export type ScoredSet = ClassificationScores & { ranking: RankingMetrics };

/** Score probabilities against labels: the labels at `threshold` and the ranking metrics. */
export function scoreProbabilities(y: ArrayLike<number>, probabilities: ArrayLike<number>, threshold: number): ScoredSet {
  return { ...classificationScores(y, labelsAt(probabilities, threshold)), ranking: rankingMetrics(y, probabilities) };
}

/** The model's scores on labelled columns (`data.label`: 1 = the positive value). */
export function evaluate(model: ModelParameters, data: DataColumns): ScoredSet {
  return scoreProbabilities(data.label.subarray(0, data.n), predictProbabilityColumns(model, data), model.hyperParameters.threshold);
}

/**
 * The threshold that maximises F1 of `model` on the labelled test columns (lib/metrics/ranking.ts
 * maxF1ThresholdOf: the highest of the tied best). 422 when the test data has no positive row.
 */
export function maxF1ThresholdOn(model: ModelParameters, data: DataColumns): number {
  const y = data.label.subarray(0, data.n);
  if (!y.includes(1)) {
    throw new AppError(
      "unprocessable:threshold",
      'The test data has no row with the positive label, so no threshold maximises F1 on it; give a number instead of "max-f1", or use test data with both labels.',
    );
  }
  return maxF1ThresholdOf(rankCounts(y, predictProbabilityColumns(model, data))).threshold;
}
