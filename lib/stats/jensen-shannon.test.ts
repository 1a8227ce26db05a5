import { describe, expect, it } from "vitest";
import { jensenShannonDistance } from "./jensen-shannon";

/*
 * Golden values from scipy 1.10.1:
 *
 *   /usr/bin/python3 -c "from scipy.spatial.distance import jensenshannon; \
 *     print(repr(jensenshannon(p, q, base=2)))"
 *
 * with each case's p and q below pasted in.
 */
const GOLDEN: Record<string, { p: number[]; q: number[]; distance: number }> = {
  twoLevels: { p: [120, 80], q: [90, 110], distance: 0.1278020141530312 },
  // a level present only in q
  emptyCell: { p: [50, 30, 0, 15, 5], q: [40, 35, 8, 12, 5], distance: 0.21589136867193023 },
  // counts against shares: only the proportions matter
  countsVsShares: { p: [50, 30, 20], q: [0.4, 0.4, 0.2], distance: 0.09584323377689273 },
  millionRows: {
    p: [400000, 300000, 200000, 100000],
    q: [401000, 299000, 199500, 100500],
    distance: 0.0013144686703461207,
  },
  strong: { p: [6000, 3000, 1000], q: [4200, 3300, 2500], distance: 0.1897004393627515 },
  nearlyDisjoint: { p: [1000, 1, 0], q: [0, 1, 1000], distance: 0.9995003746877732 },
};

describe("jensenShannonDistance", () => {
  it.each(Object.entries(GOLDEN))("%s matches scipy.spatial.distance.jensenshannon(base=2)", (_, c) => {
    expect(Math.abs(jensenShannonDistance(c.p, c.q) - c.distance) / c.distance).toBeLessThan(1e-12);
  });

  it("is symmetric", () => {
    const { p, q } = GOLDEN.emptyCell;
    expect(jensenShannonDistance(q, p)).toBeCloseTo(jensenShannonDistance(p, q), 15);
  });

  // scipy: jensenshannon([30, 20, 10], [60, 40, 20], base=2) → 0.0
  it("is 0 for the same shares", () => {
    expect(jensenShannonDistance([30, 20, 10], [60, 40, 20])).toBe(0);
    expect(jensenShannonDistance([7], [3])).toBe(0);
  });

  // scipy: jensenshannon([5, 3, 0, 0], [0, 0, 2, 7], base=2) → 1.0; [1, 0] vs [0, 1] → 1.0
  it("is 1 for disjoint supports", () => {
    expect(jensenShannonDistance([5, 3, 0, 0], [0, 0, 2, 7])).toBe(1);
    expect(jensenShannonDistance([1, 0], [0, 1])).toBe(1);
  });

  it("refuses an empty side, a length mismatch and invalid entries", () => {
    const drift = expect.objectContaining({ code: "unprocessable:drift" });
    expect(() => jensenShannonDistance([0, 0], [1, 2])).toThrow(drift);
    expect(() => jensenShannonDistance([1, 2], [])).toThrow(/aligned/);
    expect(() => jensenShannonDistance([1, -2], [1, 2])).toThrow(/invalid count/);
    expect(() => jensenShannonDistance([1, 2], [1, Infinity])).toThrow(/invalid count/);
  });
});
