import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseClientCsv } from "../csv/parse-client-csv";
import type { LabelledRow } from "../domain";
import { predict, predictProbabilities, trainLogistic } from "./logistic";

function load(file: string): LabelledRow[] {
  const parsed = parseClientCsv(fs.readFileSync(path.join(__dirname, "../..", file)), { label: "required" });
  return parsed.rows.map((r) => ({
    corporation: r.corporation,
    lastmonth_activity: r.lastmonth_activity!,
    lastyear_activity: r.lastyear_activity!,
    number_of_employees: r.number_of_employees!,
    exited: r.exited!,
  }));
}

describe("trainLogistic", () => {
  /*
   * Reference: scikit-learn 1.2.1 (Debian python3-sklearn), unpenalised fit on the same
   * z-scored features (sample SD):
   *   t = pd.read_csv('data/testdata/testdata.csv'); X = t[F].to_numpy(float)
   *   Z = (X - X.mean(0)) / X.std(0, ddof=1)
   *   m = LogisticRegression(penalty=None, tol=1e-12, max_iter=100000).fit(Z, t.exited)
   *   m.intercept_ -> -2.80833928507501
   *   m.coef_      -> [-6.66095818785361, 3.1564433562981846, -0.7854077682256229]
   *   m.predict_proba(Z)[:5, 1] -> [2.6256e-09, 0.2697346504455456, 1.4834e-09, 0.24115425021773892, 0.9823598085317692]
   */
  const rows = load("data/testdata/testdata.csv");
  const model = trainLogistic(rows);

  it("converges to scikit-learn's maximum-likelihood fit", () => {
    expect(model.intercept).toBeCloseTo(-2.80833928507501, 2);
    expect(model.coefficients.lastmonth_activity).toBeCloseTo(-6.66095818785361, 2);
    expect(model.coefficients.lastyear_activity).toBeCloseTo(3.1564433562981846, 2);
    expect(model.coefficients.number_of_employees).toBeCloseTo(-0.7854077682256229, 2);
  });

  it("predicts the same probabilities as scikit-learn, in input order", () => {
    const p = predictProbabilities(model, rows.slice(0, 5));
    const expected = [2.62562092329959e-9, 0.2697346504455456, 1.4833631142328033e-9, 0.24115425021773892, 0.9823598085317692];
    p.forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThan(2e-3));
    expect(predict(model, rows.slice(0, 5)).map((x) => x.exited)).toEqual([0, 0, 0, 0, 1]);
  });

  it("stores the scaler as the training mean and sample SD", () => {
    const xs = rows.map((r) => r.number_of_employees);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(model.scaler.number_of_employees.mean).toBeCloseTo(mean, 9);
  });

  it("refuses data it cannot learn from", () => {
    expect(() => trainLogistic(rows.slice(0, 5))).toThrow(/at least 10/);
    const oneClass = rows.filter((r) => r.exited === 0).slice(0, 50);
    expect(() => trainLogistic(oneClass)).toThrow(/both classes/);
  });

  it("keeps a constant feature finite", () => {
    const flat = rows.map((r) => ({ ...r, number_of_employees: 7 }));
    const m = trainLogistic(flat);
    expect(Number.isFinite(m.coefficients.number_of_employees)).toBe(true);
    expect(predictProbabilities(m, flat).every((p) => p >= 0 && p <= 1)).toBe(true);
  });
});
