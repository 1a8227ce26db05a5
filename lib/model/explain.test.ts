import { describe, expect, it } from "vitest";
import type { DataColumns } from "../schema/columns";
import { describeContribution, describeLevel, explainClient, explainRows, contributionColumns, type NumericContribution } from "./explain";
import { legacyEncoding, UNSEEN, type Encoding } from "./encoding";
import { DEFAULT_HYPER_PARAMETERS, predictProbabilityColumns, type ModelParameters } from "./logistic";

/*
 * Hand-computable model: means 100 / 1000 / 50, SDs 10 / 200 / 5, standardised weights
 * −0.76 / 0.5 / 0.1, intercept −1.
 * Client (79, 1100, 50): z = (−2.1, 0.5, 0) → contributions (+1.596, +0.25, 0),
 * log-odds −1 + 1.846 = 0.846, p = 1 / (1 + e^−0.846).
 */
const SCALER = {
  lastmonth_activity: { mean: 100, std: 10 },
  lastyear_activity: { mean: 1000, std: 200 },
  number_of_employees: { mean: 50, std: 5 },
};
const MODEL: ModelParameters = {
  algorithm: "logistic-regression",
  hyperParameters: DEFAULT_HYPER_PARAMETERS,
  scaler: SCALER,
  intercept: -1,
  coefficients: { lastmonth_activity: -0.76, lastyear_activity: 0.5, number_of_employees: 0.1 },
  encoding: legacyEncoding(SCALER),
};
/** How the demo's client managers read its features and label. */
const DEMO_WORDING = {
  labels: { lastmonth_activity: "last month's activity", lastyear_activity: "last year's activity", number_of_employees: "number of employees" },
  outcome: "exiting",
};

/** Columns of numeric rows [lastmonth, lastyear, employees]. */
function clients(...rows: number[][]): DataColumns {
  const n = rows.length;
  const column = (j: number) => ({ type: "numeric" as const, values: Float64Array.from(rows, (r) => r[j]), missing: new Uint8Array(n) });
  return { n, features: { lastmonth_activity: column(0), lastyear_activity: column(1), number_of_employees: column(2) }, label: new Uint8Array(n), time: null, maxId: 0 };
}

describe("explainClient: numeric features", () => {
  const client = clients([79, 1100, 50]);
  const e = explainClient(MODEL, client, DEMO_WORDING);
  const numeric = e.contributions as NumericContribution[];

  it("splits the log-odds into per-feature contributions relative to the training average", () => {
    expect(e.baselineLogOdds).toBe(-1);
    expect(e.contributions.map((c) => c.feature)).toEqual(["lastmonth_activity", "lastyear_activity", "number_of_employees"]);
    expect(numeric[0].sdFromAverage).toBeCloseTo(-2.1, 12);
    expect(numeric[0]).toMatchObject({ type: "numeric", value: 79, average: 100 });
    expect(e.contributions[0].contribution).toBeCloseTo(1.596, 12);
    expect(e.contributions[1].contribution).toBeCloseTo(0.25, 12);
    expect(e.contributions[2].contribution).toBe(0);
    expect(e.logOdds).toBeCloseTo(0.846, 12);
    expect(e.probability).toBeCloseTo(1 / (1 + Math.exp(-0.846)), 12);
    expect(e.contributions[0].oddsFactor).toBeCloseTo(Math.exp(1.596), 12);
  });

  it("adds up to the model's own prediction", () => {
    expect(e.probability).toBeCloseTo(predictProbabilityColumns(MODEL, client)[0], 14);
  });

  it("words each contribution for a client manager", () => {
    expect(e.contributions.map((c) => c.sentence)).toEqual([
      "last month's activity 2.1 SD below the average: +1.6 to the log-odds of exiting",
      "last year's activity 0.5 SD above the average: +0.3 to the log-odds of exiting",
      "number of employees at the average: no change to the log-odds of exiting",
    ]);
    expect(explainClient(MODEL, client).contributions[0].sentence).toBe("lastmonth_activity 2.1 SD below the average: +1.6 to the log-odds");
  });

  it("sorts by absolute size, a large negative contribution first", () => {
    // employees 80: z = +6 → +0.6; last month 130: z = +3 → −2.28; last year 1000: 0
    const r = explainClient(MODEL, clients([79, 1100, 50], [130, 1000, 80]), { ...DEMO_WORDING, row: 1 });
    expect(r.contributions.map((c) => [c.feature, Number(c.contribution.toFixed(6))])).toEqual([
      ["lastmonth_activity", -2.28],
      ["number_of_employees", 0.6],
      ["lastyear_activity", 0],
    ]);
    expect(r.contributions[0].sentence).toBe("last month's activity 3.0 SD above the average: -2.3 to the log-odds of exiting");
  });

  it("refuses a non-finite feature value", () => {
    expect(() => explainClient(MODEL, clients([NaN, 1, 1]))).toThrow(/lastmonth_activity/);
  });
});

describe("explainClient: categorical features", () => {
  /*
   * region: reference "south"; dummies (other) +0.2, north +0.8, west −0.35; "east" was rare at
   * training (pooled into "(other)"). tenure: mean 24, SD 12, weight −0.5.
   */
  const encoding: Encoding = {
    features: [
      { feature: "tenure", type: "numeric", mean: 24, std: 12 },
      { feature: "region", type: "categorical", reference: "south", levels: ["(other)", "north", "west"], pooled: ["east"] },
    ],
    terms: ["tenure", "region=(other)", "region=north", "region=west"],
  };
  const model: ModelParameters = {
    ...MODEL,
    scaler: { tenure: { mean: 24, std: 12 }, "region=(other)": { mean: 0, std: 1 }, "region=north": { mean: 0, std: 1 }, "region=west": { mean: 0, std: 1 } },
    intercept: -0.5,
    coefficients: { tenure: -0.5, "region=(other)": 0.2, "region=north": 0.8, "region=west": -0.35 },
    encoding,
  };
  // the request's own dictionary, in its own order
  const rows: DataColumns = {
    n: 4,
    features: {
      tenure: { type: "numeric", values: Float64Array.of(24, 24, 36, 24), missing: new Uint8Array(4) },
      region: { type: "categorical", codes: Uint32Array.of(0, 1, 2, 3), levels: ["north", "south", "east", "mars"] },
    },
    label: new Uint8Array(4),
    time: null,
    maxId: 0,
  };
  const all = explainRows(model, rows);

  it("reads the row's level against the reference, a pooled level as (other), an unseen one as nothing", () => {
    expect(all.map((e) => e.contributions.find((c) => c.feature === "region")!.sentence)).toEqual([
      "region = north, against the usual south: +0.8 to the log-odds",
      "region = south, the usual level: no change to the log-odds",
      "region = east (rare in training, counted as (other)), against the usual south: +0.2 to the log-odds",
      "region = mars was never seen in training: no contribution",
    ]);
    expect(all[2].contributions.find((c) => c.feature === "region")).toMatchObject({ type: "categorical", level: "east", reference: "south", term: "region=(other)", unseen: false });
    expect(all[3].contributions.find((c) => c.feature === "region")).toMatchObject({ term: null, unseen: true, contribution: 0 });
  });

  it("adds up to the model's own prediction, row by row, and ranks the features", () => {
    const p = predictProbabilityColumns(model, rows);
    all.forEach((e, i) => expect(e.probability).toBeCloseTo(p[i], 14));
    expect(all[2].contributions.map((c) => [c.feature, c.contribution])).toEqual([
      ["tenure", -0.5],
      ["region", 0.2],
    ]);
  });

  it("gives the same numbers column-wise (contributionColumns)", () => {
    const cols = contributionColumns(model, rows);
    all.forEach((e, i) => e.contributions.forEach((c) => expect(cols[c.feature][i]).toBe(c.contribution)));
  });
});

describe("describeContribution / describeLevel", () => {
  it("rounds to one decimal and says 'at the average' / 'no change' instead of 0.0", () => {
    expect(describeContribution("x", 0.04, 0.049)).toBe("x at the average: no change to the log-odds");
    expect(describeContribution("x", -0.06, -0.06, "exiting")).toBe("x 0.1 SD below the average: -0.1 to the log-odds of exiting");
  });

  it("words a level", () => {
    expect(describeLevel("plan", "gold", { reference: "basic", index: 0, pooled: false }, -0.04, "churning")).toBe(
      "plan = gold, against the usual basic: no change to the log-odds of churning",
    );
    expect(describeLevel("plan", "x", { reference: "basic", index: UNSEEN, pooled: false }, 0)).toBe("plan = x was never seen in training: no contribution");
  });
});

describe("contributionColumns", () => {
  it("gives the same numbers as explainClient, column-wise", () => {
    const data = clients([79, 1100, 50], [130, 1000, 80]);
    const cols = contributionColumns(MODEL, data);
    for (let i = 0; i < 2; i++) {
      for (const c of explainClient(MODEL, data, { row: i }).contributions) expect(cols[c.feature][i]).toBe(c.contribution);
    }
  });
});
