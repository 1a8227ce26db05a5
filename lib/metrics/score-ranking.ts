import {
  aucOf,
  averagePrecisionOf,
  brierScore,
  calibrationTable,
  CHART_POINTS,
  logLoss,
  prCurveOf,
  rankCounts,
  rocCurveOf,
  thresholdCurveOf,
  type CalibrationBin,
} from "./ranking";

/*
 * What a Score stores besides the confusion counts: how well the probabilities rank the clients
 * (ROC AUC, average precision) and how honest they are (Brier score, log loss, calibration
 * table), plus the curve points the Models page draws. Every number comes from lib/metrics/
 * ranking.ts (golden-tested against scikit-learn); this module only picks them and shapes them
 * for storage, ranking the set once (rankCounts) for all the curves.
 */

/** Points of a chart; a threshold of +∞ (the curve's start) is written as null. */
export interface ChartCurve {
  x: number[];
  y: number[];
  threshold: (number | null)[];
}

export interface ThresholdChart {
  threshold: number[];
  precision: number[];
  recall: number[];
  f1: number[];
}

export interface ScoreCurves {
  /** x = false-positive rate, y = true-positive rate */
  roc: ChartCurve;
  /** x = recall, y = precision */
  pr: ChartCurve;
  /** precision, recall and F1 when predicting "exits" at probability ≥ threshold, highest threshold first */
  threshold: ThresholdChart;
}

export interface RankingMetrics {
  /** null when the data holds one class only (undefined, scikit-learn raises) */
  rocAuc: number | null;
  averagePrecision: number | null;
  brierScore: number;
  logLoss: number;
  /** 10 quantile bins (scikit-learn calibration_curve(strategy="quantile")), empty ones dropped */
  calibration: CalibrationBin[];
  /** null when the data holds one class only */
  curves: ScoreCurves | null;
}

/** Number of quantile bins of the stored calibration table. */
const CALIBRATION_BINS = 10;

const chart = (c: { x: number[]; y: number[]; threshold: number[] }): ChartCurve => ({
  x: c.x,
  y: c.y,
  threshold: c.threshold.map((t) => (Number.isFinite(t) ? t : null)),
});

/**
 * Ranking and calibration of probabilities `p` against labels `y` (0/1), as stored on a Score.
 * Cost: O(n log n) (one ranking for AUC, AP and every curve; one sort for the calibration).
 *
 * @throws AppError `unprocessable:scores` as lib/metrics/ranking.ts (empty or mismatched
 *   arrays, labels other than 0/1, probabilities outside [0, 1]).
 */
export function rankingMetrics(y: ArrayLike<number>, p: ArrayLike<number>, maxPoints = CHART_POINTS): RankingMetrics {
  const r = rankCounts(y, p);
  const bothClasses = r.positives > 0 && r.negatives > 0;
  let curves: ScoreCurves | null = null;
  if (bothClasses) {
    const t = thresholdCurveOf(r, maxPoints);
    curves = {
      roc: chart(rocCurveOf(r, maxPoints)),
      pr: chart(prCurveOf(r, maxPoints)),
      threshold: { threshold: Array.from(t.threshold), precision: Array.from(t.precision), recall: Array.from(t.recall), f1: Array.from(t.f1) },
    };
  }
  return {
    rocAuc: bothClasses ? aucOf(r) : null,
    averagePrecision: bothClasses ? averagePrecisionOf(r) : null,
    brierScore: brierScore(y, p),
    logLoss: logLoss(y, p),
    calibration: calibrationTable(y, p, CALIBRATION_BINS).bins,
    curves,
  };
}
