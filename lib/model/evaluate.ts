import type { LabelledRow } from "../domain";
import { AppError } from "../errors";
import { classificationScores, type ClassificationScores } from "../metrics/classification";
import { maxF1ThresholdOf, rankCounts } from "../metrics/ranking";
import { rankingMetrics, type RankingMetrics } from "../metrics/score-ranking";
import { labelsAt, predictProbabilities, predictProbabilityColumns, type LabelledColumns, type ModelParameters } from "./logistic";

/** Classification scores at the model's threshold, with the ranking and calibration of its probabilities. */
export type ScoredSet = ClassificationScores & { ranking: RankingMetrics };

/** Score probabilities against labels: the labels at `threshold` and the ranking metrics. */
export function scoreProbabilities(y: ArrayLike<number>, probabilities: ArrayLike<number>, threshold: number): ScoredSet {
  return { ...classificationScores(y, labelsAt(probabilities, threshold)), ranking: rankingMetrics(y, probabilities) };
}

export function evaluate(model: ModelParameters, rows: readonly LabelledRow[]): ScoredSet {
  return scoreProbabilities(
    rows.map((r) => r.exited),
    predictProbabilities(model, rows),
    model.hyperParameters.threshold,
  );
}

/** evaluate() for labelled columns (stored records read as typed arrays). */
export function evaluateColumns(model: ModelParameters, data: LabelledColumns): ScoredSet {
  return scoreProbabilities(data.exited, predictProbabilityColumns(model, data), model.hyperParameters.threshold);
}

/**
 * The threshold that maximises F1 of `model` on the test rows (lib/metrics/ranking.ts
 * maxF1ThresholdOf: the highest of the tied best). 422 when the test data has no exited client.
 */
export function maxF1ThresholdOn(model: ModelParameters, rows: readonly LabelledRow[]): number {
  const y = rows.map((r) => r.exited);
  if (!y.includes(1)) {
    throw new AppError(
      "unprocessable:threshold",
      'The test data has no client with exited=1, so no threshold maximises F1 on it; give a number instead of "max-f1", or use test data with both labels.',
    );
  }
  return maxF1ThresholdOf(rankCounts(y, predictProbabilities(model, rows))).threshold;
}
