import type { ModelVersion } from "../db/types";
import { legacyEncoding, type Encoding } from "./encoding";
import { DEFAULT_HYPER_PARAMETERS, type ModelParameters, type Scaler } from "./logistic";

/**
 * The stored model as parameters the predictor understands. Its encoding is the version's own
 * (`ModelVersion.encoding`); a version stored before encodings existed has none and was all
 * numeric: its scaler's keys are its features and terms (lib/model/encoding.ts legacyEncoding).
 */
export function modelParameters(m: Pick<ModelVersion, "weights" | "hyperParameters" | "scaler" | "encoding">): ModelParameters {
  const weights = JSON.parse(m.weights) as Pick<ModelParameters, "intercept" | "coefficients">;
  const scaler = JSON.parse(m.scaler) as Scaler;
  return {
    algorithm: "logistic-regression",
    hyperParameters: JSON.parse(m.hyperParameters),
    scaler,
    intercept: weights.intercept,
    coefficients: weights.coefficients,
    encoding: m.encoding ? (JSON.parse(m.encoding) as Encoding) : legacyEncoding(scaler),
  };
}

/** How POST /api/train sets the threshold: a probability in (0, 1), or "max-f1" (chosen on the test data). */
export type ThresholdChoice = number | "max-f1";

/**
 * The threshold choice a retrained version inherits from `model` (a version's threshold is a
 * hyper-parameter): "max-f1" is chosen again on the test data, a fixed number is kept;
 * undefined for the default.
 */
export function thresholdChoiceOf(model: ModelVersion): ThresholdChoice | undefined {
  const hp = modelParameters(model).hyperParameters;
  if (hp.thresholdRule === "max-f1") return "max-f1";
  return hp.threshold !== DEFAULT_HYPER_PARAMETERS.threshold ? hp.threshold : undefined;
}
