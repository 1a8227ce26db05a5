import { AppError } from "../errors";

/**
 * Throws `unprocessable:drift` unless `values` is a non-empty sample of finite numbers;
 * `test` names the statistic in the message ("The Kolmogorov–Smirnov test needs …").
 */
export function requireFiniteSample(values: ArrayLike<number>, name: string, test: string): void {
  if (values.length === 0) {
    throw new AppError("unprocessable:drift", `${test} needs a non-empty ${name} sample.`);
  }
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    if (!Number.isFinite(v)) {
      throw new AppError("unprocessable:drift", `The ${name} sample contains a non-finite value (${v}).`);
    }
  }
}
