import { describe, expect, it } from "vitest";
import { shapeScoreHistory } from "@/components/scores/shape-score-history";
import { splitReason } from "@/components/runs/reason-list";
import { niceTicks, tickFormatter } from "@/components/ui/chart-utils";
import type { ScoreEntry } from "@/lib/queries/types";

/* The pure shaping behind the dashboard's charts (the components only draw what these return). */

const score = (id: number, f1: number, modelVersion: number, createdAt: string, extra: Partial<ScoreEntry> = {}): ScoreEntry => ({
  id,
  f1,
  modelVersion,
  modelVersionId: modelVersion,
  precision: 0,
  recall: 0,
  accuracy: 0,
  dataset: "testdata.csv",
  kind: "test",
  runId: null,
  rows: 500,
  createdAt,
  ranking: null,
  ...extra,
});

describe("shapeScoreHistory", () => {
  const scores = [
    score(1, 0.7, 1, "2026-01-01T00:00:00.000Z"),
    score(2, 0.72, 1, "2026-01-02T00:00:00.000Z"),
    score(3, 0.74, 2, "2026-01-03T00:00:00.000Z"),
    score(4, 0.5, 2, "2026-01-04T00:00:00.000Z", { kind: "new-data", runId: 7 }),
    score(5, 0.9, 3, "2026-01-05T00:00:00.000Z"), // never deployed
  ];
  const deployments = [
    { modelVersion: 1, deployedAt: "2026-01-01T00:00:01.000Z", reason: "first" },
    { modelVersion: 2, deployedAt: "2026-01-03T00:00:01.000Z", reason: "better" },
  ];

  it("keeps the deployed models' scores, with the band (sample SD) and the IQR fence", () => {
    const s = shapeScoreHistory(scores, { deployments, drift: [], kind: "all" });
    expect(s.points.map((p) => p.f1)).toEqual([0.7, 0.72, 0.74, 0.5]);
    expect(s.excluded).toBe(1);
    // mean 0.665; sample SD: python3 -c "import statistics as s; print(s.stdev([.7,.72,.74,.5]))" → 0.11120551545074851
    expect(s.band?.mean).toBeCloseTo(0.665, 12);
    expect(s.band?.sd).toBeCloseTo(0.11120551545074851, 12);
    // type-7 quartiles: Q1 = 0.65, Q3 = 0.725 → fence 0.65 − 1.5·0.075 = 0.5375
    expect(s.fence?.value).toBeCloseTo(0.5375, 12);
  });

  it("puts each deployment on the test score it went live with and marks drifted runs' scores", () => {
    const drift = [
      { id: 1, runId: 7, createdAt: "2026-01-04T00:00:01.000Z", modelVersion: 2, modelVersionId: 2, newScore: 0.5, score: { latest: { drifted: true, threshold: 0.74, status: "drift" as const, inTrigger: true } }, features: {}, triggered: true, trigger: ["latest" as const], fired: ["latest" as const], history: [], ttest: null, gate: null },
    ];
    const s = shapeScoreHistory(scores, { deployments, drift, kind: "all" });
    // v1 went live after its newest test score before the deployment (#1, not #2 of 01-02); v2 with #3
    expect(s.deployments.map((d) => d.n)).toEqual([1, 3]);
    // a rollback to v1 sits on v1's score again; a version only scored after going live, on that first score
    const later = shapeScoreHistory([...scores, score(6, 0.8, 4, "2026-01-07T00:00:00.000Z")], {
      deployments: [...deployments, { modelVersion: 1, deployedAt: "2026-01-06T00:00:00.000Z", reason: "rollback" }, { modelVersion: 4, deployedAt: "2026-01-06T12:00:00.000Z", reason: "first scored later" }],
      drift,
      kind: "all",
    });
    expect(later.deployments.map((d) => [d.modelVersion, d.n])).toEqual([[1, 1], [2, 3], [1, 2], [4, 5]]);
    // without the test scores (kind new-data) the markers go between the scores around them (two in one gap: spread)
    expect(shapeScoreHistory(scores, { deployments, drift, kind: "new-data" }).deployments.map((d) => d.n)).toEqual([0.2, 0.8]);
    expect(s.points.filter((p) => p.driftF1 != null).map((p) => p.n)).toEqual([4]);
  });

  it("filters by kind and has no band with fewer than two scores", () => {
    const s = shapeScoreHistory(scores, { deployments, drift: [], kind: "new-data" });
    expect(s.points).toHaveLength(1);
    expect(s.band).toBeNull();
    expect(s.fence).toBeNull();
    expect(shapeScoreHistory([], { deployments: [], drift: [], kind: "all" }).points).toEqual([]);
  });
});

describe("chart ticks", () => {
  it("labels every tick exactly", () => {
    const t = niceTicks(0, 1, 4);
    expect(t).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(t.map(tickFormatter(t))).toEqual(["0.00", "0.25", "0.50", "0.75", "1.00"]);
    const u = niceTicks(0.7, 0.76, 5);
    expect(u.map(tickFormatter(u))).toEqual(["0.70", "0.72", "0.74", "0.76"]);
  });
});

describe("splitReason", () => {
  it("splits on top-level semicolons only", () => {
    expect(splitReason("drift: a (x; y) fired; gate → keep v1; done")).toEqual(["drift: a (x; y) fired", "gate → keep v1", "done"]);
    expect(splitReason("no new data")).toEqual(["no new data"]);
  });
});

describe("shapeRankingSeries (Models page comparison)", () => {
  const detail = (version: number, deployed: boolean, withCurves: boolean) => ({
    model: { version, deployed, threshold: 0.4, thresholdRule: "max-f1" as const },
    testScore: {
      f1: 0.7,
      ranking: { rocAuc: 0.9, averagePrecision: 0.8, brierScore: 0.1, logLoss: 0.3, calibration: [{ lower: 0, upper: 0.5, count: 5, meanPredicted: 0.2, observedRate: 0.25 }] },
      curves: withCurves
        ? {
            roc: { x: [0, 0.5, 1], y: [0, 0.8, 1], threshold: [null, 0.6, 0.1] },
            pr: { x: [0, 1], y: [1, 0.5], threshold: [null, 0.1] },
            threshold: { threshold: [0.9, 0.5, 0.1], precision: [1, 0.7, 0.5], recall: [0.2, 0.8, 1], f1: [0.33, 0.75, 0.67] },
          }
        : null,
    },
  });

  it("one coloured series per compared version, curves as points, thresholds lowest first; missing versions and curves are empty, not errors", async () => {
    const { shapeRankingSeries, SERIES_COLORS } = await import("@/components/models/shape-ranking");
    const s = shapeRankingSeries([detail(3, true, true), detail(2, false, false)]);
    expect(s.map((x) => [x.label, x.color])).toEqual([
      ["v3 (deployed)", SERIES_COLORS[0]],
      ["v2", SERIES_COLORS[1]],
    ]);
    expect(s[0].roc).toEqual([
      { x: 0, y: 0 },
      { x: 0.5, y: 0.8 },
      { x: 1, y: 1 },
    ]);
    expect(s[0].byThreshold.map((r) => r.threshold)).toEqual([0.1, 0.5, 0.9]);
    expect(s[0].calibration).toEqual([{ x: 0.2, y: 0.25, count: 5 }]);
    expect(s[0].metrics).toEqual({ rocAuc: 0.9, averagePrecision: 0.8, brierScore: 0.1, logLoss: 0.3, f1: 0.7 });
    expect(s[1].roc).toEqual([]);
    expect(s[1].byThreshold).toEqual([]);
    expect(shapeRankingSeries([null, null])).toEqual([]);
  });
});

/*
 * Schema-built pages: a made-up schema (a time column, an id, one numeric and one categorical
 * feature, a yes/no label) and the schema-less-id case, so that no assertion leans on the demo's columns.
 */
const wideSchema = {
  id: "client_id",
  label: "churned",
  positive: "yes",
  negative: "no",
  time: "month",
  features: [
    { name: "tenure", type: "numeric" as const, min: 0, max: 120 },
    { name: "region", type: "categorical" as const },
  ],
  stored: true,
};
const noIdSchema = { ...wideSchema, id: null, time: null };

describe("schema words (schema-text.ts)", () => {
  it("names the CSV header and the label's values from the schema", async () => {
    const { csvColumnsHint, labelValueText, probabilityText, schemaColumns, termText, knownLevels } = await import("@/components/ui/schema-text");
    // the time column is needed where rows are stored only (a908e40): optional on the predict and monitor forms
    expect(csvColumnsHint(wideSchema, "optional")).toBe("a header: client_id, tenure, region; churned and month optional");
    expect(csvColumnsHint(wideSchema, "absent")).toBe("a header: client_id, tenure, region; month optional");
    expect(csvColumnsHint(wideSchema, "required")).toBe("a header: client_id, month, tenure, region, churned");
    expect(csvColumnsHint(noIdSchema, "absent")).toBe("a header: tenure, region");
    expect(schemaColumns(wideSchema)).toEqual(["client_id", "month", "tenure", "region", "churned"]);
    expect(schemaColumns(noIdSchema)).toEqual(["tenure", "region", "churned"]);
    expect([labelValueText(wideSchema, 1), labelValueText(wideSchema, 0)]).toEqual(["churned = yes", "churned = no"]);
    expect(probabilityText(wideSchema)).toBe("probability of churned = yes");
    expect([termText("tenure"), termText("region=north"), termText("intercept")]).toEqual(["tenure", "region = north", "intercept"]);
    const columns = {
      tenure: { mean: 1, median: 1, std: 0, min: 1, max: 1, missing: 0 },
      region: { type: "categorical" as const, rows: 10, distinct: 2, missing: 0, top: [{ level: "east", count: 7, share: 0.7 }, { level: "west", count: 3, share: 0.3 }] },
    };
    expect(knownLevels(columns, "region")).toEqual(["east", "west"]);
    expect(knownLevels(columns, "tenure")).toEqual([]);
    expect(knownLevels(undefined, "region")).toEqual([]);
  });
});

describe("Predict page: one-client row, ranking and download", () => {
  it("types the one-client form's cells by the schema: numbers, a level or null, the id", async () => {
    const { oneClientRow } = await import("@/components/predict/score-one-form");
    expect(oneClientRow(wideSchema, { client_id: " c-1 ", tenure: "12", region: " north " })).toEqual({ client_id: "c-1", tenure: 12, region: "north" });
    expect(oneClientRow(wideSchema, { tenure: "0", region: "" })).toEqual({ client_id: "client", tenure: 0, region: null });
    expect(oneClientRow(noIdSchema, { tenure: "3" })).toEqual({ tenure: 3, region: null });
  });

  it("ranks riskiest first (ties in input order) and writes the CSV with the schema's id and label", async () => {
    const { predictionsCsv, rankPredictions, unseenText } = await import("@/components/predict/rank-predictions");
    const p = (id: string | null, probability: number, predicted: 0 | 1, sentence?: string) => ({
      id,
      probability,
      predicted,
      ...(sentence ? { explanation: { baselineLogOdds: 0, logOdds: 0, contributions: [{ sentence, contribution: 0.5 }] } } : {}),
    });
    const ranked = rankPredictions({ predictions: [p("a", 0.2, 0), p("b,1", 0.9, 1, "region = north: +0.5"), p("c", 0.2, 0)] as never });
    expect(ranked.map((r) => [r.rank, r.id, r.inputRow])).toEqual([
      [1, "b,1", 2],
      [2, "a", 1],
      [3, "c", 3],
    ]);
    expect(ranked[0].reasons).toEqual([{ sentence: "region = north: +0.5", contribution: 0.5 }]);
    expect(predictionsCsv(ranked, wideSchema).split("\n").slice(0, 2)).toEqual(["rank,client_id,probability,predicted_churned,input_row", '1,"b,1",0.900000,yes,2']);
    expect(predictionsCsv(ranked, noIdSchema).split("\n")[0]).toBe("rank,probability,predicted_churned,input_row");
    expect(unseenText({ region: 3, plan: 1, other: 0 })).toBe("region: 3 rows, plan: 1 row");
    expect(unseenText(undefined)).toBeNull();
  });
});

describe("Data page: missing data per schema column", () => {
  it("lists the schema's columns first, weighted by rows read, test files left out", async () => {
    const { shapeMissing } = await import("@/components/data/missing-data-chart");
    const d = (role: string, rowsRead: number, missingByColumn: Record<string, number>) => ({ role, rowsRead, missingByColumn }) as never;
    const bars = shapeMissing([d("source", 100, { region: 0.1 }), d("upload", 300, { region: 0.5, notes: 1 }), d("test", 1000, { tenure: 1 })], ["client_id", "tenure", "region", "churned"]);
    expect(bars.map((b) => b.column)).toEqual(["client_id", "tenure", "region", "churned", "notes"]);
    // (0.1·100 + 0.5·300) / 400 = 40 %
    expect(bars.find((b) => b.column === "region")?.missing).toBeCloseTo(40, 12);
    expect(bars.find((b) => b.column === "tenure")?.missing).toBe(0);
  });
});

describe("Drift page: features by type", () => {
  const numeric = {
    ks: { statistic: 0.3, pValue: 0.001, drifted: true, threshold: 0.05 },
    psi: { score: 0.05, drifted: false, threshold: 0.2, bins: [{ lower: null, upper: 10, referenceShare: 0.5, currentShare: 0.25 }, { lower: 10, upper: null, referenceShare: 0.5, currentShare: 0.75 }] },
    referenceSize: 100,
    currentSize: 50,
  };
  const level = (l: string, referenceCount: number, currentCount: number) => ({ level: l, referenceCount, currentCount, referenceShare: referenceCount / 100, currentShare: currentCount / 100 });
  const categorical = {
    type: "categorical" as const,
    chi2: { statistic: 12, df: 3, pValue: 0.2, drifted: false, threshold: 0.05 },
    js: { distance: 0.15, drifted: true, threshold: 0.1 },
    psi: { score: 0.3, drifted: true, threshold: 0.2 },
    unseen: { share: 0.05, count: 5, levels: ["mars"], drifted: true, threshold: 0.01 },
    levels: [level("west", 20, 30), level("east", 50, 40), level("mars", 0, 5), level("north", 30, 25)],
    referenceSize: 100,
    currentSize: 100,
  };
  const check = { features: { tenure: numeric, region: categorical } } as never;

  it("splits the check by type, and each statistic's bars cover the features it applies to", async () => {
    const { featureDrifted, featuresByType, shapeFeatureBars, shapeHistogram } = await import("@/components/drift/shape-drift");
    const { numeric: n, categorical: c } = featuresByType(check);
    expect([n.map(([f]) => f), c.map(([f]) => f)]).toEqual([["tenure"], ["region"]]);
    expect(shapeFeatureBars(check, "ks")).toEqual({ bars: [{ feature: "tenure", value: 0.3, drifted: true }], threshold: null });
    expect(shapeFeatureBars(check, "js")).toEqual({ bars: [{ feature: "region", value: 0.15, drifted: true }], threshold: 0.1 });
    expect(shapeFeatureBars(check, "psi").bars.map((b) => [b.feature, b.value])).toEqual([["tenure", 0.05], ["region", 0.3]]);
    expect(featureDrifted(numeric as never)).toBe(true);
    expect(featureDrifted({ ...categorical, js: { ...categorical.js, drifted: false }, psi: { ...categorical.psi, drifted: false }, unseen: { ...categorical.unseen, drifted: false } })).toBe(false);
    expect(shapeHistogram(numeric as never)?.map((b) => [b.label, b.reference, b.current])).toEqual([["< 10", 50, 25], ["≥ 10", 50, 75]]);
  });

  it("orders level shares by the reference, marks unseen levels, and sums the tail into (other levels)", async () => {
    const { shapeLevelShares, OTHER_LEVELS } = await import("@/components/drift/shape-drift");
    const bars = shapeLevelShares(categorical);
    expect(bars.map((b) => [b.label, b.reference, b.current, b.unseen])).toEqual([
      ["east", 50, 40, false],
      ["north", 30, 25, false],
      ["west", 20, 30, false],
      ["mars (unseen)", 0, 5, true],
    ]);
    // three bars at most: the most frequent reference level, the unseen one, the rest summed
    const capped = shapeLevelShares(categorical, 3, 1);
    expect(capped.map((b) => [b.label, b.reference, b.current])).toEqual([
      ["east", 50, 40],
      ["mars (unseen)", 0, 5],
      [OTHER_LEVELS, 50, 55],
    ]);
  });
});
