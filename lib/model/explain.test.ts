import { describe, expect, it } from "vitest";
import { FEATURES } from "../domain";
import { contributionColumns, describeContribution, explainClient, FEATURE_LABELS } from "./explain";
import { DEFAULT_HYPER_PARAMETERS, predictProbabilities, type ModelParameters } from "./logistic";

/*
 * Hand-computable model: means 100 / 1000 / 50, SDs 10 / 200 / 5, standardised weights
 * −0.76 / 0.5 / 0.1, intercept −1.
 * Client (79, 1100, 50): z = (−2.1, 0.5, 0) → contributions (+1.596, +0.25, 0),
 * log-odds −1 + 1.846 = 0.846, p = 1 / (1 + e^−0.846).
 */
const MODEL: ModelParameters = {
  algorithm: "logistic-regression",
  hyperParameters: DEFAULT_HYPER_PARAMETERS,
  scaler: {
    lastmonth_activity: { mean: 100, std: 10 },
    lastyear_activity: { mean: 1000, std: 200 },
    number_of_employees: { mean: 50, std: 5 },
  },
  intercept: -1,
  coefficients: { lastmonth_activity: -0.76, lastyear_activity: 0.5, number_of_employees: 0.1 },
};

describe("explainClient", () => {
  const client = { corporation: "abc", lastmonth_activity: 79, lastyear_activity: 1100, number_of_employees: 50 };
  const e = explainClient(MODEL, client);

  it("splits the log-odds into per-feature contributions relative to the training average", () => {
    expect(e.baselineLogOdds).toBe(-1);
    expect(e.contributions.map((c) => c.feature)).toEqual(["lastmonth_activity", "lastyear_activity", "number_of_employees"]);
    expect(e.contributions[0].sdFromAverage).toBeCloseTo(-2.1, 12);
    expect(e.contributions[0].contribution).toBeCloseTo(1.596, 12);
    expect(e.contributions[1].contribution).toBeCloseTo(0.25, 12);
    expect(e.contributions[2].contribution).toBe(0);
    expect(e.logOdds).toBeCloseTo(0.846, 12);
    expect(e.probability).toBeCloseTo(1 / (1 + Math.exp(-0.846)), 12);
    expect(e.contributions[0].oddsFactor).toBeCloseTo(Math.exp(1.596), 12);
  });

  it("adds up to the model's own prediction", () => {
    expect(e.probability).toBeCloseTo(predictProbabilities(MODEL, [client])[0], 14);
  });

  it("words each contribution for a client manager", () => {
    expect(e.contributions.map((c) => c.sentence)).toEqual([
      "last month's activity 2.1 SD below the average: +1.6 to the log-odds of exiting",
      "last year's activity 0.5 SD above the average: +0.3 to the log-odds of exiting",
      "number of employees at the average: no change to the log-odds of exiting",
    ]);
  });

  it("sorts by absolute size, a large negative contribution first", () => {
    // employees 80: z = +6 → +0.6; last month 130: z = +3 → −2.28; last year 1000: 0
    const r = explainClient(MODEL, { lastmonth_activity: 130, lastyear_activity: 1000, number_of_employees: 80 });
    expect(r.contributions.map((c) => [c.feature, Number(c.contribution.toFixed(6))])).toEqual([
      ["lastmonth_activity", -2.28],
      ["number_of_employees", 0.6],
      ["lastyear_activity", 0],
    ]);
    expect(r.contributions[0].sentence).toBe("last month's activity 3.0 SD above the average: -2.3 to the log-odds of exiting");
  });

  it("refuses a non-finite feature value", () => {
    expect(() => explainClient(MODEL, { lastmonth_activity: NaN, lastyear_activity: 1, number_of_employees: 1 })).toThrow(/lastmonth_activity/);
  });
});

describe("describeContribution", () => {
  it("rounds to one decimal and says 'at the average' / 'no change' instead of 0.0", () => {
    expect(describeContribution("x", 0.04, 0.049)).toBe("x at the average: no change to the log-odds of exiting");
    expect(describeContribution("x", -0.06, -0.06)).toBe("x 0.1 SD below the average: -0.1 to the log-odds of exiting");
  });

  it("has a label for every feature", () => {
    expect(Object.keys(FEATURE_LABELS).sort()).toEqual([...FEATURES].sort());
  });
});

describe("contributionColumns", () => {
  it("gives the same numbers as explainClient, column-wise", () => {
    const x = {
      lastmonth_activity: Float64Array.of(79, 130),
      lastyear_activity: Float64Array.of(1100, 1000),
      number_of_employees: Float64Array.of(50, 80),
    };
    const cols = contributionColumns(MODEL, { n: 2, x });
    for (let i = 0; i < 2; i++) {
      const e = explainClient(MODEL, { lastmonth_activity: x.lastmonth_activity[i], lastyear_activity: x.lastyear_activity[i], number_of_employees: x.number_of_employees[i] });
      for (const c of e.contributions) expect(cols[c.feature][i]).toBe(c.contribution);
    }
  });
});
