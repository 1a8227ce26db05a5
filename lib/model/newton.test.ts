import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseClientCsv } from "../csv/parse-client-csv";
import type { LabelledRow } from "../domain";
import { choleskySolve, fitLogisticNewton } from "./newton";
import { columnsOf, DEFAULT_HYPER_PARAMETERS, trainLogisticColumns } from "./logistic";

const rows: LabelledRow[] = parseClientCsv(fs.readFileSync(path.join(__dirname, "../../data/testdata/testdata.csv")), { label: "required" }).rows.map((r) => ({
  corporation: r.corporation,
  lastmonth_activity: r.lastmonth_activity!,
  lastyear_activity: r.lastyear_activity!,
  number_of_employees: r.number_of_employees!,
  exited: r.exited!,
}));

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

describe("Newton / IRLS logistic regression", () => {
  /*
   * Reference: scikit-learn 1.2.1 (Debian python3-sklearn), exact Newton solver, same z-scores:
   *   t = pd.read_csv('data/testdata/testdata.csv'); X = t[F].to_numpy(float); Z = (X - X.mean(0)) / X.std(0, ddof=1)
   *   m = LogisticRegression(penalty=None, solver='newton-cholesky', tol=1e-14, max_iter=1000).fit(Z, t.exited)
   *   m.intercept_ -> -2.808337486871212;  m.coef_ -> [-6.660943622205425, 3.1564344512697375, -0.7854008035118918]
   */
  const newton = trainLogisticColumns(columnsOf(rows));

  it("reaches scikit-learn's maximum-likelihood fit to 1e-9 in a handful of steps", () => {
    expect(newton.fit.converged).toBe(true);
    expect(newton.fit.iterations).toBeLessThanOrEqual(12);
    expect(rel(newton.model.intercept, -2.808337486871212)).toBeLessThan(1e-9);
    expect(rel(newton.model.coefficients.lastmonth_activity, -6.660943622205425)).toBeLessThan(1e-9);
    expect(rel(newton.model.coefficients.lastyear_activity, 3.1564344512697375)).toBeLessThan(1e-9);
    expect(rel(newton.model.coefficients.number_of_employees, -0.7854008035118918)).toBeLessThan(1e-9);
  });

  it("agrees with the reference gradient-descent solver (ml-logistic-regression) to 1e-6 once that has converged", () => {
    const gd = trainLogisticColumns(columnsOf(rows), { ...DEFAULT_HYPER_PARAMETERS, solver: "gradient-descent", numSteps: 20_000 });
    expect(gd.fit.solver).toBe("gradient-descent");
    expect(rel(gd.model.intercept, newton.model.intercept)).toBeLessThan(1e-6);
    for (const f of ["lastmonth_activity", "lastyear_activity", "number_of_employees"] as const) {
      expect(rel(gd.model.coefficients[f], newton.model.coefficients[f])).toBeLessThan(1e-6);
    }
  });

  it("gives the same fit whatever the chunk size of the map-reduce", () => {
    const d = columnsOf(rows);
    const design = {
      n: d.n,
      x: [d.x.lastmonth_activity, d.x.lastyear_activity, d.x.number_of_employees],
      mean: [0, 0, 0].map((_, j) => newton.model.scaler[(["lastmonth_activity", "lastyear_activity", "number_of_employees"] as const)[j]].mean),
      sd: [0, 0, 0].map((_, j) => newton.model.scaler[(["lastmonth_activity", "lastyear_activity", "number_of_employees"] as const)[j]].std),
      y: d.exited,
    };
    const whole = fitLogisticNewton(design, { maxIterations: 50, tolerance: 1e-10, chunkRows: 1 << 20 });
    const small = fitLogisticNewton(design, { maxIterations: 50, tolerance: 1e-10, chunkRows: 7 });
    whole.weights.forEach((w, i) => expect(rel(small.weights[i], w)).toBeLessThan(1e-12));
    expect(whole.weights[0]).toBeCloseTo(newton.model.intercept, 12);
  });

  it("does not diverge on separable data (backtracking) and keeps the weights finite", () => {
    const sep = rows.map((r) => ({ ...r, exited: (r.lastmonth_activity > 300 ? 1 : 0) as 0 | 1 }));
    const r = trainLogisticColumns(columnsOf(sep));
    expect([r.model.intercept, ...Object.values(r.model.coefficients)].every(Number.isFinite)).toBe(true);
    expect(r.fit.logLoss!).toBeLessThan(0.01);
  });

  it("solves a symmetric positive-definite system and refuses a singular one", () => {
    // python3 -c "import numpy as np; print(np.linalg.solve([[4,2,0],[2,3,1],[0,1,2]], [2,1,3]))" -> [ 1. -1.  2.]
    const x = choleskySolve([4, 2, 0, 2, 3, 1, 0, 1, 2], [2, 1, 3], 3)!;
    [1, -1, 2].forEach((v, i) => expect(x[i]).toBeCloseTo(v, 12));
    expect(choleskySolve([1, 1, 1, 1], [1, 1], 2)).toBeNull();
  });
});
