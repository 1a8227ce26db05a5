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
    psiThreshold: f.psi.threshold ?? null,
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
 * Reference-vs-current histogram, when the API sends one: either `histogram: { edges,
 * reference, current }` (counts on shared bins) or PSI bins `psi.bins: [{ reference,
 * current, ... }]` (the reference's quantile bins, open-ended first and last: JSON sends their
 * infinite edges as null). Counts or shares are turned into % of each sample.
 */
export function shapeHistogram(f: FeatureDrift): HistogramBin[] | null {
  const any = f as unknown as {
    histogram?: { edges?: number[]; reference?: number[]; current?: number[] };
    psi?: { bins?: { lower?: number | null; upper?: number | null; from?: number | null; to?: number | null; reference?: number; current?: number; referenceShare?: number; currentShare?: number }[] };
  };
  const h = any.histogram;
  if (h?.edges && h.reference && h.current && h.reference.length === h.current.length && h.reference.length > 0) {
    const rs = h.reference.reduce((a, b) => a + b, 0) || 1;
    const cs = h.current.reduce((a, b) => a + b, 0) || 1;
    return h.reference.map((r, k) => ({
      label: `${compact(h.edges![k])}–${compact(h.edges![k + 1] ?? h.edges![k])}`,
      from: h.edges![k],
      to: h.edges![k + 1] ?? h.edges![k],
      reference: (100 * r) / rs,
      current: (100 * (h.current![k] ?? 0)) / cs,
    }));
  }
  const bins = any.psi?.bins;
  if (Array.isArray(bins) && bins.length > 0) {
    const ref = bins.map((b) => b.referenceShare ?? b.reference ?? 0);
    const cur = bins.map((b) => b.currentShare ?? b.current ?? 0);
    const rs = ref.reduce((a, b) => a + b, 0) || 1;
    const cs = cur.reduce((a, b) => a + b, 0) || 1;
    const edge = (v: number | null | undefined) => (v == null || !Number.isFinite(v) ? null : v);
    return bins.map((b, k) => {
      const from = edge(b.lower ?? b.from);
      const to = edge(b.upper ?? b.to);
      const label = from == null && to != null ? `< ${compact(to)}` : to == null && from != null ? `≥ ${compact(from)}` : from != null && to != null ? `${compact(from)}–${compact(to)}` : `bin ${k + 1}`;
      return { label, from: from ?? -Infinity, to: to ?? Infinity, reference: (100 * ref[k]) / rs, current: (100 * cur[k]) / cs };
    });
  }
  return null;
}
