import { describe, expect, it } from "vitest";
import type { DataColumns, FeatureColumn } from "../schema/columns";
import { MISSING_LEVEL, OTHER_LEVEL, type DataSchema } from "../schema/types";
import { designOf, fitEncoding, legacyEncoding, levelIndex, MIN_LEVEL_COUNT, REFERENCE, termScaler, UNSEEN, type CategoricalEncoding } from "./encoding";

/*
 * Hand-made cases of the encoding rules (lib/model/encoding.ts). The same rules on the committed
 * wide data against pandas/statsmodels (data/golden/encoding_golden.py) are pinned in
 * coefficients.test.ts, where the design is fitted too.
 */

type Cells = readonly number[] | readonly string[];

/** Columns from cells; a categorical column's dictionary is in first-seen order (or `levels` when given). */
function columnsOf(spec: Record<string, Cells>, levels: Record<string, string[]> = {}): DataColumns {
  const n = Object.values(spec)[0].length;
  const features: Record<string, FeatureColumn> = {};
  for (const [name, cells] of Object.entries(spec)) {
    if (typeof cells[0] === "number") {
      features[name] = { type: "numeric", values: Float64Array.from(cells as number[]), missing: new Uint8Array(n) };
      continue;
    }
    const dictionary = [...(levels[name] ?? [])];
    const codes = Uint32Array.from(cells as string[], (c) => (dictionary.includes(c) ? dictionary.indexOf(c) : dictionary.push(c) - 1));
    features[name] = { type: "categorical", codes, levels: dictionary };
  }
  return { n, features, label: new Uint8Array(n), time: null, maxId: 0 };
}

function schemaOf(spec: Record<string, Cells>): DataSchema {
  const features = Object.entries(spec).map(([name, cells]) =>
    typeof cells[0] === "number" ? { name, type: "numeric" as const, min: null, max: null } : { name, type: "categorical" as const },
  );
  return { id: null, label: "y", positive: "1", negative: "0", time: null, features };
}

/** `level` repeated `times` times. */
const rep = (level: string, times: number) => new Array<string>(times).fill(level);

/** Every row of a design as { term: value } (zeros left out). */
function rowsOf(d: ReturnType<typeof designOf>, terms: readonly string[]): Record<string, number>[] {
  const idx = new Int32Array(d.k);
  const val = new Float64Array(d.k);
  return Array.from({ length: d.n }, (_, i) => {
    const m = d.row(i, idx, val);
    return Object.fromEntries(Array.from({ length: m }, (_, a) => [terms[idx[a]], val[a]]));
  });
}

describe("fitEncoding: numeric features", () => {
  it("standardises with the training mean and sample SD, one term named as the feature", () => {
    // python3 -c "import numpy as np; x=np.array([1,2,3,4,10.]); print(x.mean(), x.std(ddof=1))" -> 4.0 3.5355339059327378
    const spec = { x: [1, 2, 3, 4, 10] };
    const enc = fitEncoding(schemaOf(spec), columnsOf(spec));
    expect(enc.terms).toEqual(["x"]);
    expect(enc.features[0]).toEqual({ feature: "x", type: "numeric", mean: 4, std: 3.5355339059327378 });
    expect(termScaler(enc)).toEqual({ x: { mean: 4, std: 3.5355339059327378 } });
  });

  it("gives a constant column SD 1 and its own value as the mean, so its z is exactly 0", () => {
    const spec = { x: [0.1, 0.1, 0.1] };
    const cols = columnsOf(spec);
    const enc = fitEncoding(schemaOf(spec), cols);
    expect(enc.features[0]).toMatchObject({ mean: 0.1, std: 1 });
    expect(rowsOf(designOf(enc, cols), enc.terms)).toEqual([{ x: 0 }, { x: 0 }, { x: 0 }]);
  });

  it("refuses to fit on no rows", () => {
    const spec = { x: [] as number[] };
    expect(() => fitEncoding(schemaOf({ x: [1] }), columnsOf(spec))).toThrow(/there are none/);
  });
});

describe("fitEncoding: categorical features", () => {
  // counts: b 4, a 4, c 2, (missing) 1 → reference a (tie with b: the smaller text)
  const spec = { region: [...rep("b", 4), ...rep("a", 4), ...rep("c", 2), MISSING_LEVEL] };

  it("drops the most frequent level (ties: the smaller text) and makes a sorted 0/1 term of each other level", () => {
    const enc = fitEncoding(schemaOf(spec), columnsOf(spec), { minLevelCount: 1 });
    expect(enc.features[0]).toEqual({ feature: "region", type: "categorical", reference: "a", levels: [MISSING_LEVEL, "b", "c"], pooled: [] });
    expect(enc.terms).toEqual(["region=(missing)", "region=b", "region=c"]);
    expect(termScaler(enc)["region=b"]).toEqual({ mean: 0, std: 1 });
  });

  it(`pools levels seen fewer than minLevelCount (default ${MIN_LEVEL_COUNT}) times into "(other)", only when one is`, () => {
    const enc = fitEncoding(schemaOf(spec), columnsOf(spec), { minLevelCount: 3 });
    expect(enc.features[0]).toMatchObject({ reference: "a", levels: [OTHER_LEVEL, "b"], pooled: [MISSING_LEVEL, "c"] });
    const big = { region: [...rep("x", 12), ...rep("y", 10)] };
    expect(fitEncoding(schemaOf(big), columnsOf(big)).features[0]).toMatchObject({ reference: "x", levels: ["y"], pooled: [] });
  });

  it('makes "(other)" the reference when the pooled levels together are the most frequent', () => {
    const rare = { g: ["p", "q", "r", "s", "t", "u", "v", "w", "x", "y", "z", "k", ...rep("big", 10)] };
    const enc = fitEncoding(schemaOf(rare), columnsOf(rare)).features[0] as CategoricalEncoding;
    expect(enc).toMatchObject({ reference: OTHER_LEVEL, levels: ["big"] });
    expect(levelIndex(enc, "q")).toBe(REFERENCE);
    expect(levelIndex(enc, "big")).toBe(0);
  });

  it("counts only the training rows' levels, not every dictionary entry, and compares text as is (007 ≠ 7)", () => {
    const s = { code: [...rep("007", 3), ...rep("7", 2)] };
    const cols = columnsOf(s, { code: ["never", "7", "007"] });
    expect(fitEncoding(schemaOf(s), cols, { minLevelCount: 1 }).features[0]).toMatchObject({ reference: "007", levels: ["7"] });
  });

  it("orders terms by the schema's features, each categorical's dummies sorted by code point", () => {
    const s = { n1: [1, 2, 3, 4], c: ["b", "B", "a", "b"], n2: [5, 6, 7, 9] };
    expect(fitEncoding(schemaOf(s), columnsOf(s), { minLevelCount: 1 }).terms).toEqual(["n1", "c=B", "c=a", "n2"]);
  });
});

describe("designOf", () => {
  const train = { x: [1, 2, 3, 4, 10], region: ["a", "a", "b", "c", "a"] };
  const enc = fitEncoding(schemaOf(train), columnsOf(train), { minLevelCount: 1 });
  const sd = 3.5355339059327378;

  it("writes the standardised numerics and the one dummy of each level (none at the reference)", () => {
    const d = designOf(enc, columnsOf(train));
    expect(d.k).toBe(3);
    expect(rowsOf(d, enc.terms)).toEqual([
      { x: -3 / sd },
      { x: -2 / sd },
      { x: -1 / sd, "region=b": 1 },
      { x: 0, "region=c": 1 },
      { x: 6 / sd },
    ]);
    expect(d.unseen).toEqual({});
  });

  it("reads a request's own dictionary, and counts rows with unseen levels (all-zero dummies) per feature", () => {
    const request = { x: [4, 4, 4, 4], region: ["c", "mars", MISSING_LEVEL, "mars"] };
    const d = designOf(enc, columnsOf(request, { region: ["zzz", "b", "mars"] }));
    expect(rowsOf(d, enc.terms)).toEqual([{ x: 0, "region=c": 1 }, { x: 0 }, { x: 0 }, { x: 0 }]);
    expect(d.unseen).toEqual({ region: 3 });
    const e = enc.features[1] as CategoricalEncoding;
    expect([levelIndex(e, "a"), levelIndex(e, "b"), levelIndex(e, "mars"), levelIndex(e, MISSING_LEVEL)]).toEqual([REFERENCE, 0, UNSEEN, UNSEEN]);
  });

  it('maps a level pooled at training to the "(other)" dummy', () => {
    const s = { g: [...rep("common", 12), ...rep("mid", 11), "rare1", "rare2"] };
    const pooledEnc = fitEncoding(schemaOf(s), columnsOf(s));
    expect(pooledEnc.terms).toEqual(["g=(other)", "g=mid"]);
    const d = designOf(pooledEnc, columnsOf({ g: ["rare2", "common", "mid", OTHER_LEVEL] }));
    expect(rowsOf(d, pooledEnc.terms)).toEqual([{ "g=(other)": 1 }, {}, { "g=mid": 1 }, { "g=(other)": 1 }]);
    expect(d.unseen).toEqual({});
  });

  it("refuses columns without a feature of the encoding, or with another type", () => {
    expect(() => designOf(enc, columnsOf({ x: [1] }))).toThrow(/region/);
    expect(() => designOf(enc, columnsOf({ x: [1], region: [2] }))).toThrow(/categorical column "region"/);
  });
});

describe("legacyEncoding", () => {
  it("reads a pre-encoding version's scaler as numeric features, in its order", () => {
    const enc = legacyEncoding({ b: { mean: 1, std: 2 }, a: { mean: 3, std: 4 } });
    expect(enc).toEqual({
      features: [
        { feature: "b", type: "numeric", mean: 1, std: 2 },
        { feature: "a", type: "numeric", mean: 3, std: 4 },
      ],
      terms: ["b", "a"],
    });
  });
});
