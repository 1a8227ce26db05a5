import { FEATURES, type Feature } from "../domain";
import { AppError } from "../errors";
import type { ModelParameters } from "./logistic";

/*
 * Why the model calls a client risky, per client: the log-odds of exiting are
 *   logit(p) = w₀ + Σⱼ wⱼ·(xⱼ − meanⱼ)/sdⱼ
 * with the training mean and sample SD of each feature (the model's scaler). w₀ is the
 * log-odds of a client exactly at the training average, and each term
 *   cⱼ = wⱼ·(xⱼ − meanⱼ)/sdⱼ = βⱼ·(xⱼ − meanⱼ)   (βⱼ = wⱼ/sdⱼ, the per-unit coefficient)
 * is what feature j adds to them, relative to that average client. The terms add up exactly
 * (no interaction, no approximation — for a linear model in the log-odds this is also the
 * SHAP value with the training mean as background), so "largest first" is an honest ranking.
 * A positive term raises the risk of exiting, a negative one lowers it.
 */

/** How a client manager reads each feature. */
export const FEATURE_LABELS: Record<Feature, string> = {
  lastmonth_activity: "last month's activity",
  lastyear_activity: "last year's activity",
  number_of_employees: "number of employees",
};

export interface FeatureContribution {
  feature: Feature;
  /** {@link FEATURE_LABELS} */
  label: string;
  value: number;
  /** training mean of the feature */
  average: number;
  /** (value − average) / training SD: how many SDs above (+) or below (−) the average */
  sdFromAverage: number;
  /** added to the log-odds of exiting, relative to a client at the average */
  contribution: number;
  /** e^contribution: the odds of exiting are multiplied by this */
  oddsFactor: number;
  /** e.g. "last month's activity 2.1 SD below the average: +1.6 to the log-odds of exiting" */
  sentence: string;
}

export interface ClientExplanation {
  /** log-odds of exiting of a client at the training average of every feature (the standardised intercept) */
  baselineLogOdds: number;
  /** baselineLogOdds + Σ contributions */
  logOdds: number;
  probability: number;
  /** one per feature, largest |contribution| first (ties: the order of FEATURES) */
  contributions: FeatureContribution[];
}

/** One decimal of the magnitude; the sign is written by the caller (ASCII "+"/"-": the text is copied into e-mails and sheets). */
const oneDecimal = (v: number) => Math.abs(v).toFixed(1);

/**
 * The sentence for one contribution, in a client manager's words. Rounded to one decimal;
 * a feature within 0.05 SD of the average is "at the average", and a contribution that
 * rounds to 0.0 says so instead of "+0.0".
 *
 * @example
 * describeContribution("last month's activity", -2.1, 1.596);
 * // => "last month's activity 2.1 SD below the average: +1.6 to the log-odds of exiting"
 */
export function describeContribution(label: string, sdFromAverage: number, contribution: number): string {
  const position =
    oneDecimal(sdFromAverage) === "0.0"
      ? "at the average"
      : `${oneDecimal(sdFromAverage)} SD ${sdFromAverage > 0 ? "above" : "below"} the average`;
  const effect =
    oneDecimal(contribution) === "0.0"
      ? "no change to the log-odds of exiting"
      : `${contribution > 0 ? "+" : "-"}${oneDecimal(contribution)} to the log-odds of exiting`;
  return `${label} ${position}: ${effect}`;
}

function checkModel(model: ModelParameters): void {
  for (const f of FEATURES) {
    const s = model.scaler[f];
    if (!(s && s.std > 0 && Number.isFinite(s.mean) && Number.isFinite(model.coefficients[f]))) {
      throw new AppError("unprocessable:model", `The model has no usable scaling or coefficient for ${f}.`);
    }
  }
}

/**
 * Each feature's contribution to one client's log-odds of exiting, largest first, with a
 * sentence per feature (see the module comment for the arithmetic).
 *
 * Cost: O(p log p) for p features.
 *
 * @throws AppError `unprocessable:client` for a non-finite feature value, `unprocessable:model`
 *   for a model without scaling.
 * @example
 * explainClient(model, { lastmonth_activity: 79, lastyear_activity: 1000, number_of_employees: 50 }).contributions[0].sentence;
 * // => "last month's activity 2.1 SD below the average: +1.6 to the log-odds of exiting"
 */
export function explainClient(model: ModelParameters, client: Readonly<Record<Feature, number>>): ClientExplanation {
  checkModel(model);
  let logOdds = model.intercept;
  const contributions = FEATURES.map((feature): FeatureContribution => {
    const value = client[feature];
    if (!Number.isFinite(value)) throw new AppError("unprocessable:client", `${feature} is ${value}; a number is needed to explain the prediction.`);
    const { mean, std } = model.scaler[feature];
    const sdFromAverage = (value - mean) / std;
    const contribution = model.coefficients[feature] * sdFromAverage;
    logOdds += contribution;
    const label = FEATURE_LABELS[feature];
    return {
      feature,
      label,
      value,
      average: mean,
      sdFromAverage,
      contribution,
      oddsFactor: Math.exp(contribution),
      sentence: describeContribution(label, sdFromAverage, contribution),
    };
  });
  contributions.sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
  return { baselineLogOdds: model.intercept, logOdds, probability: 1 / (1 + Math.exp(-logOdds)), contributions };
}

/**
 * Contributions for many clients at once, as one Float64Array per feature (no object per
 * row): `out[f][i]` = feature f's contribution to row i's log-odds. For ranking or
 * aggregating explanations over a whole batch; {@link explainClient} words one client.
 *
 * Cost: O(n·p).
 */
export function contributionColumns(
  model: ModelParameters,
  data: { n: number; x: Readonly<Record<Feature, ArrayLike<number>>> },
): Record<Feature, Float64Array> {
  checkModel(model);
  const out = {} as Record<Feature, Float64Array>;
  for (const f of FEATURES) {
    const col = new Float64Array(data.n);
    const x = data.x[f];
    const { mean, std } = model.scaler[f];
    const w = model.coefficients[f];
    // the same arithmetic as explainClient, so both give identical numbers
    for (let i = 0; i < data.n; i++) col[i] = w * ((x[i] - mean) / std);
    out[f] = col;
  }
  return out;
}
