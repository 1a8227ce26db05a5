import { createRng } from "../stats/random";

/*
 * Seeded scored data sets shared by the golden tests of lib/metrics. data/golden/ranking_golden.py
 * builds the same sets from the same Mulberry32 streams (port: data/golden/mulberry32.py);
 * every operation below is IEEE-exact in both languages, so the rows are identical.
 */

/** Scores on a 1/40 grid (41 distinct values, many ties), exact 0s and 1s, ~35 % positives. */
export function tiedScores(seed: number, n: number): { y: Uint8Array; s: Float64Array } {
  const r = createRng(seed);
  const y = new Uint8Array(n);
  const s = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = r();
    const v = r();
    const w = r();
    y[i] = u < 0.35 ? 1 : 0;
    s[i] = Math.floor(Math.min(1.0, 0.6 * v + 0.4 * y[i] * w + 0.15 * w) * 40) / 40;
    if (i % 97 === 0) s[i] = 1.0;
    if (i % 89 === 3) s[i] = 0.0;
  }
  return { y, s };
}

/** Calibrated scores without ties: p = v², y ~ Bernoulli(p). */
export function continuousScores(seed: number, n: number): { y: Uint8Array; s: Float64Array } {
  const r = createRng(seed);
  const y = new Uint8Array(n);
  const s = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = r();
    const v = r();
    s[i] = v * v;
    y[i] = u < s[i] ? 1 : 0;
  }
  return { y, s };
}
