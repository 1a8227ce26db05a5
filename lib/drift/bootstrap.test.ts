import { describe, expect, it } from "vitest";
import { bootstrapF1, championChallengerTTest } from "./bootstrap";

const yTrue = [
  1, 0, 1, 1, 0, 0, 1, 0, 1, 1, 0, 0, 0, 1, 0, 1, 1, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0, 0,
];
// F1 on the full data: champion 0.5806451612903226, challenger 0.9090909090909091.
const championPred = [
  1, 0, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 1, 0, 1,
];
const challengerPred = [
  1, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 1, 1, 0, 0, 1, 0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0,
];

/*
 * Golden values from an independent Python re-implementation: the Mulberry32 port of
 * random.test.ts, indices floor(u·n), F1 by scikit-learn 1.2.1, Welch test by scipy 1.17.1:
 *
 *   def boot(yt, preds, resamples, seed):
 *       r = mulberry32(seed); n = len(yt); out = [[] for _ in preds]
 *       for _ in range(resamples):
 *           idx = [math.floor(r() * n) for _ in range(n)]
 *           for m, p in enumerate(preds):
 *               out[m].append(f1_score([yt[i] for i in idx], [p[i] for i in idx], zero_division=0))
 *       return out
 *   boot(y_true, [champion], 5, 42)[0]
 *   ch, cl = boot(y_true, [champion, challenger], 200, 7)
 *   r = stats.ttest_ind(cl, ch, equal_var=False); np.mean(ch); np.mean(cl)
 */
const BOOT5_SEED42 = [0.3478260869565218, 0.7058823529411765, 0.6666666666666666, 0.5641025641025641, 0.33333333333333337];

describe("bootstrapF1", () => {
  it("matches an independent Python implementation (seed 42, 5 resamples)", () => {
    const samples = bootstrapF1(yTrue, championPred, { resamples: 5, seed: 42 });
    expect(samples).toHaveLength(5);
    // sklearn 1.2 computes F1 as 2PR/(P+R), we as 2tp/(2tp+fp+fn): equal up to an ulp.
    samples.forEach((f1, k) => expect(f1).toBeCloseTo(BOOT5_SEED42[k], 14));
  });

  it("is deterministic for a seed and defaults to 1000 resamples, seed 42", () => {
    const a = bootstrapF1(yTrue, championPred);
    expect(a).toHaveLength(1000);
    expect(bootstrapF1(yTrue, championPred, { resamples: 1000, seed: 42 })).toEqual(a);
    expect(a.slice(0, 5).map((x) => Number(x.toFixed(12)))).toEqual(BOOT5_SEED42.map((x) => Number(x.toFixed(12))));
  });

  it("different seeds give different samples", () => {
    const a = bootstrapF1(yTrue, championPred, { resamples: 50, seed: 1 });
    const b = bootstrapF1(yTrue, championPred, { resamples: 50, seed: 2 });
    expect(a).not.toEqual(b);
  });

  it("a perfect model has F1 = 1 on every resample that contains a positive", () => {
    const samples = bootstrapF1(yTrue, yTrue, { resamples: 20, seed: 3 });
    expect(samples.every((f1) => f1 === 1)).toBe(true);
  });

  it("single row", () => {
    expect(bootstrapF1([1], [1], { resamples: 3 })).toEqual([1, 1, 1]);
  });

  it("throws on bad labels or options", () => {
    expect(() => bootstrapF1([], [])).toThrow(expect.objectContaining({ code: "unprocessable:labels" }));
    expect(() => bootstrapF1([1, 0], [1])).toThrow(expect.objectContaining({ code: "unprocessable:labels" }));
    expect(() => bootstrapF1([1], [1], { resamples: 0 })).toThrow(
      expect.objectContaining({ code: "unprocessable:bootstrap" }),
    );
    expect(() => bootstrapF1([1], [1], { seed: 0.5 })).toThrow(expect.objectContaining({ code: "unprocessable:bootstrap" }));
  });
});

describe("championChallengerTTest", () => {
  // Python (see above): t 38.7535503412428, df 282.93466175166606, p 3.5781610295451496e-115,
  // champion mean 0.5635923449005282, challenger mean 0.9039732168794462.
  it("matches the Python re-implementation (200 resamples, seed 7)", () => {
    const r = championChallengerTTest({ yTrue, championPred, challengerPred, resamples: 200, seed: 7 });
    expect(r.resamples).toBe(200);
    expect(r.seed).toBe(7);
    expect(r.t).toBeCloseTo(38.7535503412428, 9);
    expect(r.df).toBeCloseTo(282.93466175166606, 8);
    expect(Math.abs(r.pValue / 3.5781610295451496e-115 - 1)).toBeLessThan(1e-8);
    expect(r.championMeanF1).toBeCloseTo(0.5635923449005282, 13);
    expect(r.challengerMeanF1).toBeCloseTo(0.9039732168794462, 13);
  });

  it("a clearly better challenger gives positive t and a small p", () => {
    const r = championChallengerTTest({ yTrue, championPred, challengerPred });
    expect(r.t).toBeGreaterThan(0);
    expect(r.pValue).toBeLessThan(1e-6);
    expect(r.challengerMeanF1).toBeGreaterThan(r.championMeanF1);
    expect(r).toMatchObject({ resamples: 1000, seed: 42 });
  });

  it("swapping the models flips the sign of t", () => {
    const ab = championChallengerTTest({ yTrue, championPred, challengerPred, resamples: 100, seed: 5 });
    const ba = championChallengerTTest({
      yTrue,
      championPred: challengerPred,
      challengerPred: championPred,
      resamples: 100,
      seed: 5,
    });
    expect(ba.t).toBeCloseTo(-ab.t, 12);
    expect(ba.pValue).toBeCloseTo(ab.pValue, 15);
  });

  it("uses the same resampled rows for both models (= bootstrapF1 with the same seed)", () => {
    const champion = bootstrapF1(yTrue, championPred, { resamples: 30, seed: 11 });
    const challenger = bootstrapF1(yTrue, challengerPred, { resamples: 30, seed: 11 });
    const r = championChallengerTTest({ yTrue, championPred, challengerPred, resamples: 30, seed: 11 });
    expect(r.championMeanF1).toBeCloseTo(champion.reduce((s, x) => s + x, 0) / 30, 14);
    expect(r.challengerMeanF1).toBeCloseTo(challenger.reduce((s, x) => s + x, 0) / 30, 14);
  });

  it("identical models: t = 0, p = 1", () => {
    const r = championChallengerTTest({ yTrue, championPred, challengerPred: championPred, resamples: 50 });
    expect(r.t).toBe(0);
    expect(r.pValue).toBe(1);
  });

  it("throws unprocessable:ttest with fewer than 2 resamples", () => {
    expect(() => championChallengerTTest({ yTrue, championPred, challengerPred, resamples: 1 })).toThrow(
      expect.objectContaining({ code: "unprocessable:ttest" }),
    );
  });
});
