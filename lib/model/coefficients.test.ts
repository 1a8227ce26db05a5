import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { numericColumn, type DataColumns, type FeatureColumn } from "../schema/columns";
import { MISSING_LEVEL, type DataSchema } from "../schema/types";
import { createRng } from "../stats/random";
import { DEMO_SCHEMA } from "../testing/demo-schema";
import { coefficientTable, informationAt, invertSpd, type CoefficientRow } from "./coefficients";
import { designOf, type CategoricalEncoding, type NumericEncoding } from "./encoding";
import { trainLogisticColumns } from "./logistic";

const FEATURES = DEMO_SCHEMA.features.map((f) => f.name);

/*
 * Golden values from statsmodels 0.13.5 / scipy 1.10.1 (Debian python3-statsmodels), printed by
 *
 *   /usr/bin/python3 data/golden/coefficients_golden.py
 *
 * which rebuilds goldenClients(99, 500) from the same Mulberry32 stream and fits
 *   sm.Logit(y, sm.add_constant(X)).fit(method="newton", tol=1e-14, maxiter=100, disp=0)
 * on the raw columns (original) and on Z = (X − mean) / sd(ddof=1) (standardised), printing
 * params, bse, tvalues, pvalues, conf_int() (95 %) and exp(params). Order: const, lastmonth,
 * lastyear, employees.
 */
function goldenClients(seed: number, n: number): DataColumns {
  const r = createRng(seed);
  const x = { lastmonth_activity: new Float64Array(n), lastyear_activity: new Float64Array(n), number_of_employees: new Float64Array(n) };
  const exited = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const lm = Math.floor(r() * 1000);
    const ly = Math.floor(lm * 3 + r() * 2000);
    const ne = Math.floor(1 + r() * 300);
    const eta = 1.0 - 0.004 * lm + 0.0006 * ly - 0.003 * ne;
    const p = 1 / (1 + Math.exp(-eta));
    x.lastmonth_activity[i] = lm;
    x.lastyear_activity[i] = ly;
    x.number_of_employees[i] = ne;
    exited[i] = r() < p ? 1 : 0;
  }
  const column = (values: Float64Array) => ({ type: "numeric" as const, values, missing: new Uint8Array(n) });
  return { n, features: { lastmonth_activity: column(x.lastmonth_activity), lastyear_activity: column(x.lastyear_activity), number_of_employees: column(x.number_of_employees) }, label: exited, time: null, maxId: 0 };
}

const STATSMODELS = {
  original: {
    params: [1.204587063650282, -0.004957807107416706, 0.0007618070961102954, -0.0028739565339846456],
    bse: [0.3327618625710592, 0.000669578001810882, 0.00017291544529330152, 0.0011393788395147935],
    z: [3.6199673073805143, -7.4043757321899095, 4.405662517990269, -2.5223888967505532],
    pvalues: [0.00029464024051232337, 1.317688527115863e-13, 1.0546104804322065e-5, 0.011656076462436134],
    ciLower: [0.5523857975825389, -0.00627015587580633, 0.0004228990509647184, -0.005107098024180683],
    ciUpper: [1.8567883297180252, -0.003645458339027082, 0.0011007151412558724, -0.000640815043788608],
    oddsRatio: [3.335381493400796, 0.9950544625330291, 1.000762097344836, 0.9971301693256349],
  },
  standardised: {
    params: [0.16909563643551787, -1.3610609828623066, 0.7461571927910441, -0.24908363949421505],
    bse: [0.09790584214121828, 0.18381846520095038, 0.16936322056992728, 0.09874910241441945],
    z: [1.7271250901617927, -7.4043757321898775, 4.405662517990251, -2.522388896750555],
    pvalues: [0.08414520044806899, 1.317688527116187e-13, 1.0546104804322944e-5, 0.011656076462436079],
    ciLower: [-0.022796288037333856, -1.7213385543495985, 0.41421138016827336, -0.44262832373213445],
    ciUpper: [0.3609875609083696, -1.0007834113750147, 1.0781030054138148, -0.05553895525629565],
    oddsRatio: [1.184233389368629, 0.2563886086762521, 2.1088804047309817, 0.7795147724367515],
  },
};

/** |a − b| ≤ tol·|b|: relative, so that p-values of 1e-13 and coefficients of 1e-4 are held to 1e-6 too. */
function expectClose(actual: number, expected: number, tol = 1e-6): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tol * Math.abs(expected));
}

describe("coefficientTable vs statsmodels Logit", () => {
  const data = goldenClients(99, 500);
  const { model, fit } = trainLogisticColumns(data, DEMO_SCHEMA);
  const table = coefficientTable(model, data);

  it("rebuilds the golden data set", () => {
    expect(data.label.reduce((s, v) => s + v, 0)).toBe(267);
    expect(fit.converged).toBe(true);
    expect(table.gradientMax).toBeLessThan(1e-10);
  });

  const check = (rows: CoefficientRow[], g: (typeof STATSMODELS)["original"]) => {
    expect(rows.map((r) => r.term)).toEqual(["intercept", ...FEATURES]);
    rows.forEach((r, i) => {
      // relative 1e-6 on every number, p-values included (down to 1e-13)
      expectClose(r.estimate, g.params[i]);
      expectClose(r.standardError, g.bse[i]);
      expectClose(r.z, g.z[i]);
      expectClose(r.pValue, g.pvalues[i]);
      expectClose(r.ciLower, g.ciLower[i]);
      expectClose(r.ciUpper, g.ciUpper[i]);
      expectClose(r.oddsRatio, g.oddsRatio[i]);
      expectClose(r.oddsRatioLower, Math.exp(g.ciLower[i]));
      expectClose(r.oddsRatioUpper, Math.exp(g.ciUpper[i]));
      expect(r.estimable).toBe(true);
    });
  };

  it("original scale: params, bse, z, p-values, conf_int() and odds ratios to 1e-6", () => check(table.original, STATSMODELS.original));
  it("standardised scale: the same on the z-scored columns (sample SD)", () => check(table.standardised, STATSMODELS.standardised));

  it("z and p of a feature do not depend on the scale", () => {
    for (let j = 1; j <= 3; j++) {
      expect(table.original[j].z).toBeCloseTo(table.standardised[j].z, 8);
      expect(table.original[j].pValue / table.standardised[j].pValue).toBeCloseTo(1, 8);
    }
  });

  it("gives the same information matrix whatever the chunk size", () => {
    const d = designOf(model.encoding, data);
    const w = [model.intercept, ...FEATURES.map((f) => model.coefficients[f])];
    const a = informationAt(d, data.label, w, 1 << 20).information;
    const b = informationAt(d, data.label, w, 7).information;
    a.forEach((v, i) => expect(b[i]).toBeCloseTo(v, 9));
  });

  it("widens the interval for a higher level (99 %: z = 2.5758293035489004, scipy norm.ppf(0.995))", () => {
    const t99 = coefficientTable(model, data, { level: 0.99 });
    const r = t99.standardised[1];
    expectClose(r.ciUpper - r.estimate, 2.5758293035489004 * r.standardError, 1e-12);
  });
});

describe("coefficientTable edge cases", () => {
  it("marks a feature constant in training as not estimable (NaN statistics) and keeps the others", () => {
    const data = goldenClients(99, 500);
    numericColumn(data, "number_of_employees").values.fill(42);
    const { model } = trainLogisticColumns(data, DEMO_SCHEMA);
    const t = coefficientTable(model, data);
    const emp = t.original[3];
    expect(emp).toMatchObject({ term: "number_of_employees", estimate: 0, estimable: false, oddsRatio: 1 });
    expect(emp.standardError).toBeNaN();
    expect(t.original[1].estimable).toBe(true);
    expect(t.original[1].standardError).toBeGreaterThan(0);
  });

  it("gives the same table from Newton's last pass as from its own pass over the rows", () => {
    const data = goldenClients(99, 500);
    const { model, atFit } = trainLogisticColumns(data, DEMO_SCHEMA);
    const own = coefficientTable(model, data);
    const reused = coefficientTable(model, data, { atFit });
    own.original.forEach((row, j) => {
      expect(reused.original[j].estimate).toBe(row.estimate);
      expect(reused.original[j].standardError).toBeCloseTo(row.standardError, 12);
    });
  });

  it("refuses a singular information matrix with a clear error", () => {
    const data = goldenClients(99, 500);
    const lastYear = numericColumn(data, "lastyear_activity").values;
    lastYear.set(numericColumn(data, "lastmonth_activity").values.map((v) => 2 * v + 1));
    const nudged = { type: "numeric" as const, values: lastYear.map((v, i) => v + (i % 2) * 1e-3), missing: new Uint8Array(data.n) };
    const { model } = trainLogisticColumns({ ...data, features: { ...data.features, lastyear_activity: nudged } }, DEMO_SCHEMA);
    expect(() => coefficientTable(model, data)).toThrow(/singular/);
  });

  it("inverts a symmetric positive-definite matrix", () => {
    // python3 -c "import numpy as np; print(np.linalg.inv([[4,2,0],[2,3,1],[0,1,2]]) * 12)" -> [[5,-4,2],[-4,8,-4],[2,-4,8]]
    const inv = invertSpd([4, 2, 0, 2, 3, 1, 0, 1, 2], 3)!;
    [5, -4, 2, -4, 8, -4, 2, -4, 8].forEach((v, i) => expect(inv[i] * 12).toBeCloseTo(v, 12));
    expect(invertSpd([1, 1, 1, 1], 2)).toBeNull();
  });
});

/*
 * A schema with numeric and categorical features, against statsmodels: the committed wide data
 * (data/wide: 8 numeric and 4 categorical features, empty cells, rare levels, duplicates)
 * encoded by the rules of lib/model/encoding.ts and fitted on the raw design by
 *
 *   /usr/bin/python3 data/golden/encoding_golden.py
 *
 * (statsmodels 0.13.5, pandas 1.5.3: sm.Logit(y, sm.add_constant(X)).fit(method="newton",
 * tol=1e-12)), which wrote data/golden/encoding_golden.json. The rows are read here as that
 * script reads them: the source files in name order, every cell as text, exact duplicate lines
 * dropped (the first kept), an empty numeric cell imputed with the mean of the present values
 * (as storage does), an empty categorical cell the level "(missing)".
 */
const WIDE = path.join(__dirname, "../../data/wide");

interface Golden {
  data: { n: number; positives: number };
  numeric: Record<string, { mean: number; missing: number }>;
  categorical: Record<string, { reference: string; kept: string[]; pooled: string[] }>;
  columns: string[];
  terms: { term: string; estimate: number; stdError: number; z: number; pValue: number; ciLower: number; ciUpper: number; oddsRatio: number }[];
}

function wideSchema(): DataSchema {
  const file = JSON.parse(fs.readFileSync(path.join(WIDE, "schema.json"), "utf8"));
  const features = Object.entries(file.features as Record<string, string | { type: string }>).map(([name, spec]) =>
    (typeof spec === "string" ? spec : spec.type) === "numeric" ? { name, type: "numeric" as const, min: null, max: null } : { name, type: "categorical" as const },
  );
  return { id: file.id, label: file.label, positive: file.positive, negative: file.negative, time: null, features };
}

function wideColumn(cells: readonly string[], type: "numeric" | "categorical"): FeatureColumn {
  if (type === "categorical") {
    const dictionary = new Map<string, number>();
    const codes = Uint32Array.from(cells, (c) => {
      const level = c === "" ? MISSING_LEVEL : c;
      if (!dictionary.has(level)) dictionary.set(level, dictionary.size);
      return dictionary.get(level)!;
    });
    return { type, codes, levels: [...dictionary.keys()] };
  }
  const missing = Uint8Array.from(cells, (c) => (c === "" ? 1 : 0));
  const present = cells.filter((c) => c !== "").map(Number);
  const mean = present.reduce((a, b) => a + b, 0) / present.length;
  return { type, values: Float64Array.from(cells, (c) => (c === "" ? mean : Number(c))), missing };
}

function wideColumns(schema: DataSchema): DataColumns {
  const files = fs.readdirSync(WIDE).filter((f) => /^wide_.*\.csv$/.test(f)).sort();
  const seen = new Set<string>();
  let header: string[] = [];
  const records: string[][] = [];
  for (const file of files) {
    const [first, ...lines] = fs.readFileSync(path.join(WIDE, file), "utf8").trimEnd().split("\n");
    header = first.split(",");
    for (const line of lines) if (!seen.has(line)) seen.add(line), records.push(line.split(","));
  }
  const at = (name: string) => records.map((r) => r[header.indexOf(name)]);
  const features = Object.fromEntries(schema.features.map((f) => [f.name, wideColumn(at(f.name), f.type)]));
  const label = Uint8Array.from(at(schema.label), (c) => (c === schema.positive ? 1 : 0));
  return { n: records.length, features, label, time: null, maxId: 0 };
}

describe("coefficientTable vs statsmodels on a schema with categorical features (data/wide)", () => {
  const golden = JSON.parse(fs.readFileSync(path.join(__dirname, "../../data/golden/encoding_golden.json"), "utf8")) as Golden;
  const schema = wideSchema();
  const data = wideColumns(schema);
  const { model, fit } = trainLogisticColumns(data, schema);
  const table = coefficientTable(model, data);

  it("reads the same rows and builds the same design", () => {
    expect([data.n, data.label.reduce((s, v) => s + v, 0)]).toEqual([golden.data.n, golden.data.positives]);
    expect(model.encoding.terms).toEqual(golden.columns);
    for (const f of model.encoding.features) {
      if (f.type === "categorical") {
        const g = golden.categorical[f.feature];
        expect([f.feature, f.reference, f.levels, f.pooled]).toEqual([f.feature, g.reference, g.kept, g.pooled]);
      } else {
        expectClose((f as NumericEncoding).mean, golden.numeric[f.feature].mean, 1e-12);
      }
    }
    expect(model.encoding.features.filter((f): f is CategoricalEncoding => f.type === "categorical").some((f) => f.pooled.length > 0)).toBe(true);
  });

  it("original scale: estimates, standard errors, z, p-values, intervals and odds ratios to 1e-6 relative", () => {
    expect(fit.converged).toBe(true);
    expect(table.gradientMax).toBeLessThan(1e-10);
    expect(table.original.map((r) => r.term)).toEqual(golden.terms.map((g) => (g.term === "(intercept)" ? "intercept" : g.term)));
    table.original.forEach((r, i) => {
      const g = golden.terms[i];
      expectClose(r.estimate, g.estimate);
      expectClose(r.standardError, g.stdError);
      expectClose(r.z, g.z);
      expectClose(r.pValue, g.pValue);
      expectClose(r.ciLower, g.ciLower);
      expectClose(r.ciUpper, g.ciUpper);
      expectClose(r.oddsRatio, g.oddsRatio);
    });
  });

  it("leaves a dummy on its 0/1 scale: its standardised row is its original row", () => {
    table.original.forEach((r, i) => {
      if (!r.term.includes("=")) return;
      expectClose(table.standardised[i].estimate, r.estimate, 1e-12);
      expectClose(table.standardised[i].standardError, r.standardError, 1e-9);
    });
  });
});
