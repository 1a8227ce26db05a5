import { THRESHOLD_RULES } from "../model/logistic";
import { z } from "./zod";

/* Ranking, calibration, threshold and coefficient shapes (issue 11), shared by scores and models. */

export const RankingSummary = z
  .object({
    rocAuc: z.number().nullable().openapi({ description: "area under the ROC curve (scikit-learn roc_auc_score); null when the data holds one class only" }),
    averagePrecision: z.number().nullable().openapi({ description: "scikit-learn average_precision_score; null when the data holds one class only" }),
    brierScore: z.number().openapi({ description: "mean squared error of the probabilities (0 is perfect, 0.25 a coin)" }),
    logLoss: z.number().openapi({ description: "binary cross-entropy of the probabilities (natural log)" }),
  })
  .openapi("RankingSummary");

const CalibrationBinEntry = z
  .object({
    lower: z.number(),
    upper: z.number(),
    count: z.number().int(),
    meanPredicted: z.number().openapi({ description: "mean predicted probability in the bin" }),
    observedRate: z.number().openapi({ description: "share of clients in the bin that exited" }),
  })
  .openapi("CalibrationBin");

export const ScoreRanking = RankingSummary.extend({
  calibration: z
    .array(CalibrationBinEntry)
    .openapi({ description: "10 quantile bins of the probabilities (scikit-learn calibration_curve(strategy=\"quantile\")), empty bins dropped" }),
}).openapi("ScoreRanking");

const ChartCurve = z
  .object({
    x: z.array(z.number()),
    y: z.array(z.number()),
    threshold: z.array(z.number().nullable()).openapi({ description: "the probability threshold of each point; null = above every probability (the curve's start)" }),
  })
  .openapi("ChartCurve");

export const ScoreCurves = z
  .object({
    roc: ChartCurve.openapi({ description: "x = false-positive rate, y = true-positive rate; at most 200 points" }),
    pr: ChartCurve.openapi({ description: "x = recall, y = precision; at most 200 points" }),
    threshold: z
      .object({ threshold: z.array(z.number()), precision: z.array(z.number()), recall: z.array(z.number()), f1: z.array(z.number()) })
      .openapi({ description: "precision, recall and F1 when predicting exit at probability ≥ threshold, highest threshold first; at most 200 points" }),
  })
  .openapi("ScoreCurves");

const stat = z.number().nullable();
const CoefficientRow = z
  .object({
    term: z.string().openapi({ description: "intercept, a numeric feature, or feature=level for a level of a categorical feature" }),
    estimate: stat,
    standardError: stat,
    z: stat,
    pValue: stat,
    ciLower: stat,
    ciUpper: stat,
    oddsRatio: stat.openapi({ description: "exp(estimate): the odds of exiting multiply by this per unit (original) or per SD (standardised)" }),
    oddsRatioLower: stat,
    oddsRatioUpper: stat,
    estimable: z.boolean().openapi({ description: "false for a feature constant in the training data (its statistics are null)" }),
  })
  .openapi("CoefficientRow");

const CoefficientTableEntry = z
  .object({
    level: z.number().openapi({ description: "confidence level of the Wald intervals (0.95)" }),
    rows: z.number().int().openapi({ description: "training rows the table was computed on" }),
    standardised: z.array(CoefficientRow).openapi({ description: "per SD of each feature (the scale the model is fitted on)" }),
    original: z.array(CoefficientRow).openapi({ description: "per unit of each feature as stored" }),
    gradientMax: z.number().openapi({ description: "largest |mean gradient| at the weights; ~0 at the optimum" }),
  })
  .openapi("CoefficientTable");

export const ThresholdRuleEnum = z.enum(THRESHOLD_RULES);

/** Additions to a model version entry (GET /api/models, POST /api/train, GET /api/models/{id}). */
export const ModelEntryAdditions = {
  threshold: z.number().openapi({ description: "predict exit when probability ≥ threshold (used by predictions and scores of this version)" }),
  thresholdRule: ThresholdRuleEnum.openapi({ description: "fixed (given or the default 0.5) or max-f1 (maximises F1 on the test data, chosen at training)" }),
  ranking: RankingSummary.nullable().openapi({ description: "ranking metrics of the latest test score; null before it was scored (or scored before they were stored)" }),
  coefficients: CoefficientTableEntry.nullable().openapi({ description: "coefficients with odds ratios and 95 % intervals, computed at training; null for older versions" }),
};
