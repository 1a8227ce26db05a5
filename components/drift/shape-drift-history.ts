import { periodAxis, type PeriodAxis, type PeriodSpan } from "@/components/ui/period-axis";
import type { DriftCheck } from "@/lib/queries/types";
import { isCategorical } from "./shape-drift";

/*
 * Feature drift over time, one small chart per feature (issue 18): each drift check's statistics
 * of that feature, at the end of the period of data the check was about (by position when a check
 * has none). A numeric feature plots its KS statistic D and its PSI; a categorical one its
 * Jensen–Shannon distance and its PSI. The chi-square statistic is not plotted: it grows with the
 * number of rows compared (hundreds for a month of a few hundred clients, thousands for a larger
 * one), so a month with more rows would look more drifted on any shared axis; it goes into the
 * tooltip with its p-value, which is what its drift rule reads, and its verdict marks the point.
 */

export interface FeatureDriftPoint {
  /** x on the shared axis: period end in ms, or the check's position */
  x: number;
  n: number;
  period: PeriodSpan | null;
  runId: number | null;
  createdAt: string;
  /** rows compared (the current sample) */
  rows: number;
  /** KS statistic D (numeric) or Jensen–Shannon distance (categorical), 0–1 */
  primary: number;
  /** the primary method (KS p-value rule; for categorical: JS or chi-square) called it drifted */
  primaryDrifted: boolean;
  psi: number;
  psiDrifted: boolean;
  /** the p-value behind the drift rule: KS (numeric) or chi-square (categorical) */
  pValue: number;
  /** categorical only: "χ² 123.4 (df 3)" */
  chi2: string | null;
}

export interface FeatureDriftHistory {
  feature: string;
  type: "numeric" | "categorical";
  /** what `primary` is, for the legend and tooltip */
  primaryName: string;
  /** JS distance's threshold (categorical); KS has none on its statistic (its rule is on the p-value) */
  primaryThreshold: number | null;
  psiThreshold: number | null;
  points: FeatureDriftPoint[];
  /** the largest value of each axis to show (values and thresholds): KS / JS on the left, PSI (unbounded) on the right */
  primaryMax: number;
  psiMax: number;
  driftedCount: number;
}

/**
 * One history per feature (the order the checks list them in), over the checks that compared
 * features (a check about no new rows has none), oldest first; every history shares one x axis
 * so the small charts line up.
 */
export function shapeFeatureDriftHistory(checksOldestFirst: readonly DriftCheck[]): { axis: PeriodAxis; features: FeatureDriftHistory[] } {
  const checks = checksOldestFirst.filter((c) => Object.keys(c.features).length > 0);
  // a small chart has room for about four labels ("Mar 2024" is ~50 px at 10 px)
  const axis = periodAxis(checks, { indexTitle: "check # (oldest → newest)", maxTicks: 4 });
  const byFeature = new Map<string, FeatureDriftHistory>();
  checks.forEach((c, i) => {
    for (const [feature, f] of Object.entries(c.features)) {
      const cat = isCategorical(f);
      let h = byFeature.get(feature);
      if (!h) {
        h = { feature, type: cat ? "categorical" : "numeric", primaryName: cat ? "JS distance" : "KS statistic", primaryThreshold: null, psiThreshold: null, points: [], primaryMax: 0, psiMax: 0, driftedCount: 0 };
        byFeature.set(feature, h);
      }
      const base = { x: axis.xs[i], n: i + 1, period: axis.periods[i], runId: c.runId, createdAt: c.createdAt, rows: f.currentSize, psi: f.psi.score, psiDrifted: f.psi.drifted };
      const point: FeatureDriftPoint = isCategorical(f)
        ? { ...base, primary: f.js.distance, primaryDrifted: f.js.drifted || f.chi2.drifted, pValue: f.chi2.pValue, chi2: `χ² ${f.chi2.statistic.toFixed(1)} (df ${f.chi2.df})` }
        : { ...base, primary: f.ks.statistic, primaryDrifted: f.ks.drifted, pValue: f.ks.pValue, chi2: null };
      if (isCategorical(f)) h.primaryThreshold ??= f.js.threshold;
      h.psiThreshold ??= f.psi.threshold;
      h.points.push(point);
    }
  });
  const features = [...byFeature.values()].map((h) => ({
    ...h,
    points: [...h.points].sort((a, b) => a.x - b.x || a.n - b.n),
    primaryMax: Math.max(...h.points.map((p) => p.primary), h.primaryThreshold ?? 0),
    psiMax: Math.max(...h.points.map((p) => p.psi), h.psiThreshold ?? 0),
    driftedCount: h.points.filter((p) => p.primaryDrifted || p.psiDrifted).length,
  }));
  return { axis, features };
}
