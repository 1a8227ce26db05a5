import { AppError } from "../errors";
import { normalSf } from "./normal";

/** 2^−1000, an exact power of two: rescaling by it loses no precision. */
const SCALE = 2 ** -1000;
const LN_SCALE = -1000 * Math.LN2;

export function chiSquareSf(x: number, df: number): number {
  if (!Number.isInteger(df) || df < 1) throw new AppError("unprocessable:stats", `Chi-square needs a positive whole df, got ${df}.`);
  if (Number.isNaN(x)) throw new AppError("unprocessable:stats", "Chi-square distribution evaluated at NaN.");
  if (x <= 0) return 1;
  if (x === Infinity) return 0;
  const h = x / 2;
  const k = Math.floor(df / 2);
  const odd = df % 2 === 1;
  // even: t_j = h^j / j!, j < k;  odd: t_j = h^(j+½) / Γ(j+3/2), j < k; t_j = t_(j−1) · h / (j + ½·odd)
  let term = odd ? 2 * Math.sqrt(h / Math.PI) : 1;
  let sum = 0;
  let rescaled = 0;
  for (let j = 0; j < k; j++) {
    if (j > 0) term *= h / (odd ? j + 0.5 : j);
    sum += term;
    // e^h·Q can exceed the largest double (h > 709); carry the excess as a power of two
    if (sum > 1e290) {
      sum *= SCALE;
      term *= SCALE;
      rescaled++;
    }
  }
  const tail = rescaled === 0 && h < 700 ? Math.exp(-h) * sum : sum === 0 ? 0 : Math.exp(Math.log(sum) - h - rescaled * LN_SCALE);
  return odd ? 2 * normalSf(Math.sqrt(x)) + tail : tail;
}
