import { describe, expect, it } from "vitest";
import { categoricalPsi } from "./categorical-psi";

/*
 * Golden values from numpy 1.24.2, the definition of categorical-psi.ts in one line:
 *
 *   /usr/bin/python3 -c "import numpy as np; ref = np.array(REF, float); cur = np.array(CUR, float); \
 *     r = ref / ref.sum(); c = cur / cur.sum(); rr = np.where(r == 0, 1e-4, r); cc = np.where(c == 0, 1e-4, c); \
 *     print(repr(np.sum((cc - rr) * np.log(cc / rr))))"
 *
 * with each case's reference (REF) and current (CUR) below pasted in.
 */
const GOLDEN: Record<string, { reference: number[]; current: number[]; score: number }> = {
  swap: { reference: [60, 40], current: [40, 60], score: 0.1621860432432657 },
  // a level new in current: its term is (0.08 − 0.0001)·ln(0.08 / 0.0001)
  newLevel: { reference: [50, 30, 0, 15, 5], current: [40, 35, 8, 12, 5], score: 0.5708166727028775 },
  // a level gone from current
  goneLevel: { reference: [50, 30, 20], current: [60, 40, 0], score: 1.566420764587036 },
  // a level empty on both sides adds 0
  bothEmpty: { reference: [50, 30, 0, 20], current: [40, 35, 0, 25], score: 0.041179066688494366 },
  millionRows: {
    reference: [400000, 300000, 200000, 100000],
    current: [401000, 299000, 199500, 100500],
    score: 9.581117328680475e-6,
  },
  strong: { reference: [6000, 3000, 1000], current: [4200, 3300, 2500], score: 0.20450440508422485 },
};

describe("categoricalPsi", () => {
  it.each(Object.entries(GOLDEN))("%s matches the numpy definition", (_, c) => {
    const { score } = categoricalPsi(c.reference, c.current);
    expect(Math.abs(score - c.score) / c.score).toBeLessThan(1e-12);
  });

  it("returns the raw shares per level, in the input's order", () => {
    const { levels } = categoricalPsi([50, 30, 0, 20], [40, 35, 25, 0]);
    expect(levels).toEqual([
      { referenceShare: 0.5, currentShare: 0.4 },
      { referenceShare: 0.3, currentShare: 0.35 },
      { referenceShare: 0, currentShare: 0.25 },
      { referenceShare: 0.2, currentShare: 0 },
    ]);
  });

  // numpy: 0.0 for [30, 20, 10] vs [60, 40, 20]
  it("is 0 for the same shares", () => {
    expect(categoricalPsi([30, 20, 10], [60, 40, 20]).score).toBe(0);
  });

  it("refuses an empty side, a length mismatch and invalid counts", () => {
    const drift = expect.objectContaining({ code: "unprocessable:drift" });
    expect(() => categoricalPsi([], [])).toThrow(drift);
    expect(() => categoricalPsi([1, 2], [0, 0])).toThrow(/non-empty current/);
    expect(() => categoricalPsi([1, 2], [1, 2, 3])).toThrow(/aligned/);
    expect(() => categoricalPsi([1, NaN], [1, 2])).toThrow(/invalid count/);
  });
});
