import type { DriftCheck, FeatureDrift } from "@/lib/queries/types";

export interface FeatureBar {
  feature: string;
  ks: number;
  pValue: number;
  ksDrifted: boolean;
  psi: number;
  psiDrifted: boolean;
  /** the PSI above which this run called the feature drifted */
  psiThreshold: number | null;
}

export function shapeFeatureBars(check: DriftCheck): FeatureBar[] {
  return Object.entries(check.features).map(([feature, f]) => ({
    feature,
    ks: f.ks.statistic,
    pValue: f.ks.pValue,
    ksDrifted: f.ks.drifted,
    psi: f.psi.score,
    psiDrifted: f.psi.drifted,
    psiThreshold: f.psi.threshold,
  }));
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
 * Reference-vs-current histogram of a feature: the PSI bins the API sends (`psi.bins`, the
 * reference's deciles, open-ended first and last: a null edge is −∞ or +∞) with each sample's
 * share, in % of that sample. Null for a check stored before the bins were recorded.
 */
export function shapeHistogram(f: FeatureDrift): HistogramBin[] | null {
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
