import { observedValues, type TrainingColumns } from "../db/columns";
import { FEATURES, type Feature } from "../domain";
import { ksTwoSample } from "../stats/ks-two-sample";
import { populationStabilityIndex, type PsiBin } from "../stats/psi";
import { FEATURE_DRIFT_METHODS } from "./feature-drift";

/**
 * Observed feature values of stored records, per column. Cells filled by mean imputation are
 * left out: they were empty in the file, and the training mean would pull both samples
 * towards each other and hide drift.
 */
export function observedColumns(records: TrainingColumns): Record<Feature, Float64Array> {
  const out = {} as Record<Feature, Float64Array>;
  // Sorted once here: KS and PSI sort their copies again, which costs little on sorted input.
  for (const f of FEATURES) out[f] = Float64Array.from(observedValues(records, f)).sort();
  return out;
}

export interface FeatureDriftEntry {
  ks: { statistic: number; pValue: number; method: string; threshold: number; drifted: boolean } | null;
  psi: { score: number; threshold: number; drifted: boolean; bins: PsiBin[] } | null;
  referenceSize: number;
  currentSize: number;
  /** set when the feature could not be compared (no observed values on one side) */
  note?: string;
}

/**
 * KS (two-sided, scipy's ks_2samp method="auto") and PSI (10 reference deciles; an empty bin
 * counts as share 0.0001) per feature, with the default thresholds of FEATURE_DRIFT_METHODS
 * (KS drifted when p < 0.05, PSI drifted when > 0.2). Same rules as featureDrift(), feature
 * by feature, so that a column with no observed value on one side is reported instead of
 * failing the run.
 */
export function featureDriftObserved(reference: Record<Feature, ArrayLike<number>>, current: Record<Feature, ArrayLike<number>>): Record<Feature, FeatureDriftEntry> {
  const ksT = FEATURE_DRIFT_METHODS.ks.defaultThreshold;
  const psiT = FEATURE_DRIFT_METHODS.psi.defaultThreshold;
  const out = {} as Record<Feature, FeatureDriftEntry>;
  for (const f of FEATURES) {
    const ref = reference[f];
    const cur = current[f];
    if (ref.length === 0 || cur.length === 0) {
      out[f] = { ks: null, psi: null, referenceSize: ref.length, currentSize: cur.length, note: `no observed ${f} values in the ${ref.length === 0 ? "reference" : "current"} data` };
      continue;
    }
    const ks = ksTwoSample(ref, cur);
    const psi = populationStabilityIndex(ref, cur);
    out[f] = {
      ks: { statistic: ks.statistic, pValue: ks.pValue, method: ks.method, threshold: ksT, drifted: ks.pValue < ksT },
      psi: { score: psi.score, threshold: psiT, drifted: psi.score > psiT, bins: psi.bins },
      referenceSize: ref.length,
      currentSize: cur.length,
    };
  }
  return out;
}

const fmt = (x: number | null | undefined, d = 4) => (x === null || x === undefined || !Number.isFinite(x) ? "n/a" : x.toFixed(d));

export function describeFeatures(features: Record<Feature, FeatureDriftEntry>): string {
  return FEATURES.map((f) => {
    const e = features[f];
    if (!e.ks || !e.psi) return `${f}: ${e.note}`;
    const flags = [e.ks.drifted ? "KS drift" : null, e.psi.drifted ? "PSI drift" : null].filter(Boolean).join(", ");
    return `${f}: KS D=${fmt(e.ks.statistic, 3)} p${e.ks.pValue < 1e-300 ? "<1e-300" : `=${e.ks.pValue.toPrecision(3)}`}, PSI=${fmt(e.psi.score, 3)}${flags ? ` (${flags})` : ""}`;
  }).join("; ");
}
