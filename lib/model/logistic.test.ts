import { describe, expect, it } from "vitest";
import { numericColumn, type DataColumns } from "../schema/columns";
import { MISSING_LEVEL, type DataSchema } from "../schema/types";
import { DEMO_SCHEMA, demoTestColumns } from "../testing/demo-schema";
import { checkTrainable, DEFAULT_HYPER_PARAMETERS, labelsAt, predictColumns, predictProbabilityColumns, trainLogisticColumns } from "./logistic";


/** The first `m` rows of `d`. */
function head(d: DataColumns, m: number): DataColumns {
  const features = Object.fromEntries(DEMO_SCHEMA.features.map((f) => [f.name, { ...numericColumn(d, f.name), values: numericColumn(d, f.name).values.slice(0, m) }]));
  return { ...d, n: m, features, label: d.label.slice(0, m) };
}

describe("trainLogisticColumns on the demo schema", () => {
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
  const data = demoTestColumns();
  const { model } = trainLogisticColumns(data, DEMO_SCHEMA);

  it("converges to scikit-learn's maximum-likelihood fit", () => {
    expect(model.intercept).toBeCloseTo(-2.80833928507501, 2);
    expect(model.coefficients.lastmonth_activity).toBeCloseTo(-6.66095818785361, 2);
    expect(model.coefficients.lastyear_activity).toBeCloseTo(3.1564433562981846, 2);
    expect(model.coefficients.number_of_employees).toBeCloseTo(-0.7854077682256229, 2);
  });

  it("predicts the same probabilities as scikit-learn, in input order", () => {
    const p = predictProbabilityColumns(model, head(data, 5));
    const expected = [2.62562092329959e-9, 0.2697346504455456, 1.4833631142328033e-9, 0.24115425021773892, 0.9823598085317692];
    p.forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThan(2e-3));
    expect(Array.from(labelsAt(p, model.hyperParameters.threshold))).toEqual([0, 0, 0, 0, 1]);
  });

  it("keeps the stored shape of a demo model: scaler and coefficients keyed by the feature names", () => {
    const features = DEMO_SCHEMA.features.map((f) => f.name);
    expect(Object.keys(model.scaler)).toEqual(features);
    expect(Object.keys(model.coefficients)).toEqual(features);
    expect(model.encoding.terms).toEqual(features);
    const xs = numericColumn(data, "number_of_employees").values;
    expect(model.scaler.number_of_employees.mean).toBeCloseTo(xs.reduce((a, b) => a + b, 0) / xs.length, 9);
  });

  it("refuses data it cannot learn from", () => {
    expect(() => trainLogisticColumns(head(data, 5), DEMO_SCHEMA)).toThrow(/at least 10/);
    expect(() => checkTrainable(50, 0)).toThrow(/both label values; all 50 rows have the negative one/);
    expect(() => checkTrainable(50, 50)).toThrow(/the positive one/);
  });

  it("keeps a constant feature out of the fit with weight 0", () => {
    const flat: DataColumns = {
      ...data,
      features: { ...data.features, number_of_employees: { type: "numeric", values: new Float64Array(data.n).fill(7), missing: new Uint8Array(data.n) } },
    };
    const m = trainLogisticColumns(flat, DEMO_SCHEMA).model;
    expect(m.coefficients.number_of_employees).toBe(0);
    expect(m.scaler.number_of_employees).toEqual({ mean: 7, std: 1 });
    expect(predictProbabilityColumns(m, flat).every((p) => p >= 0 && p <= 1)).toBe(true);
  });
});

describe("trainLogisticColumns with a categorical feature", () => {
  /*
   * 4 levels of g: "a" (the reference, 40 rows), "b" (30), "c" (20), "(missing)" (10); y = 1 in
   * 10, 20, 10, 5 of them. With one categorical only the fit is saturated: each level's
   * log-odds are its own empirical logit, so the coefficients are differences of logits:
   *   intercept = logit(10/40) = ln(1/3); b: ln(2) − ln(1/3) = ln 6; c: 0 − ln(1/3) = ln 3; (missing): 0 − ln(1/3) = ln 3.
   */
  const counts: [string, number, number][] = [
    ["a", 40, 10],
    ["b", 30, 20],
    ["c", 20, 10],
    [MISSING_LEVEL, 10, 5],
  ];
  const levels = counts.map(([level]) => level);
  const codes = counts.flatMap(([, n], code) => new Array<number>(n).fill(code));
  const label = counts.flatMap(([, n, pos]) => Array.from({ length: n }, (_, i) => (i < pos ? 1 : 0)));
  const data: DataColumns = { n: codes.length, features: { g: { type: "categorical", codes: Uint32Array.from(codes), levels } }, label: Uint8Array.from(label), time: null, maxId: 0 };
  const schema: DataSchema = { id: null, label: "y", positive: "1", negative: "0", time: null, features: [{ name: "g", type: "categorical" }] };
  const { model, fit } = trainLogisticColumns(data, schema);

  it("fits one coefficient per non-reference level, on the 0/1 scale", () => {
    expect(fit.converged).toBe(true);
    expect(model.encoding.terms).toEqual(["g=(missing)", "g=b", "g=c"]);
    expect(model.intercept).toBeCloseTo(Math.log(1 / 3), 9);
    expect(model.coefficients["g=b"]).toBeCloseTo(Math.log(6), 9);
    expect(model.coefficients["g=c"]).toBeCloseTo(Math.log(3), 9);
    expect(model.coefficients["g=(missing)"]).toBeCloseTo(Math.log(3), 9);
    expect(model.scaler["g=b"]).toEqual({ mean: 0, std: 1 });
  });

  it("gives the gradient-descent solver the same design", () => {
    const gd = trainLogisticColumns(data, schema, { ...DEFAULT_HYPER_PARAMETERS, solver: "gradient-descent", numSteps: 20_000 }).model;
    expect(gd.intercept).toBeCloseTo(model.intercept, 4);
    for (const term of model.encoding.terms) expect(gd.coefficients[term]).toBeCloseTo(model.coefficients[term], 4);
  });

  it("predicts each level's rate, an unseen level at the reference's, and counts the unseen rows", () => {
    const request: DataColumns = { n: 4, features: { g: { type: "categorical", codes: Uint32Array.of(0, 1, 2, 1), levels: ["b", "pluto", "a"] } }, label: new Uint8Array(4), time: null, maxId: 0 };
    const { probabilities, unseen } = predictColumns(model, request);
    [2 / 3, 0.25, 0.25, 0.25].forEach((p, i) => expect(probabilities[i]).toBeCloseTo(p, 9));
    expect(unseen).toEqual({ g: 2 });
  });
});
