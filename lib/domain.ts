/**
 * Limits every schema shares (the columns themselves come from the stored schema, lib/schema).
 */

/**
 * The largest feature value accepted (in files and in prediction requests), in size. Larger finite
 * numbers (1e308 is a valid CSV number) would overflow the squares and sums that means, SDs,
 * the Hessian and the drift statistics are made of, and give null/NaN statistics and failed
 * trainings ever after; a row holding one is rejected like a non-number. 10^15 leaves room for
 * squares (10^30) summed over any number of rows, and every integer up to it is exact in a double.
 */
export const MAX_FEATURE_VALUE = 1e15;

/** The longest id accepted: ids are short codes; a longer cell is a broken export, not a client. */
export const MAX_ID_LENGTH = 200;
