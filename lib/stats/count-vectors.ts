import { AppError } from "../errors";

/**
 * Checks two aligned count vectors (one entry per category level, the same level at the same
 * index on both sides) and returns their totals. Counts need not be whole numbers (shares are
 * accepted too), but each must be finite and >= 0, and each side must have a positive total:
 * an empty sample has no distribution to compare. `test` names the statistic in the message.
 *
 * @throws AppError `unprocessable:drift` on a length mismatch, a negative or non-finite
 *   count, or a side whose counts sum to 0.
 */
export function requireCountVectors(
  reference: readonly number[],
  current: readonly number[],
  test: string,
): { referenceTotal: number; currentTotal: number } {
  if (reference.length !== current.length) {
    throw new AppError(
      "unprocessable:drift",
      `${test} needs aligned count vectors, got ${reference.length} reference and ${current.length} current levels.`,
    );
  }
  return { referenceTotal: total(reference, "reference", test), currentTotal: total(current, "current", test) };
}

function total(counts: readonly number[], name: string, test: string): number {
  let sum = 0;
  for (const c of counts) {
    if (!Number.isFinite(c) || c < 0) {
      throw new AppError("unprocessable:drift", `The ${name} counts contain an invalid count (${c}); counts are finite and >= 0.`);
    }
    sum += c;
  }
  if (!(sum > 0)) throw new AppError("unprocessable:drift", `${test} needs a non-empty ${name} sample (its counts sum to 0).`);
  return sum;
}
