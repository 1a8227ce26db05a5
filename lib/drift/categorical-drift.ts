import { AppError } from "../errors";
import { categoricalPsi } from "../stats/categorical-psi";
import { chiSquareHomogeneity, type ChiSquareHomogeneityResult } from "../stats/chi-square-homogeneity";
import { requireCountVectors } from "../stats/count-vectors";
import { jensenShannonDistance } from "../stats/jensen-shannon";
import { threshold } from "./feature-drift";

/*
 * Per-feature data drift of a categorical feature (DESIGN.md "Checks"), the categorical twin of
 * feature-drift.ts: reference = the deployed model's training data, current = the newly
 * ingested rows, each reduced to counts per level. A missing cell is simply the level
 * MISSING_LEVEL ("(missing)", lib/schema/types.ts), so a rise in missing values shows up as
 * drift like any other level. Four methods, each a descriptor in CATEGORICAL_DRIFT_METHODS
 * (Evidently-style: id, display name, default threshold, direction).
 */

/** Level text → number of rows with that level. */
export type LevelCounts = ReadonlyMap<string, number>;

export type CategoricalDriftMethodId = "chi2" | "js" | "psi" | "unseen";

export interface CategoricalDriftMethod {
  id: CategoricalDriftMethodId;
  displayName: string;
  /** Which number is compared with the threshold. */
  score: "pValue" | "distance" | "psi" | "unseenShare";
  defaultThreshold: number;
  /** "below": drifted when score < threshold; "above": drifted when score > threshold. */
  driftWhen: "below" | "above";
  description: string;
}

export const CATEGORICAL_DRIFT_METHODS: Record<CategoricalDriftMethodId, CategoricalDriftMethod> = {
  chi2: {
    id: "chi2",
    displayName: "Chi-square test of homogeneity",
    score: "pValue",
    defaultThreshold: 0.05,
    driftWhen: "below",
    description:
      "Pearson's chi-square test on the 2 × levels table of counts, as scipy.stats.chi2_contingency(correction=False); " +
      "drifted when the p-value < threshold. With many rows even a negligible shift is significant, so read it with the distance.",
  },
  js: {
    id: "js",
    displayName: "Jensen–Shannon distance",
    score: "distance",
    defaultThreshold: 0.1,
    driftWhen: "above",
    description:
      "Jensen–Shannon distance (base 2, in [0, 1]) between the level shares, as scipy.spatial.distance.jensenshannon; " +
      "drifted when the distance > threshold (0.1 is Evidently's default). Does not grow with the sample size.",
  },
  psi: {
    id: "psi",
    displayName: "Population Stability Index",
    score: "psi",
    defaultThreshold: 0.2,
    driftWhen: "above",
    description:
      "PSI over the levels (empty levels counted as share 0.0001); drifted when PSI > threshold " +
      "(> 0.2 is the usual 'significant shift').",
  },
  unseen: {
    id: "unseen",
    displayName: "Share of unseen levels",
    score: "unseenShare",
    defaultThreshold: 0.01,
    driftWhen: "above",
    description:
      "Share of current rows whose level never occurs in the reference (the training data): the model learned no " +
      "coefficient for those levels, so their predictions rest on no data. Drifted when the share > threshold; " +
      "1% flags a new level that is already a visible part of the traffic, while a typo-level handful of rows is not.",
  },
};

export interface CategoricalDriftOptions {
  /** chi2: drifted when pValue < this (default 0.05). */
  chi2PValueThreshold?: number;
  /** js: drifted when distance > this (default 0.1). */
  jsThreshold?: number;
  /** psi: drifted when score > this (default 0.2). */
  psiThreshold?: number;
  /** unseen: drifted when share > this (default 0.01). */
  unseenThreshold?: number;
}

export interface CategoricalLevelRow {
  level: string;
  referenceCount: number;
  currentCount: number;
  referenceShare: number;
  currentShare: number;
}

export interface CategoricalDriftResult {
  chi2: ChiSquareHomogeneityResult & { threshold: number; drifted: boolean };
  js: { distance: number; threshold: number; drifted: boolean };
  psi: { score: number; threshold: number; drifted: boolean };
  unseen: {
    /** Share of current rows in levels the reference never had. */
    share: number;
    /** Number of those rows. */
    count: number;
    /** Those levels, most frequent in current first (ties by text), at most MAX_UNSEEN_LEVELS_LISTED. */
    levels: string[];
    threshold: number;
    drifted: boolean;
  };
  /** Union of the levels by reference count desc then text, at most MAX_LEVEL_ROWS rows (see levelRows). */
  levels: CategoricalLevelRow[];
  referenceSize: number;
  currentSize: number;
}

/** Most unseen levels listed by name in a result. */
const MAX_UNSEEN_LEVELS_LISTED = 20;
/** Most rows of a result's level table, the last one pooling the rest when there are more levels. */
export const MAX_LEVEL_ROWS = 50;
/** The row that pools the levels beyond the first MAX_LEVEL_ROWS − 1. */
export const OTHER_LEVELS_ROW = "(other levels)";

/** Code-unit order: deterministic and locale-free. */
function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The union of both sides' levels that occur at least once, by reference count desc then text. */
function unionLevels(reference: LevelCounts, current: LevelCounts): string[] {
  const names = new Set<string>();
  for (const side of [reference, current]) {
    for (const [level, count] of side) if (count !== 0) names.add(level);
  }
  return [...names].sort((a, b) => (reference.get(b) ?? 0) - (reference.get(a) ?? 0) || byText(a, b));
}

/**
 * The level table: every level if there are at most MAX_LEVEL_ROWS, else the first
 * MAX_LEVEL_ROWS − 1 and one OTHER_LEVELS_ROW row summing the rest.
 */
function levelRows(
  levels: readonly string[],
  ref: readonly number[],
  cur: readonly number[],
  referenceSize: number,
  currentSize: number,
): CategoricalLevelRow[] {
  const row = (level: string, referenceCount: number, currentCount: number): CategoricalLevelRow => ({
    level,
    referenceCount,
    currentCount,
    referenceShare: referenceCount / referenceSize,
    currentShare: currentCount / currentSize,
  });
  const shown = levels.length <= MAX_LEVEL_ROWS ? levels.length : MAX_LEVEL_ROWS - 1;
  const rows = levels.slice(0, shown).map((level, j) => row(level, ref[j], cur[j]));
  if (shown < levels.length) {
    const rest = (side: readonly number[]) => side.slice(shown).reduce((s, v) => s + v, 0);
    rows.push(row(OTHER_LEVELS_ROW, rest(ref), rest(cur)));
  }
  return rows;
}

function unseenLevels(levels: readonly string[], ref: readonly number[], cur: readonly number[]) {
  const unseen = levels.flatMap((level, j) => (ref[j] === 0 ? [{ level, count: cur[j] }] : []));
  unseen.sort((a, b) => b.count - a.count || byText(a.level, b.level));
  return {
    count: unseen.reduce((s, u) => s + u.count, 0),
    levels: unseen.slice(0, MAX_UNSEEN_LEVELS_LISTED).map((u) => u.level),
  };
}

/**
 * Data drift of one categorical feature between the `reference` and `current` level counts:
 * - chi2: {@link chiSquareHomogeneity} on the aligned counts, drifted when pValue < chi2PValueThreshold
 *   (default 0.05, strict);
 * - js: {@link jensenShannonDistance} (base 2), drifted when distance > jsThreshold (default 0.1, strict);
 * - psi: {@link categoricalPsi} over the levels, drifted when score > psiThreshold (default 0.2, strict);
 * - unseen: the share of current rows in levels with no reference row, drifted when
 *   share > unseenThreshold (default 0.01, strict).
 * Levels whose count is 0 on both sides are ignored; a level with count 0 in the reference
 * counts as unseen. Level text is compared exactly (no trimming or case folding).
 *
 * Cost: O(k log k) for k levels.
 *
 * @throws AppError `unprocessable:drift` if either side has no rows or a count is negative or
 *   not finite; `bad_request:config` for a negative or non-finite threshold.
 * @example
 * // With the counts of categorical-drift.test.ts:
 * categoricalFeatureDrift(reference, current).unseen;
 * // => { share: 0.04, count: 24, levels: ["startup"], threshold: 0.01, drifted: true }
 */
export function categoricalFeatureDrift(
  reference: LevelCounts,
  current: LevelCounts,
  opts: CategoricalDriftOptions = {},
): CategoricalDriftResult {
  const m = CATEGORICAL_DRIFT_METHODS;
  const chi2Threshold = threshold(opts.chi2PValueThreshold, m.chi2);
  const jsThreshold = threshold(opts.jsThreshold, m.js);
  const psiThreshold = threshold(opts.psiThreshold, m.psi);
  const unseenThreshold = threshold(opts.unseenThreshold, m.unseen);

  const levels = unionLevels(reference, current);
  const ref = levels.map((level) => reference.get(level) ?? 0);
  const cur = levels.map((level) => current.get(level) ?? 0);
  const { referenceTotal, currentTotal } = requireCountVectors(ref, cur, "Categorical drift");

  const chi2 = chiSquareHomogeneity(ref, cur);
  const distance = jensenShannonDistance(ref, cur);
  const psi = categoricalPsi(ref, cur).score;
  const unseen = unseenLevels(levels, ref, cur);
  const unseenShare = unseen.count / currentTotal;
  return {
    chi2: { ...chi2, threshold: chi2Threshold, drifted: chi2.pValue < chi2Threshold },
    js: { distance, threshold: jsThreshold, drifted: distance > jsThreshold },
    psi: { score: psi, threshold: psiThreshold, drifted: psi > psiThreshold },
    unseen: { share: unseenShare, ...unseen, threshold: unseenThreshold, drifted: unseenShare > unseenThreshold },
    levels: levelRows(levels, ref, cur, referenceTotal, currentTotal),
    referenceSize: referenceTotal,
    currentSize: currentTotal,
  };
}

/**
 * Counts of a categorical column held as dictionary codes: `codes[i]` indexes `levels`, and
 * only the first `n` codes are counted (a column buffer may have spare capacity). Levels that
 * do not occur are left out of the map; two dictionary entries with the same text add up.
 *
 * Cost: O(n + levels).
 *
 * @throws AppError `unprocessable:drift` if n is not a whole number in [0, codes.length] or a
 *   code does not index `levels`.
 * @example
 * levelCountsOf(new Uint32Array([0, 2, 2, 1, 2]), ["a", "b", "c"]);
 * // => Map { "a" => 1, "b" => 1, "c" => 3 }
 */
export function levelCountsOf(
  codes: Uint32Array | readonly number[],
  levels: readonly string[],
  n: number = codes.length,
): Map<string, number> {
  if (!Number.isInteger(n) || n < 0 || n > codes.length) {
    throw new AppError("unprocessable:drift", `Level counts need 0 <= n <= ${codes.length} codes, got n = ${n}.`);
  }
  const counts = new Float64Array(levels.length);
  for (let i = 0; i < n; i++) {
    const code = codes[i];
    if (!(Number.isInteger(code) && code >= 0 && code < levels.length)) {
      throw new AppError("unprocessable:drift", `Code ${code} at row ${i} is not an index into the ${levels.length} levels.`);
    }
    counts[code]++;
  }
  const out = new Map<string, number>();
  levels.forEach((level, k) => {
    if (counts[k] > 0) out.set(level, (out.get(level) ?? 0) + counts[k]);
  });
  return out;
}
