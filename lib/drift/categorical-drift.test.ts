import { describe, expect, it } from "vitest";
import { MISSING_LEVEL } from "../schema/types";
import {
  CATEGORICAL_DRIFT_METHODS,
  categoricalFeatureDrift,
  levelCountsOf,
  MAX_LEVEL_ROWS,
  OTHER_LEVELS_ROW,
} from "./categorical-drift";

// A customer segment: 600 training rows; 600 new rows with a shift towards "sme" and a new level.
const reference = new Map([
  ["retail", 300],
  ["corporate", 150],
  ["sme", 100],
  ["public", 40],
  [MISSING_LEVEL, 10],
]);
const current = new Map([
  ["sme", 140],
  ["retail", 220],
  ["startup", 24],
  ["corporate", 160],
  ["public", 44],
  [MISSING_LEVEL, 12],
]);
const stable = new Map([
  ["retail", 298],
  ["corporate", 152],
  ["sme", 99],
  ["public", 41],
  [MISSING_LEVEL, 10],
]);

/*
 * Golden values from scipy 1.10.1 / numpy 1.24.2 on the aligned counts (reference order, the
 * new level last; the PSI line is the numpy definition quoted in lib/stats/categorical-psi.test.ts):
 *
 *   /usr/bin/python3 -c "import numpy as np; from scipy import stats; \
 *     from scipy.spatial.distance import jensenshannon; \
 *     ref = np.array([300, 150, 100, 40, 10, 0]); cur = np.array([220, 160, 140, 44, 12, 24]); \
 *     s = stats.chi2_contingency(np.array([ref, cur]), correction=False); \
 *     r = ref / ref.sum(); c = cur / cur.sum(); rr = np.where(r == 0, 1e-4, r); cc = np.where(c == 0, 1e-4, c); \
 *     print(repr(s[0]), s[2], repr(s[1]), repr(jensenshannon(ref, cur, base=2)), \
 *       repr(np.sum((cc - rr) * np.log(cc / rr))))"
 *   drifted: 43.669233991814636 5 2.703389975809237e-08 0.17852754158226639 0.30516369005183613
 *
 * and the same with ref = [300, 150, 100, 40, 10], cur = [298, 152, 99, 41, 10]:
 *   stable:  0.037304800963771506 4 0.99982819205434 0.00473550824480041 0.000124352297075846
 */
const GOLDEN = {
  drifted: { statistic: 43.669233991814636, df: 5, pValue: 2.703389975809237e-8, js: 0.17852754158226639, psi: 0.30516369005183613 },
  stable: { statistic: 0.037304800963771506, df: 4, pValue: 0.99982819205434, js: 0.00473550824480041, psi: 0.000124352297075846 },
};

function expectRel(actual: number, expected: number, tol = 1e-12): void {
  expect(Math.abs(actual - expected) / Math.abs(expected)).toBeLessThan(tol);
}

describe("categoricalFeatureDrift", () => {
  it("flags a shifted segment with a new level on all four methods, matching scipy/numpy", () => {
    const r = categoricalFeatureDrift(reference, current);
    const g = GOLDEN.drifted;
    expect(r.chi2.df).toBe(g.df);
    expectRel(r.chi2.statistic, g.statistic);
    expectRel(r.chi2.pValue, g.pValue);
    expect(r.chi2).toMatchObject({ threshold: 0.05, drifted: true });
    expectRel(r.js.distance, g.js);
    expect(r.js).toMatchObject({ threshold: 0.1, drifted: true });
    expectRel(r.psi.score, g.psi);
    expect(r.psi).toMatchObject({ threshold: 0.2, drifted: true });
    expect(r.unseen).toEqual({ share: 0.04, count: 24, levels: ["startup"], threshold: 0.01, drifted: true });
    expect(r.referenceSize).toBe(600);
    expect(r.currentSize).toBe(600);
  });

  it("lists the union of levels by reference count, then text, with both shares", () => {
    const r = categoricalFeatureDrift(reference, current);
    expect(r.levels.map((l) => [l.level, l.referenceCount, l.currentCount])).toEqual([
      ["retail", 300, 220],
      ["corporate", 150, 160],
      ["sme", 100, 140],
      ["public", 40, 44],
      [MISSING_LEVEL, 10, 12],
      ["startup", 0, 24],
    ]);
    expect(r.levels[0].referenceShare).toBe(0.5);
    expect(r.levels[5]).toMatchObject({ referenceShare: 0, currentShare: 0.04 });
  });

  it("does not flag a stable segment", () => {
    const r = categoricalFeatureDrift(reference, stable);
    const g = GOLDEN.stable;
    expect(r.chi2.df).toBe(g.df);
    expectRel(r.chi2.statistic, g.statistic);
    expectRel(r.chi2.pValue, g.pValue);
    expectRel(r.js.distance, g.js);
    expectRel(r.psi.score, g.psi);
    expect([r.chi2.drifted, r.js.drifted, r.psi.drifted, r.unseen.drifted]).toEqual([false, false, false, false]);
    expect(r.unseen).toMatchObject({ share: 0, count: 0, levels: [] });
  });

  it("honours threshold overrides, with strict comparisons", () => {
    const r = categoricalFeatureDrift(reference, current, {
      chi2PValueThreshold: 1e-9,
      jsThreshold: 0.2,
      psiThreshold: 0.5,
      unseenThreshold: 0.04,
    });
    expect([r.chi2.drifted, r.js.drifted, r.psi.drifted, r.unseen.drifted]).toEqual([false, false, false, false]);
    expect(r.unseen.threshold).toBe(0.04);
  });

  it("does not flag unseen levels at exactly the threshold share", () => {
    const r = categoricalFeatureDrift(new Map([["a", 50], ["b", 50]]), new Map([["a", 49], ["b", 50], ["c", 1]]));
    expect(r.unseen).toMatchObject({ share: 0.01, count: 1, levels: ["c"], drifted: false });
  });

  it("ignores levels with count 0 on both sides; a level with 0 reference rows is unseen", () => {
    const r = categoricalFeatureDrift(new Map([["a", 5], ["b", 0], ["z", 0]]), new Map([["a", 3], ["b", 2], ["y", 0]]));
    expect(r.levels.map((l) => l.level)).toEqual(["a", "b"]);
    expect(r.unseen).toMatchObject({ count: 2, levels: ["b"] });
  });

  // scipy: chi2_contingency([[10], [5]]) → 0.0, dof 0, pvalue 1.0; jensenshannon([10], [5], base=2) → 0.0
  it("reports no drift when both sides hold one and the same level", () => {
    const r = categoricalFeatureDrift(new Map([["x", 10]]), new Map([["x", 5]]));
    expect(r.chi2).toMatchObject({ statistic: 0, df: 0, pValue: 1, drifted: false });
    expect(r.js).toMatchObject({ distance: 0, drifted: false });
    expect(r.psi).toMatchObject({ score: 0, drifted: false });
  });

  it("refuses an empty side, a negative count and a bad threshold", () => {
    const drift = expect.objectContaining({ code: "unprocessable:drift" });
    expect(() => categoricalFeatureDrift(reference, new Map())).toThrow(drift);
    expect(() => categoricalFeatureDrift(reference, new Map())).toThrow(/non-empty current/);
    expect(() => categoricalFeatureDrift(new Map([["a", 0]]), current)).toThrow(/non-empty reference/);
    expect(() => categoricalFeatureDrift(reference, new Map([["a", -1], ["b", 3]]))).toThrow(drift);
    const config = expect.objectContaining({ code: "bad_request:config" });
    expect(() => categoricalFeatureDrift(reference, current, { jsThreshold: -0.1 })).toThrow(config);
    expect(() => categoricalFeatureDrift(reference, current, { chi2PValueThreshold: NaN })).toThrow(config);
  });
});

/*
 * 80 reference levels L00…L79 with 100 − j rows; current: the same, plus 5 rows on every odd j,
 * plus 30 new levels N00…N29 with 30 − k rows.
 *
 *   /usr/bin/python3 -c "import numpy as np; from scipy import stats; \
 *     from scipy.spatial.distance import jensenshannon; \
 *     ref = np.array([100 - j for j in range(80)] + [0] * 30, float); \
 *     cur = np.array([100 - j + (5 if j % 2 else 0) for j in range(80)] + [30 - k for k in range(30)], float); \
 *     s = stats.chi2_contingency(np.array([ref, cur]), correction=False); \
 *     r = ref / ref.sum(); c = cur / cur.sum(); rr = np.where(r == 0, 1e-4, r); cc = np.where(c == 0, 1e-4, c); \
 *     print(ref.sum(), cur.sum(), repr(s[0]), s[2], repr(s[1]), repr(jensenshannon(ref, cur, base=2)), \
 *       repr(np.sum((cc - rr) * np.log(cc / rr))), ref[49:].sum(), cur[49:].sum())"
 *   4840.0 5505.0 433.518902764195 109 2.9074914537744543e-40 0.20966090330278966 0.2972465669432012 1116.0 1661.0
 */
describe("categoricalFeatureDrift with many levels", () => {
  const name = (prefix: string, k: number) => `${prefix}${String(k).padStart(2, "0")}`;
  const ref = new Map(Array.from({ length: 80 }, (_, j) => [name("L", j), 100 - j] as const));
  const cur = new Map([
    ...Array.from({ length: 80 }, (_, j) => [name("L", j), 100 - j + (j % 2 ? 5 : 0)] as const),
    ...Array.from({ length: 30 }, (_, k) => [name("N", k), 30 - k] as const),
  ]);
  const r = categoricalFeatureDrift(ref, cur);

  it("matches scipy/numpy", () => {
    expect(r.referenceSize).toBe(4840);
    expect(r.currentSize).toBe(5505);
    expect(r.chi2.df).toBe(109);
    expectRel(r.chi2.statistic, 433.518902764195);
    expectRel(r.chi2.pValue, 2.9074914537744543e-40, 1e-10);
    expectRel(r.js.distance, 0.20966090330278966);
    expectRel(r.psi.score, 0.2972465669432012);
    expect(r.unseen.count).toBe(465);
    expect(r.unseen.share).toBe(465 / 5505);
  });

  it("keeps at most 50 level rows, pooling the rest into one", () => {
    expect(r.levels).toHaveLength(MAX_LEVEL_ROWS);
    expect(r.levels[48].level).toBe("L48");
    expect(r.levels[49]).toEqual({
      level: OTHER_LEVELS_ROW,
      referenceCount: 1116,
      currentCount: 1661,
      referenceShare: 1116 / 4840,
      currentShare: 1661 / 5505,
    });
  });

  it("names at most 20 unseen levels, the most frequent first", () => {
    expect(r.unseen.levels).toEqual(Array.from({ length: 20 }, (_, k) => name("N", k)));
  });
});

describe("CATEGORICAL_DRIFT_METHODS", () => {
  it("describes the four methods with their default thresholds and directions", () => {
    expect(Object.keys(CATEGORICAL_DRIFT_METHODS)).toEqual(["chi2", "js", "psi", "unseen"]);
    const summary = Object.values(CATEGORICAL_DRIFT_METHODS).map((m) => [m.id, m.defaultThreshold, m.driftWhen]);
    expect(summary).toEqual([
      ["chi2", 0.05, "below"],
      ["js", 0.1, "above"],
      ["psi", 0.2, "above"],
      ["unseen", 0.01, "above"],
    ]);
  });
});

describe("levelCountsOf", () => {
  it("counts dictionary codes, leaving out levels that do not occur", () => {
    const counts = levelCountsOf(new Uint32Array([0, 2, 2, 1, 2]), ["a", "b", "c", "d"]);
    expect([...counts]).toEqual([
      ["a", 1],
      ["b", 1],
      ["c", 3],
    ]);
  });

  it("counts only the first n codes", () => {
    expect([...levelCountsOf([1, 1, 0, 0, 0], ["x", "y"], 3)]).toEqual([
      ["x", 1],
      ["y", 2],
    ]);
    expect(levelCountsOf(new Uint32Array(4), ["x"], 0).size).toBe(0);
  });

  it("adds up dictionary entries with the same text", () => {
    expect([...levelCountsOf([0, 1, 2], ["x", "y", "x"])]).toEqual([
      ["x", 2],
      ["y", 1],
    ]);
  });

  it("feeds categoricalFeatureDrift", () => {
    const levels = ["retail", "sme", MISSING_LEVEL];
    const r = categoricalFeatureDrift(levelCountsOf([0, 0, 1, 2], levels), levelCountsOf([0, 1, 1, 1], levels));
    expect(r.levels.map((l) => [l.level, l.referenceCount, l.currentCount])).toEqual([
      ["retail", 2, 1],
      [MISSING_LEVEL, 1, 0],
      ["sme", 1, 3],
    ]);
  });

  it("refuses an out-of-range code or n", () => {
    const drift = expect.objectContaining({ code: "unprocessable:drift" });
    expect(() => levelCountsOf([0, 3], ["a", "b"])).toThrow(drift);
    expect(() => levelCountsOf([0, 1.5], ["a", "b"])).toThrow(/not an index/);
    expect(() => levelCountsOf([0, 1], ["a", "b"], 3)).toThrow(drift);
    expect(() => levelCountsOf([0, 1], ["a", "b"], -1)).toThrow(drift);
  });
});
