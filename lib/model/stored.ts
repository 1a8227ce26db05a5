import type { ModelVersion } from "../db/types";
import { DEFAULT_HYPER_PARAMETERS, type ModelParameters } from "./logistic";

/** The stored model as parameters the predictor understands. */
export function modelParameters(m: ModelVersion): ModelParameters {
  const weights = JSON.parse(m.weights) as Pick<ModelParameters, "intercept" | "coefficients">;
  return {
    algorithm: "logistic-regression",
    hyperParameters: JSON.parse(m.hyperParameters),
    scaler: JSON.parse(m.scaler),
    intercept: weights.intercept,
    coefficients: weights.coefficients,
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
