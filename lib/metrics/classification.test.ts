import { describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { classificationScores, confusionCounts, f1FromConfusion } from "./classification";

/*
 * Golden values from scikit-learn 1.2.1 (Debian python3 3.11):
 *
 *   from sklearn.metrics import f1_score, precision_score, recall_score, accuracy_score, confusion_matrix
 *   for k, (t, p) in cases.items():
 *       tn, fp, fn, tp = confusion_matrix(t, p, labels=[0, 1]).ravel()
 *       print(k, f1_score(t, p, zero_division=0), precision_score(t, p, zero_division=0),
 *             recall_score(t, p, zero_division=0), accuracy_score(t, p), tp, fp, tn, fn)
 *
 * with `cases` = the yTrue / yPred arrays below.
 */
const cases = {
  mixed: {
    yTrue: [1, 0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 1],
    yPred: [1, 0, 0, 1, 1, 1, 0, 1, 1, 0, 0, 1],
    f1: 0.7142857142857143,
    precision: 0.7142857142857143,
    recall: 0.7142857142857143,
    accuracy: 0.6666666666666666,
    confusion: { tp: 5, fp: 2, tn: 3, fn: 2 },
  },
  asymmetric: {
    yTrue: [1, 1, 1, 1, 0, 0, 0, 0, 0, 1, 1, 0, 1, 0, 0, 1, 0, 0, 1, 0],
    yPred: [1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0],
    f1: 0.5333333333333333,
    precision: 0.6666666666666666,
    recall: 0.4444444444444444,
    accuracy: 0.65,
    confusion: { tp: 4, fp: 2, tn: 9, fn: 5 },
  },
  perfect: {
    yTrue: [1, 0, 1, 0],
    yPred: [1, 0, 1, 0],
    f1: 1,
    precision: 1,
    recall: 1,
    accuracy: 1,
    confusion: { tp: 2, fp: 0, tn: 2, fn: 0 },
  },
  allWrong: {
    yTrue: [1, 0, 1, 0],
    yPred: [0, 1, 0, 1],
    f1: 0,
    precision: 0,
    recall: 0,
    accuracy: 0,
    confusion: { tp: 0, fp: 2, tn: 0, fn: 2 },
  },
  // No positive predictions: precision = 0/0 → 0 (zero_division=0), F1 → 0.
  noPredictedPositives: {
    yTrue: [1, 0, 1, 0, 0],
    yPred: [0, 0, 0, 0, 0],
    f1: 0,
    precision: 0,
    recall: 0,
    accuracy: 0.6,
    confusion: { tp: 0, fp: 0, tn: 3, fn: 2 },
  },
  // No true positives in the data: recall = 0/0 → 0.
  noTruePositives: {
    yTrue: [0, 0, 0, 0],
    yPred: [0, 1, 0, 0],
    f1: 0,
    precision: 0,
    recall: 0,
    accuracy: 0.75,
    confusion: { tp: 0, fp: 1, tn: 3, fn: 0 },
  },
  // Everything negative and predicted negative: every ratio is 0/0 → 0, accuracy 1.
  allNegative: {
    yTrue: [0, 0, 0],
    yPred: [0, 0, 0],
    f1: 0,
    precision: 0,
    recall: 0,
    accuracy: 1,
    confusion: { tp: 0, fp: 0, tn: 3, fn: 0 },
  },
  singleRow: {
    yTrue: [1],
    yPred: [1],
    f1: 1,
    precision: 1,
    recall: 1,
    accuracy: 1,
    confusion: { tp: 1, fp: 0, tn: 0, fn: 0 },
  },
};

describe("confusionCounts", () => {
  it.each(Object.entries(cases))("%s matches sklearn's confusion_matrix", (_, c) => {
    expect(confusionCounts(c.yTrue, c.yPred)).toEqual(c.confusion);
  });
});

describe("classificationScores", () => {
  it.each(Object.entries(cases))("%s matches sklearn (zero_division=0)", (_, c) => {
    const s = classificationScores(c.yTrue, c.yPred);
    expect(s.f1).toBeCloseTo(c.f1, 15);
    expect(s.precision).toBeCloseTo(c.precision, 15);
    expect(s.recall).toBeCloseTo(c.recall, 15);
    expect(s.accuracy).toBeCloseTo(c.accuracy, 15);
    expect(s.confusion).toEqual(c.confusion);
    expect(s.rows).toBe(c.yTrue.length);
  });

  it("never returns NaN in degenerate cases", () => {
    for (const c of Object.values(cases)) {
      const s = classificationScores(c.yTrue, c.yPred);
      for (const v of [s.f1, s.precision, s.recall, s.accuracy]) expect(Number.isNaN(v)).toBe(false);
    }
  });

  it("F1 is the harmonic mean of precision and recall", () => {
    const s = classificationScores(cases.asymmetric.yTrue, cases.asymmetric.yPred);
    expect(s.f1).toBeCloseTo((2 * s.precision * s.recall) / (s.precision + s.recall), 15);
    expect(f1FromConfusion(s.confusion)).toBe(s.f1);
  });

  it("throws unprocessable:labels on length mismatch", () => {
    expect(() => classificationScores([1, 0], [1])).toThrow(AppError);
    expect(() => classificationScores([1, 0], [1])).toThrow(expect.objectContaining({ code: "unprocessable:labels" }));
  });

  it("throws unprocessable:labels on empty input", () => {
    expect(() => confusionCounts([], [])).toThrow(expect.objectContaining({ code: "unprocessable:labels" }));
  });

  it("throws unprocessable:labels on non-binary labels", () => {
    expect(() => confusionCounts([1, 2], [1, 0])).toThrow(expect.objectContaining({ code: "unprocessable:labels" }));
    expect(() => confusionCounts([1, 0], [0.5, 0])).toThrow(expect.objectContaining({ code: "unprocessable:labels" }));
  });
});
