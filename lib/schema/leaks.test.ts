import { describe, expect, it } from "vitest";
import { findLeaks, LEAK_THRESHOLD, majorityAccuracy, rankAuc } from "./leaks";

/*
 * Golden AUCs from scikit-learn 1.2.1 (Debian's python3-sklearn), produced by:
 *
 *   /usr/bin/python3 -c "
 *   from sklearn.metrics import roc_auc_score
 *   print(repr(roc_auc_score([0,0,1,1],[0.1,0.4,0.35,0.8])))                   # 0.75
 *   print(repr(roc_auc_score([0,1,0,1,1,0,1,1],[1,1,2,2,3,3,3,4])))            # 0.6666666666666667
 *   s=[(i*37%101)/10 for i in range(60)]; y=[1 if (i*37%101)>45 or i%9==0 else 0 for i in range(60)]
 *   print(repr(roc_auc_score(y,s)))                                            # 0.9467592592592593
 *   print(repr(roc_auc_score([1,1,0,0,0],[1,2,3,4,5])))                        # 0.0
 *   "
 */
const sixty = Array.from({ length: 60 }, (_, i) => ({ score: ((i * 37) % 101) / 10, label: (i * 37) % 101 > 45 || i % 9 === 0 ? 1 : 0 }));

describe("rankAuc", () => {
  it("matches scikit-learn's roc_auc_score, ties counting one half", () => {
    expect(rankAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
    expect(rankAuc([1, 1, 2, 2, 3, 3, 3, 4], [0, 1, 0, 1, 1, 0, 1, 1])).toBeCloseTo(0.6666666666666667, 14);
    expect(rankAuc(sixty.map((r) => r.score), sixty.map((r) => r.label))).toBeCloseTo(0.9467592592592593, 14);
    expect(rankAuc([1, 2, 3, 4, 5], [1, 1, 0, 0, 0])).toBe(0);
  });

  it("skips NaN scores, and is null for one label value or no rows", () => {
    expect(rankAuc([0.1, NaN, 0.4, 0.35, 0.8, NaN], [0, 1, 0, 1, 1, 0])).toBe(0.75);
    expect(rankAuc([1, 2, 3], [1, 1, 1])).toBeNull();
    expect(rankAuc([NaN, 2], [0, 1])).toBeNull();
    expect(rankAuc([], [])).toBeNull();
  });
});

describe("majorityAccuracy", () => {
  it("counts each level's majority as right (a tied level: half of it)", () => {
    expect(majorityAccuracy(["a", "a", "b", "b"], [1, 1, 0, 1])).toBe(0.75);
    expect(majorityAccuracy(["a", "a", "b", "b"], [1, 0, 0, 1])).toBe(0.5);
    expect(majorityAccuracy(["x"], [0])).toBe(1);
    expect(majorityAccuracy([], [])).toBeNull();
  });
});

describe("findLeaks", () => {
  const n = 400;
  const labels = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 1 : 0));
  const noise = Array.from({ length: n }, (_, i) => ((i * 7919) % 397) / 397);

  it("warns on a numeric feature that separates either way, and on a few-level categorical one", () => {
    const leaks = findLeaks(
      [
        { name: "amount", type: "numeric", values: noise },
        { name: "closed_days", type: "numeric", values: labels.map((y, i) => (y === 1 ? 100 + noise[i] : noise[i])) },
        { name: "negated", type: "numeric", values: labels.map((y, i) => (y === 1 ? -1 - noise[i] : noise[i])) },
        { name: "status", type: "categorical", values: labels.map((y) => (y === 1 ? "closed" : "open")) },
        { name: "region", type: "categorical", values: labels.map((_, i) => ["n", "s", "e", "w"][i % 4]) },
      ],
      labels,
    );
    expect(leaks.map((l) => [l.column, l.measure, l.value])).toEqual([
      ["closed_days", "auc", 1],
      ["negated", "auc", 1],
      ["status", "majority-accuracy", 1],
    ]);
    expect(leaks[1].message).toMatch(/ROC AUC 1\.000, reversed/);
    expect(leaks[2].message).toMatch(/2 levels by its majority; always guessing the commoner label value is right for 66\.5 %/);
  });

  it("does not judge a categorical column with a level for every other row, nor beat a lopsided label by guessing its majority", () => {
    const ids = labels.map((_, i) => `c${Math.floor(i / 2)}`); // n / 2 levels
    expect(findLeaks([{ name: "pair", type: "categorical", values: ids }], labels)).toEqual([]);
    const lopsided = Array.from({ length: n }, (_, i) => (i === 0 ? 1 : 0));
    expect(findLeaks([{ name: "flag", type: "categorical", values: lopsided.map((_, i) => (i % 2 ? "a" : "b")) }], lopsided)).toEqual([]);
  });

  it("warns from LEAK_THRESHOLD (0.99) up: 99 of 100 rows ranked right warns, 98 does not", () => {
    expect(LEAK_THRESHOLD).toBe(0.99);
    // negatives score 0–9, positives 10–19; moving the lowest positive below k negatives leaves k of the 100 pairs discordant: AUC = 1 − k/100
    const labels10 = [...Array(10).fill(0), ...Array(10).fill(1)];
    const swapped = (k: number) => labels10.map((_, i) => (i === 10 ? 9.5 - k : i));
    expect(rankAuc(swapped(1), labels10)).toBe(0.99);
    expect(rankAuc(swapped(2), labels10)).toBe(0.98);
    expect(findLeaks([{ name: "a", type: "numeric", values: swapped(1) }], labels10).map((l) => l.value)).toEqual([0.99]);
    expect(findLeaks([{ name: "b", type: "numeric", values: swapped(2) }], labels10)).toEqual([]);
  });

  it("says nothing for a label with one value", () => {
    expect(findLeaks([{ name: "x", type: "numeric", values: [1, 2, 3] }], [0, 0, 0])).toEqual([]);
  });
});
