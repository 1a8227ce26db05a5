import { AppError } from "../errors";

/**
 * Seeded pseudo-random generator: [Mulberry32](https://gist.github.com/tommyettinger/46a874533244883189143505d203312c)
 * (Tommy Ettinger, public domain), 32-bit state, period 2^32. Returns a function that
 * yields floats in [0, 1) with 32 random bits each (k / 2^32). Not cryptographic; meant
 * for reproducible resampling — the same seed always gives the same sequence, on any
 * platform.
 *
 * The seed is taken modulo 2^32 (ToInt32), so 42 and 42 + 2^32 give the same stream.
 *
 * Cost: O(1) per draw.
 *
 * @throws AppError `unprocessable:random` if the seed is not a finite integer.
 * @example
 * const next = createRng(42);
 * next(); // => 0.6011037519201636
 */
export function createRng(seed: number): () => number {
  if (!Number.isInteger(seed)) {
    throw new AppError("unprocessable:random", `A random seed must be a finite integer, got ${seed}.`);
  }
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
