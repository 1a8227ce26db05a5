// ml-logistic-regression 2.0.0 ships no types; this declares the part lib/model uses.
// Its two-class trainer is imported directly: the package's multi-class wrapper trains one
// one-vs-all classifier per class, i.e. the same binary model twice.
declare module "ml-logistic-regression/src/logreg_2classes.js" {
  import type { Matrix } from "ml-matrix";

  export default class LogisticRegressionTwoClasses {
    constructor(options?: { numSteps?: number; learningRate?: number });
    weights: Matrix;
    train(features: Matrix, target: Matrix): void;
    testScores(features: Matrix): number[];
  }
}
