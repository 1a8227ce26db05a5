import { AppError } from "../errors";
import type { DataColumns } from "../schema/columns";
import { OTHER_LEVEL } from "../schema/types";
import { designOf, levelIndexMap, REFERENCE, termName, UNSEEN, type CategoricalEncoding, type NumericEncoding } from "./encoding";
import type { ModelParameters } from "./logistic";

/*
 * Why the model scores a row as it does, per row: the log-odds of the positive label are
 *   logit(p) = w₀ + Σ (terms of the design, lib/model/encoding.ts)
 * and they split exactly by feature (no interaction, no approximation — for a model linear in
 * the log-odds this is also the SHAP value against the baseline row below), so "largest first"
 * is an honest ranking. w₀ is the log-odds of a baseline row: every numeric feature at its
 * training mean, every categorical one at its reference (most frequent) level.
 * - A numeric feature adds cⱼ = wⱼ·(xⱼ − meanⱼ)/sdⱼ = βⱼ·(xⱼ − meanⱼ) (βⱼ = wⱼ/sdⱼ, per unit).
 * - A categorical feature adds the coefficient of the row's level against the reference level
 *   (0 at the reference; a rare level pooled at training counts as "(other)"; a level never
 *   seen at training adds nothing, as the prediction does).
 * A positive contribution raises the probability of the positive label, a negative one lowers it.
 */

/** How contributions are worded. */
export interface ExplainWording {
  /** display name per feature (default: the feature's name) */
  labels?: Readonly<Record<string, string>>;
  /** what the log-odds are of: "exiting" → "… to the log-odds of exiting" (default: "… to the log-odds") */
  outcome?: string;
}

interface ContributionBase {
  feature: string;
  /** the feature's display name ({@link ExplainWording}) */
  label: string;
  /** added to the log-odds, relative to the baseline row */
  contribution: number;
  /** e^contribution: the odds are multiplied by this */
  oddsFactor: number;
  /** e.g. "last month's activity 2.1 SD below the average: +1.6 to the log-odds of exiting" */
  sentence: string;
}

export interface NumericContribution extends ContributionBase {
  type: "numeric";
  value: number;
  /** training mean of the feature */
  average: number;
  /** (value − average) / training SD: how many SDs above (+) or below (−) the average */
  sdFromAverage: number;
}

export interface CategoricalContribution extends ContributionBase {
  type: "categorical";
  /** the row's level as given */
  level: string;
  /** the training's most frequent level, which contributes 0 */
  reference: string;
  /** the dummy term the level counts as (`feature=level`, or `feature=(other)` for a pooled level); null at the reference or when unseen */
  term: string | null;
  /** true when the level was never seen at training (no contribution) */
  unseen: boolean;
}

export type FeatureContribution = NumericContribution | CategoricalContribution;

export interface ClientExplanation {
  /** log-odds of the baseline row: numeric features at their training means, categorical ones at their reference levels */
  baselineLogOdds: number;
  /** baselineLogOdds + Σ contributions */
  logOdds: number;
  probability: number;
  /** one per feature, largest |contribution| first (ties: the encoding's feature order) */
  contributions: FeatureContribution[];
}

/** One decimal of the magnitude; the sign is written by the caller (ASCII "+"/"-": the text is copied into e-mails and sheets). */
const oneDecimal = (v: number) => Math.abs(v).toFixed(1);

/** "+1.6 to the log-odds of exiting", or "no change to the log-odds …" when it rounds to 0.0. */
function effectOf(contribution: number, outcome?: string): string {
  const logOdds = outcome ? `the log-odds of ${outcome}` : "the log-odds";
  return oneDecimal(contribution) === "0.0" ? `no change to ${logOdds}` : `${contribution > 0 ? "+" : "-"}${oneDecimal(contribution)} to ${logOdds}`;
}

/**
 * The sentence for a numeric feature's contribution. Rounded to one decimal; a value within
 * 0.05 SD of the average is "at the average", and a contribution that rounds to 0.0 says so
 * instead of "+0.0".
 *
 * @example
 * describeContribution("last month's activity", -2.1, 1.596, "exiting");
 * // => "last month's activity 2.1 SD below the average: +1.6 to the log-odds of exiting"
 */
export function describeContribution(label: string, sdFromAverage: number, contribution: number, outcome?: string): string {
  const position =
    oneDecimal(sdFromAverage) === "0.0"
      ? "at the average"
      : `${oneDecimal(sdFromAverage)} SD ${sdFromAverage > 0 ? "above" : "below"} the average`;
  return `${label} ${position}: ${effectOf(contribution, outcome)}`;
}

/**
 * The sentence for a categorical feature's contribution: the level against the reference.
 *
 * @example
 * describeLevel("region", "west", { reference: "north", index: 4, pooled: false }, 0.8);
 * // => "region = west, against the usual north: +0.8 to the log-odds"
 * describeLevel("region", "mars", { reference: "north", index: UNSEEN, pooled: false }, 0);
 * // => "region = mars was never seen in training: no contribution"
 */
export function describeLevel(
  label: string,
  level: string,
  how: { reference: string; index: number; pooled: boolean },
  contribution: number,
  outcome?: string,
): string {
  if (how.index === UNSEEN) return `${label} = ${level} was never seen in training: no contribution`;
  const subject = `${label} = ${level}${how.pooled ? ` (rare in training, counted as ${OTHER_LEVEL})` : ""}`;
  const against = how.index === REFERENCE ? "the usual level" : `against the usual ${how.reference}`;
  return `${subject}, ${against}: ${effectOf(contribution, outcome)}`;
}

function checkModel(model: ModelParameters): void {
  for (const f of model.encoding.features) {
    if (f.type === "numeric" && !(f.std > 0 && Number.isFinite(f.mean))) {
      throw new AppError("unprocessable:model", `The model has no usable scaling for ${f.feature}.`);
    }
  }
  for (const term of model.encoding.terms) {
    if (!Number.isFinite(model.coefficients[term])) throw new AppError("unprocessable:model", `The model has no usable coefficient for ${term}.`);
  }
}

type Explain = (i: number) => FeatureContribution;

function numericExplainer(model: ModelParameters, f: NumericEncoding, data: DataColumns, wording: ExplainWording): Explain {
  const col = data.features[f.feature];
  if (col?.type !== "numeric") throw new AppError("unprocessable:client", `The rows have no numeric ${f.feature}, which the model needs.`);
  const label = wording.labels?.[f.feature] ?? f.feature;
  const w = model.coefficients[f.feature];
  return (i) => {
    const value = col.values[i];
    if (!Number.isFinite(value)) throw new AppError("unprocessable:client", `${f.feature} is ${value}; a number is needed to explain the prediction.`);
    const sdFromAverage = (value - f.mean) / f.std;
    const contribution = w * sdFromAverage;
    const sentence = describeContribution(label, sdFromAverage, contribution, wording.outcome);
    return { type: "numeric", feature: f.feature, label, value, average: f.mean, sdFromAverage, contribution, oddsFactor: Math.exp(contribution), sentence };
  };
}

function categoricalExplainer(model: ModelParameters, f: CategoricalEncoding, data: DataColumns, wording: ExplainWording): Explain {
  const col = data.features[f.feature];
  if (col?.type !== "categorical") throw new AppError("unprocessable:client", `The rows have no categorical ${f.feature}, which the model needs.`);
  const label = wording.labels?.[f.feature] ?? f.feature;
  const indexOf = levelIndexMap(f);
  const pooled = new Set(f.pooled.filter((level) => level !== OTHER_LEVEL));
  return (i) => {
    const level = col.levels[col.codes[i]];
    const index = indexOf(level);
    const term = index >= 0 ? termName(f.feature, f.levels[index]) : null;
    const contribution = term === null ? 0 : model.coefficients[term];
    const how = { reference: f.reference, index, pooled: pooled.has(level) };
    const sentence = describeLevel(label, level, how, contribution, wording.outcome);
    const { reference } = f;
    return { type: "categorical", feature: f.feature, label, level, reference, term, unseen: index === UNSEEN, contribution, oddsFactor: Math.exp(contribution), sentence };
  };
}

/** A function explaining row i of `data` (the per-feature set-up done once). */
function explainer(model: ModelParameters, data: DataColumns, wording: ExplainWording): (i: number) => ClientExplanation {
  checkModel(model);
  const features = model.encoding.features.map((f) =>
    f.type === "numeric" ? numericExplainer(model, f, data, wording) : categoricalExplainer(model, f, data, wording),
  );
  return (i) => {
    const contributions = features.map((explain) => explain(i));
    const logOdds = contributions.reduce((sum, c) => sum + c.contribution, model.intercept);
    contributions.sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
    return { baselineLogOdds: model.intercept, logOdds, probability: 1 / (1 + Math.exp(-logOdds)), contributions };
  };
}

/**
 * Each feature's contribution to one row's log-odds, largest first, with a sentence per feature
 * (see the module comment for the arithmetic). `row` (default 0) indexes `data`.
 *
 * Cost: O(p log p) for p features, plus O(levels) per categorical feature to set up.
 *
 * @throws AppError `unprocessable:client` for a non-finite numeric value or a missing column,
 *   `unprocessable:model` for a model without scaling or coefficients.
 * @example
 * explainClient(model, cols, { labels: { tenure_months: "months as a client" }, outcome: "churning" }).contributions[0].sentence;
 * // => "last month's activity 2.1 SD below the average: +1.6 to the log-odds of exiting"
 */
export function explainClient(model: ModelParameters, data: DataColumns, opts: ExplainWording & { row?: number } = {}): ClientExplanation {
  return explainer(model, data, opts)(opts.row ?? 0);
}

/** {@link explainClient} for every row of `data`, the set-up shared. Cost: O(n·p log p). */
export function explainRows(model: ModelParameters, data: DataColumns, wording: ExplainWording = {}): ClientExplanation[] {
  const explain = explainer(model, data, wording);
  return Array.from({ length: data.n }, (_, i) => explain(i));
}

/**
 * Contributions for many rows at once, as one Float64Array per feature (no object per row):
 * `out[f][i]` = feature f's contribution to row i's log-odds. For ranking or aggregating
 * explanations over a whole batch; {@link explainClient} words one row.
 *
 * Cost: O(n·nonzeros per row).
 */
export function contributionColumns(model: ModelParameters, data: DataColumns): Record<string, Float64Array> {
  checkModel(model);
  const { features, terms } = model.encoding;
  const d = designOf(model.encoding, data);
  const columns = features.map(() => new Float64Array(data.n));
  const columnOfTerm = features.flatMap((f, j) => (f.type === "numeric" ? [j] : f.levels.map(() => j)));
  const w = terms.map((term) => model.coefficients[term]);
  const idx = new Int32Array(d.k);
  const val = new Float64Array(d.k);
  for (let i = 0; i < data.n; i++) {
    const m = d.row(i, idx, val);
    // the same arithmetic as explainClient (w·z, or the level's w), so both give identical numbers
    for (let a = 0; a < m; a++) columns[columnOfTerm[idx[a]]][i] = w[idx[a]] * val[a];
  }
  return Object.fromEntries(features.map((f, j) => [f.feature, columns[j]]));
}
