import { describe, expect, it } from "vitest";
import { createRng } from "./random";

/*
 * Golden values from an independent Python port of the C reference of Mulberry32
 * (uint32 arithmetic):
 *
 *   def mulberry32(seed):
 *       state = seed & 0xFFFFFFFF
 *       def nxt():
 *           nonlocal state
 *           state = (state + 0x6D2B79F5) & 0xFFFFFFFF
 *           z = state
 *           z = ((z ^ (z >> 15)) * (z | 1)) & 0xFFFFFFFF
 *           z ^= (z + (((z ^ (z >> 7)) * (z | 61)) & 0xFFFFFFFF)) & 0xFFFFFFFF
 *           return ((z ^ (z >> 14)) & 0xFFFFFFFF) / 4294967296
 *       return nxt
 *   r = mulberry32(seed); print([r() for _ in range(5)])
 */
const GOLDEN: Record<number, number[]> = {
  42: [0.6011037519201636, 0.44829055899754167, 0.8524657934904099, 0.6697340414393693, 0.17481389874592423],
  0: [0.26642920868471265, 0.0003297457005828619, 0.2232720274478197, 0.1462021479383111, 0.46732782293111086],
  [-7]: [0.43306733411736786, 0.32539576734416187, 0.5442695003002882, 0.48018999374471605, 0.048719558166339993],
};

describe("createRng (Mulberry32)", () => {
  it.each(Object.entries(GOLDEN))("seed %s reproduces the reference stream", (seed, expected) => {
    const next = createRng(Number(seed));
    expect(expected.map(() => next())).toEqual(expected);
  });

  // Python: r = mulberry32(42); [r() for _ in range(99999)]; r()  → 0.9818388000130653
  it("keeps 32-bit state over long streams (100,000th draw)", () => {
    const next = createRng(42);
    for (let i = 0; i < 99_999; i++) next();
    expect(next()).toBe(0.9818388000130653);
  });

  it("takes the seed modulo 2^32", () => {
    const a = createRng(42);
    const b = createRng(42 + 2 ** 32);
    for (let i = 0; i < 10; i++) expect(b()).toBe(a());
  });

  it("stays in [0, 1)", () => {
    const next = createRng(7);
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < 10_000; i++) {
      const u = next();
      lo = Math.min(lo, u);
      hi = Math.max(hi, u);
    }
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThan(1);
  });

  it("throws unprocessable:random for a non-integer seed", () => {
    expect(() => createRng(1.5)).toThrow(expect.objectContaining({ code: "unprocessable:random" }));
    expect(() => createRng(Number.NaN)).toThrow(expect.objectContaining({ code: "unprocessable:random" }));
  });
});
