import type { CategoricalFeatureDrift, DriftCheck, FeatureDrift, NumericFeatureDrift } from "@/lib/queries/types";

/*
 * The Drift page's per-feature data, shaped from one drift check: the bars of one statistic per
 * feature, a numeric feature's reference-vs-current histogram, and a categorical feature's
 * level shares. Every feature comes from the check itself (the schema's features, in its order),
 * each read by its type: numeric (KS, PSI over deciles) or categorical (chi-square, Jensen–Shannon,
 * PSI over levels, unseen levels).
 */

/** A categorical feature's outcome; checks stored before categorical features existed carry no `type` and are numeric. */
export function isCategorical(f: FeatureDrift): f is CategoricalFeatureDrift {
  return f.type === "categorical";
}

/** Whether any of the feature's methods called it drifted. */
export function featureDrifted(f: FeatureDrift): boolean {
  if (isCategorical(f)) return f.chi2.drifted || f.js.drifted || f.psi.drifted || f.unseen.drifted;
  return f.ks.drifted || f.psi.drifted;
}

/** The check's features split by type, each in the check's (schema) order. */
export function featuresByType(check: Pick<DriftCheck, "features">): { numeric: [string, NumericFeatureDrift][]; categorical: [string, CategoricalFeatureDrift][] } {
  const numeric: [string, NumericFeatureDrift][] = [];
  const categorical: [string, CategoricalFeatureDrift][] = [];
  for (const [name, f] of Object.entries(check.features)) {
    if (isCategorical(f)) categorical.push([name, f]);
    else numeric.push([name, f]);
  }
  return { numeric, categorical };
}

export type BarMetric = "ks" | "psi" | "js";

export interface FeatureBar {
  feature: string;
  /** KS statistic D, PSI, or Jensen–Shannon distance */
  value: number;
  drifted: boolean;
}

/**
 * One bar per feature the metric applies to: KS for numeric features, the Jensen–Shannon
 * distance for categorical ones, PSI for both (deciles for numeric, levels for categorical),
 * with the threshold the run used (null for KS, whose rule is on its p-value).
 */
export function shapeFeatureBars(check: Pick<DriftCheck, "features">, metric: BarMetric): { bars: FeatureBar[]; threshold: number | null } {
  const bars: FeatureBar[] = [];
  let threshold: number | null = null;
  for (const [feature, f] of Object.entries(check.features)) {
    if (metric === "psi") {
      bars.push({ feature, value: f.psi.score, drifted: f.psi.drifted });
      threshold ??= f.psi.threshold;
    } else if (metric === "js" && isCategorical(f)) {
      bars.push({ feature, value: f.js.distance, drifted: f.js.drifted });
      threshold ??= f.js.threshold;
    } else if (metric === "ks" && !isCategorical(f)) {
      bars.push({ feature, value: f.ks.statistic, drifted: f.ks.drifted });
    }
  }
  return { bars, threshold };
}

export interface HistogramBin {
  label: string;
  from: number;
  to: number;
  /** share of the reference rows in this bin, % */
  reference: number;
  /** share of the current rows in this bin, % */
  current: number;
}

function compact(x: number): string {
  const a = Math.abs(x);
  if (a >= 1e6) return `${(x / 1e6).toFixed(1)}M`;
  if (a >= 1e3) return `${(x / 1e3).toFixed(1)}k`;
  return a >= 10 ? x.toFixed(0) : x.toFixed(1);
}

/**
 * Reference-vs-current histogram of a numeric feature: the PSI bins the API sends (`psi.bins`,
 * the reference's deciles, open-ended first and last: a null edge is −∞ or +∞) with each
 * sample's share, in % of that sample. Null for a check stored before the bins were recorded.
 */
export function shapeHistogram(f: NumericFeatureDrift): HistogramBin[] | null {
  const bins = f.psi.bins;
  if (!bins || bins.length === 0) return null;
  const rs = bins.reduce((a, b) => a + b.referenceShare, 0) || 1;
  const cs = bins.reduce((a, b) => a + b.currentShare, 0) || 1;
  return bins.map((b, k) => {
    const { lower: from, upper: to } = b;
    const label = from == null && to != null ? `< ${compact(to)}` : to == null && from != null ? `≥ ${compact(from)}` : from != null && to != null ? `${compact(from)}–${compact(to)}` : `bin ${k + 1}`;
    return { label, from: from ?? -Infinity, to: to ?? Infinity, reference: (100 * b.referenceShare) / rs, current: (100 * b.currentShare) / cs };
  });
}

export interface LevelShareBar {
  /** the level, with " (unseen)" when the reference never had it */
  label: string;
  level: string;
  /** share of the reference rows in this level, % */
  reference: number;
  /** share of the current rows in this level, % */
  current: number;
  unseen: boolean;
}

/** The row the API (and this shaping) sums the least frequent levels into. */
export const OTHER_LEVELS = "(other levels)";

/**
 * A categorical feature's level shares, reference against current, in %: the most frequent
 * reference levels first, then the levels only the current rows have (marked unseen, most
 * frequent first, at most `maxUnseen` of them), the rest summed into "(other levels)" so that at
 * most `maxBars` bars are drawn.
 */
export function shapeLevelShares(f: Pick<CategoricalFeatureDrift, "levels" | "unseen">, maxBars = 12, maxUnseen = 4): LevelShareBar[] {
  const unseenSet = new Set(f.unseen.levels);
  const bar = (l: CategoricalFeatureDrift["levels"][number]): LevelShareBar => {
    const unseen = unseenSet.has(l.level) || (l.referenceCount === 0 && l.currentCount > 0 && l.level !== OTHER_LEVELS);
    return { label: unseen ? `${l.level} (unseen)` : l.level, level: l.level, reference: 100 * l.referenceShare, current: 100 * l.currentShare, unseen };
  };
  const all = f.levels.map(bar);
  const other = all.filter((b) => b.level === OTHER_LEVELS);
  const seen = all.filter((b) => !b.unseen && b.level !== OTHER_LEVELS).sort((a, b) => b.reference - a.reference || b.current - a.current);
  const unseen = all.filter((b) => b.unseen).sort((a, b) => b.current - a.current);
  const unseenShown = unseen.slice(0, Math.min(maxUnseen, maxBars - 1));
  const room = maxBars - unseenShown.length;
  const rest = [...other, ...unseen.slice(unseenShown.length)];
  const needsOther = seen.length > room || rest.length > 0;
  const seenShown = seen.slice(0, needsOther ? room - 1 : room);
  const summed = [...seen.slice(seenShown.length), ...rest];
  const out = [...seenShown, ...unseenShown];
  if (summed.length > 0) {
    out.push({
      label: OTHER_LEVELS,
      level: OTHER_LEVELS,
      reference: summed.reduce((n, b) => n + b.reference, 0),
      current: summed.reduce((n, b) => n + b.current, 0),
      unseen: false,
    });
  }
  return out;
}
