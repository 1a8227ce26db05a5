import { levelCounts, observedValues, type DataColumns } from "../schema/columns";
import type { DataSchema } from "../schema/types";
import { ksTwoSample } from "../stats/ks-two-sample";
import { populationStabilityIndex, type PsiBin } from "../stats/psi";
import { categoricalFeatureDrift, type CategoricalDriftResult } from "./categorical-drift";
import { FEATURE_DRIFT_METHODS } from "./feature-drift";

/*
 * Per-feature data drift between reference columns (a model's training data) and current
 * columns (new rows, a monitored batch), by the feature's type in the schema:
 * - numeric: KS (two-sided, scipy's ks_2samp method="auto") and PSI (10 reference deciles; an
 *   empty bin counts as share 0.0001), on the observed values only — cells filled by mean
 *   imputation were empty in the file, and the training mean would pull both samples towards
 *   each other and hide drift;
 * - categorical: chi-square test of homogeneity, Jensen–Shannon distance, PSI over the levels and
 *   the share of current rows in levels the reference never had (lib/drift/categorical-drift.ts);
 *   an empty cell is the level "(missing)".
 * A column with no value on one side is reported (`note`) instead of failing the run.
 */

export interface NumericDriftEntry {
  type: "numeric";
  ks: { statistic: number; pValue: number; method: string; threshold: number; drifted: boolean } | null;
  psi: { score: number; threshold: number; drifted: boolean; bins: PsiBin[] } | null;
  referenceSize: number;
  currentSize: number;
  /** set when the feature could not be compared (no observed values on one side) */
  note?: string;
}

export type CategoricalDriftEntry = { type: "categorical"; note?: string } & (
  | CategoricalDriftResult
  | { chi2: null; js: null; psi: null; unseen: null; levels: []; referenceSize: number; currentSize: number }
);

export type FeatureDriftEntry = NumericDriftEntry | CategoricalDriftEntry;

/** Whether an entry says drift by any of its methods. */
export function entryDrifted(e: FeatureDriftEntry): boolean {
  if (e.type === "categorical") return Boolean(e.chi2?.drifted || e.js?.drifted || e.psi?.drifted || e.unseen?.drifted);
  return Boolean(e.ks?.drifted || e.psi?.drifted);
}

/** The observed values of a numeric feature, sorted (KS and PSI sort their copies again, which costs little on sorted input). */
function sortedObserved(cols: DataColumns, feature: string): Float64Array {
  return Float64Array.from(observedValues(cols, feature)).sort();
}

function numericDrift(feature: string, ref: Float64Array, cur: Float64Array): NumericDriftEntry {
  if (ref.length === 0 || cur.length === 0) {
    return { type: "numeric", ks: null, psi: null, referenceSize: ref.length, currentSize: cur.length, note: `no observed ${feature} values in the ${ref.length === 0 ? "reference" : "current"} data` };
  }
  const ksT = FEATURE_DRIFT_METHODS.ks.defaultThreshold;
  const psiT = FEATURE_DRIFT_METHODS.psi.defaultThreshold;
  const ks = ksTwoSample(ref, cur);
  const psi = populationStabilityIndex(ref, cur);
  return {
    type: "numeric",
    ks: { statistic: ks.statistic, pValue: ks.pValue, method: ks.method, threshold: ksT, drifted: ks.pValue < ksT },
    psi: { score: psi.score, threshold: psiT, drifted: psi.score > psiT, bins: psi.bins },
    referenceSize: ref.length,
    currentSize: cur.length,
  };
}

function categoricalDrift(feature: string, reference: DataColumns, current: DataColumns): CategoricalDriftEntry {
  if (reference.n === 0 || current.n === 0) {
    const side = reference.n === 0 ? "reference" : "current";
    return { type: "categorical", chi2: null, js: null, psi: null, unseen: null, levels: [], referenceSize: reference.n, currentSize: current.n, note: `no ${feature} values in the ${side} data` };
  }
  return { type: "categorical", ...categoricalFeatureDrift(levelCounts(reference, feature), levelCounts(current, feature)) };
}

/** Drift of every schema feature between `reference` and `current`. */
export function featureDriftOfColumns(schema: DataSchema, reference: DataColumns, current: DataColumns): Record<string, FeatureDriftEntry> {
  const out: Record<string, FeatureDriftEntry> = {};
  for (const f of schema.features) {
    out[f.name] = f.type === "numeric" ? numericDrift(f.name, sortedObserved(reference, f.name), sortedObserved(current, f.name)) : categoricalDrift(f.name, reference, current);
  }
  return out;
}

const fmt = (x: number | null | undefined, d = 4) => (x === null || x === undefined || !Number.isFinite(x) ? "n/a" : x.toFixed(d));
const p = (v: number) => (v < 1e-300 ? "<1e-300" : `=${v.toPrecision(3)}`);

function describeEntry(f: string, e: FeatureDriftEntry): string {
  if (e.type === "categorical") {
    if (!e.chi2) return `${f}: ${e.note}`;
    const flags = [e.chi2.drifted ? "chi-square drift" : null, e.js.drifted ? "JS drift" : null, e.psi.drifted ? "PSI drift" : null, e.unseen.drifted ? "unseen levels" : null].filter(Boolean).join(", ");
    return `${f}: chi2=${fmt(e.chi2.statistic, 1)} df=${e.chi2.df} p${p(e.chi2.pValue)}, JS=${fmt(e.js.distance, 3)}, PSI=${fmt(e.psi.score, 3)}, unseen ${fmt(e.unseen.share * 100, 1)} %${flags ? ` (${flags})` : ""}`;
  }
  if (!e.ks || !e.psi) return `${f}: ${e.note}`;
  const flags = [e.ks.drifted ? "KS drift" : null, e.psi.drifted ? "PSI drift" : null].filter(Boolean).join(", ");
  return `${f}: KS D=${fmt(e.ks.statistic, 3)} p${p(e.ks.pValue)}, PSI=${fmt(e.psi.score, 3)}${flags ? ` (${flags})` : ""}`;
}

export function describeFeatures(features: Record<string, FeatureDriftEntry>): string {
  return Object.entries(features)
    .map(([f, e]) => describeEntry(f, e))
    .join("; ");
}
