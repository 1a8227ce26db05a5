import { describe, expect, it } from "vitest";
import { numericColumn, type DataColumns } from "../schema/columns";
import { DEMO_SCHEMA, demoTestColumns } from "../testing/demo-schema";
import { designOf } from "./encoding";
import { DEFAULT_HYPER_PARAMETERS, trainLogisticColumns } from "./logistic";
import { choleskySolve, fitLogisticNewton, selectTerms, varyingTerms, type SparseRows } from "./newton";


const data = demoTestColumns();

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

describe("Newton / IRLS logistic regression", () => {
  /*
   * Reference: scikit-learn 1.2.1 (Debian python3-sklearn), exact Newton solver, same z-scores:
   *   t = pd.read_csv('data/testdata/testdata.csv'); X = t[F].to_numpy(float); Z = (X - X.mean(0)) / X.std(0, ddof=1)
   *   m = LogisticRegression(penalty=None, solver='newton-cholesky', tol=1e-14, max_iter=1000).fit(Z, t.exited)
   *   m.intercept_ -> -2.808337486871212;  m.coef_ -> [-6.660943622205425, 3.1564344512697375, -0.7854008035118918]
   */
  const newton = trainLogisticColumns(data, DEMO_SCHEMA);

  it("reaches scikit-learn's maximum-likelihood fit to 1e-9 in a handful of steps", () => {
    expect(newton.fit.converged).toBe(true);
    expect(newton.fit.iterations).toBeLessThanOrEqual(12);
    expect(rel(newton.model.intercept, -2.808337486871212)).toBeLessThan(1e-9);
    expect(rel(newton.model.coefficients.lastmonth_activity, -6.660943622205425)).toBeLessThan(1e-9);
    expect(rel(newton.model.coefficients.lastyear_activity, 3.1564344512697375)).toBeLessThan(1e-9);
    expect(rel(newton.model.coefficients.number_of_employees, -0.7854008035118918)).toBeLessThan(1e-9);
  });

  it("agrees with the reference gradient-descent solver (ml-logistic-regression) to 1e-6 once that has converged", () => {
    const gd = trainLogisticColumns(data, DEMO_SCHEMA, { ...DEFAULT_HYPER_PARAMETERS, solver: "gradient-descent", numSteps: 20_000 });
    expect(gd.fit.solver).toBe("gradient-descent");
    expect(rel(gd.model.intercept, newton.model.intercept)).toBeLessThan(1e-6);
    for (const f of ["lastmonth_activity", "lastyear_activity", "number_of_employees"] as const) {
      expect(rel(gd.model.coefficients[f], newton.model.coefficients[f])).toBeLessThan(1e-6);
    }
  });

  it("gives the same fit whatever the chunk size of the map-reduce", () => {
    const design = designOf(newton.model.encoding, data);
    const whole = fitLogisticNewton(design, data.label, { maxIterations: 50, tolerance: 1e-10, chunkRows: 1 << 20 });
    const small = fitLogisticNewton(design, data.label, { maxIterations: 50, tolerance: 1e-10, chunkRows: 7 });
    whole.weights.forEach((w, i) => expect(rel(small.weights[i], w)).toBeLessThan(1e-12));
    expect(whole.weights[0]).toBeCloseTo(newton.model.intercept, 12);
  });

  it("does not diverge on separable data (backtracking) and keeps the weights finite", () => {
    const sep = { ...data, label: Uint8Array.from(numericColumn(data, "lastmonth_activity").values, (v) => (v > 300 ? 1 : 0)) };
    const r = trainLogisticColumns(sep, DEMO_SCHEMA);
    expect([r.model.intercept, ...Object.values(r.model.coefficients)].every(Number.isFinite)).toBe(true);
    expect(r.fit.logLoss!).toBeLessThan(0.01);
  });

  it("solves a symmetric positive-definite system and refuses a singular one", () => {
    // python3 -c "import numpy as np; print(np.linalg.solve([[4,2,0],[2,3,1],[0,1,2]], [2,1,3]))" -> [ 1. -1.  2.]
    const x = choleskySolve([4, 2, 0, 2, 3, 1, 0, 1, 2], [2, 1, 3], 3)!;
    [1, -1, 2].forEach((v, i) => expect(x[i]).toBeCloseTo(v, 12));
    expect(choleskySolve([1, 1, 1, 1], [1, 1], 2)).toBeNull();
  });

  /** A design from dense rows; `reverse` writes each row's nonzeros in reverse term order. */
  const denseRows = (rows: number[][], reverse = false): SparseRows => ({
    n: rows.length,
    k: rows[0].length,
    row(i, idx, val) {
      const nz = rows[i].map((v, t) => [t, v]).filter(([, v]) => v !== 0);
      if (reverse) nz.reverse();
      nz.forEach(([t, v], a) => ((idx[a] = t), (val[a] = v)));
      return nz.length;
    },
  });

  it("accumulates a sparse design whatever the order of a row's nonzeros", () => {
    // one numeric term and two dummies of one categorical (the third level is the reference)
    const rows = [0.5, -1, 2, 0.3, -0.7, 1.1, -0.2, 0.9].map((z, i) => [z, i % 3 === 0 ? 1 : 0, i % 3 === 1 ? 1 : 0]);
    const y = Uint8Array.of(1, 0, 1, 1, 0, 0, 1, 0);
    const a = fitLogisticNewton(denseRows(rows), y, { maxIterations: 50, tolerance: 1e-12 });
    const b = fitLogisticNewton(denseRows(rows, true), y, { maxIterations: 50, tolerance: 1e-12, chunkRows: 3 });
    expect(a.converged).toBe(true);
    a.weights.forEach((w, i) => expect(b.weights[i]).toBeCloseTo(w, 10));
    a.hessian.forEach((h, i) => expect(b.hessian[i]).toBeCloseTo(h, 12));
    // the Hessian is symmetric, its (0, 2) entry the mean of p(1 − p) over the rows where the first dummy is 1
    expect(a.hessian[2]).toBe(a.hessian[2 * 4]);
  });

  it("finds the constant terms of a design and leaves them out", () => {
    const d = denseRows([
      [1, 0, 5, 0],
      [2, 0, 5, 1],
      [3, 0, 5, 0],
    ]);
    const keep = varyingTerms(d);
    expect(keep).toEqual([true, false, false, true]);
    const s = selectTerms(d, keep);
    const idx = new Int32Array(4);
    const val = new Float64Array(4);
    expect(s.k).toBe(2);
    expect([s.row(1, idx, val), Array.from(idx.subarray(0, 2)), Array.from(val.subarray(0, 2))]).toEqual([2, [0, 1], [2, 1]]);
    expect(selectTerms(d, [true, true, true, true])).toBe(d);
  });
});
