import { AppError } from "../errors";

/** Counts of a binary confusion matrix; the positive class is 1 (`exited`). */
export interface ConfusionCounts {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

export interface ClassificationScores {
  f1: number;
  precision: number;
  recall: number;
  accuracy: number;
  confusion: ConfusionCounts;
  /** Number of rows scored. */
  rows: number;
}

function checkLabels(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): void {
  if (yTrue.length !== yPred.length) {
    throw new AppError(
      "unprocessable:labels",
      `Label arrays differ in length: ${yTrue.length} true labels vs ${yPred.length} predictions.`,
    );
  }
  if (yTrue.length === 0) {
    throw new AppError("unprocessable:labels", "Cannot score an empty set of labels.");
  }
}

function badLabel(which: string, index: number, value: number): AppError {
  return new AppError("unprocessable:labels", `${which}[${index}] is ${value}; binary labels must be 0 or 1.`);
}

/**
 * [Confusion matrix](https://en.wikipedia.org/wiki/Confusion_matrix) counts of a binary
 * classifier with positive class 1. Same numbers as scikit-learn's
 * `confusion_matrix(y_true, y_pred, labels=[0, 1]).ravel()` = (tn, fp, fn, tp).
 *
 * Cost: O(n).
 *
 * @throws AppError `unprocessable:labels` if the arrays differ in length, are empty, or
 *   hold anything other than 0 and 1.
 * @example
 * confusionCounts([1, 0, 1, 0], [1, 1, 0, 0]); // => { tp: 1, fp: 1, tn: 1, fn: 1 }
 */
export function confusionCounts(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): ConfusionCounts {
  checkLabels(yTrue, yPred);
  const counts: ConfusionCounts = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (let i = 0; i < yTrue.length; i++) {
    const t = yTrue[i];
    const p = yPred[i];
    if (t !== 0 && t !== 1) throw badLabel("yTrue", i, t);
    if (p !== 0 && p !== 1) throw badLabel("yPred", i, p);
    if (t === 1) {
      if (p === 1) counts.tp++;
      else counts.fn++;
    } else if (p === 1) counts.fp++;
    else counts.tn++;
  }
  return counts;
}

/** a / b, or 0 when b is 0 — scikit-learn's `zero_division=0`. */
function ratioOrZero(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}

/**
 * [F1 score](https://en.wikipedia.org/wiki/F-score) from confusion counts:
 * 2·tp / (2·tp + fp + fn), the harmonic mean of precision and recall; 0 when there are no
 * positives at all, predicted or true (scikit-learn's `zero_division=0`).
 *
 * Cost: O(1). Lets resampling loops count without building label arrays.
 *
 * @example
 * f1FromConfusion({ tp: 3, fp: 1, tn: 5, fn: 1 }); // => 0.75
 */
export function f1FromConfusion({ tp, fp, fn }: ConfusionCounts): number {
  return ratioOrZero(2 * tp, 2 * tp + fp + fn);
}

/**
 * [Precision, recall](https://en.wikipedia.org/wiki/Precision_and_recall),
 * [F1](https://en.wikipedia.org/wiki/F-score) and accuracy of a binary classifier
 * (positive class 1), from the confusion counts:
 * precision = tp / (tp + fp), recall = tp / (tp + fn), F1 = 2·tp / (2·tp + fp + fn)
 * (= the harmonic mean of precision and recall), accuracy = (tp + tn) / n.
 *
 * Degenerate cases follow scikit-learn's `zero_division=0`: a ratio whose denominator is 0
 * is 0, never NaN. So a model that predicts no positives has precision 0 and F1 0, and a
 * test set without positives has recall 0 and F1 0 (even if the model is "right" to
 * predict none).
 *
 * Cost: O(n).
 *
 * @throws AppError `unprocessable:labels` as {@link confusionCounts}.
 * @example
 * classificationScores([1, 1, 0, 0], [1, 0, 1, 0]);
 * // => { f1: 0.5, precision: 0.5, recall: 0.5, accuracy: 0.5,
 * //      confusion: { tp: 1, fp: 1, tn: 1, fn: 1 }, rows: 4 }
 */
export function classificationScores(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): ClassificationScores {
  const confusion = confusionCounts(yTrue, yPred);
  const { tp, fp, tn, fn } = confusion;
  return {
    f1: f1FromConfusion(confusion),
    precision: ratioOrZero(tp, tp + fp),
    recall: ratioOrZero(tp, tp + fn),
    accuracy: (tp + tn) / yTrue.length,
    confusion,
    rows: yTrue.length,
  };
}
