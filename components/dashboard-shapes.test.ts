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
  periodStart: null,
  periodEnd: null,
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
      { id: 1, runId: 7, createdAt: "2026-01-04T00:00:01.000Z", periodStart: null, periodEnd: null, modelVersion: 2, modelVersionId: 2, newScore: 0.5, score: { latest: { drifted: true, threshold: 0.74, status: "drift" as const, inTrigger: true } }, features: {}, triggered: true, trigger: ["latest" as const], fired: ["latest" as const], history: [], ttest: null, gate: null },
    ];
    const s = shapeScoreHistory(scores, { deployments, drift, kind: "all" });
    // v1 went live after its newest test score before the deployment (#1, not #2 of 01-02); v2 with #3
    expect(s.deployments.map((d) => d.n)).toEqual([1, 3]);
    // without periods the x axis is the position: x = n, titled as before
    expect(s.axis.kind).toBe("index");
    expect(s.axis.title).toBe("score # (oldest → newest)");
    expect(s.deployments.map((d) => d.x)).toEqual([1, 3]);
    // a rollback to v1 sits on v1's score again; a version only scored after going live, on that first score
    const later = shapeScoreHistory([...scores, score(6, 0.8, 4, "2026-01-07T00:00:00.000Z")], {
      deployments: [...deployments, { modelVersion: 1, deployedAt: "2026-01-06T00:00:00.000Z", reason: "rollback" }, { modelVersion: 4, deployedAt: "2026-01-06T12:00:00.000Z", reason: "first scored later" }],
      drift,
      kind: "all",
    });
    expect(later.deployments.map((d) => [d.modelVersion, d.n])).toEqual([[1, 1], [2, 3], [1, 2], [4, 5]]);
    // without the test scores (kind new-data) the markers go between the scores around them (two in one gap: spread)
    const newData = shapeScoreHistory(scores, { deployments, drift, kind: "new-data" });
    expect(newData.deployments.map((d) => d.n)).toEqual([0.2, 0.8]);
    expect(newData.deployments.map((d) => d.x)).toEqual([0.2, 0.8]);
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

describe("shapeScoreHistory on the time axis (issue 18)", () => {
  const month = (m: number) => {
    const iso = `2024-${String(m).padStart(2, "0")}-01T00:00:00.000Z`;
    return { periodStart: iso, periodEnd: iso };
  };
  const at = (m: number) => Date.parse(`2024-${String(m).padStart(2, "0")}-01T00:00:00Z`);
  const deployments = [{ modelVersion: 1, deployedAt: "2026-01-01T00:00:01.000Z", reason: "first" }];
  // the demo's story: a test score of v1 for January, then a new-data score per later month, the same month's test and new-data scores once
  const scores = [
    score(1, 0.7, 1, "2026-01-01T00:00:00.000Z", { ...month(1), rows: 500 }),
    score(2, 0.68, 1, "2026-01-02T00:00:00.000Z", { ...month(2), kind: "new-data", runId: 2, rows: 120 }),
    score(3, 0.66, 1, "2026-01-03T00:00:00.000Z", { ...month(3), kind: "new-data", runId: 3, rows: 130 }),
    score(4, 0.71, 1, "2026-01-04T00:00:00.000Z", { ...month(3), kind: "test", runId: 3, rows: 500 }),
  ];

  it("places each score at its period's end, labels the ticks by month, and keeps two scores of one month apart", async () => {
    const { periodTickFormatter, periodText } = await import("@/components/ui/period-axis");
    const s = shapeScoreHistory(scores, { deployments, drift: [], kind: "all" });
    expect(s.axis.kind).toBe("time");
    expect(s.axis.ticks.map(periodTickFormatter(s.axis))).toEqual(["Jan 2024", "Feb 2024", "Mar 2024"]);
    expect(s.points.slice(0, 2).map((p) => p.x)).toEqual([at(1), at(2)]);
    const [march1, march2] = s.points.slice(2).map((p) => p.x);
    expect(march1).toBeLessThan(at(3));
    expect(march2).toBeGreaterThan(at(3));
    expect((march1 + march2) / 2).toBe(at(3));
    // what the tooltip shows: the period, the rows, the run
    expect([periodText(s.points[1].period, s.axis.by), s.points[1].rows, s.points[1].runId]).toEqual(["Feb 2024 (1 Feb 2024)", 120, 2]);
    // the deployment sits on the score it went live with, on the time axis
    expect(s.deployments.map((d) => [d.n, d.x])).toEqual([[1, at(1)]]);
  });

  it("puts a deployment whose score is filtered out between the x of the scores around it, inside the axis", () => {
    const later = [{ modelVersion: 1, deployedAt: "2026-01-02T12:00:00.000Z", reason: "rollback" }];
    const s = shapeScoreHistory(scores, { deployments: later, drift: [], kind: "new-data" });
    // recorded after score #2 (Feb) and before #3 (Mar): halfway between February and March
    expect(s.deployments.map((d) => [d.n, d.x])).toEqual([[1.5, (at(2) + at(3)) / 2]]);
    const early = shapeScoreHistory(scores, { deployments: [{ modelVersion: 1, deployedAt: "2025-01-01T00:00:00.000Z", reason: "first" }], drift: [], kind: "new-data" });
    // before the first score shown: half a step (Feb → Mar) before it, inside the axis
    expect(early.deployments[0].x).toBe(at(2) - (at(3) - at(2)) / 2);
    expect(early.deployments[0].x).toBeGreaterThanOrEqual(early.axis.domain[0]);
  });

  it("puts a test score a run recorded at that run's period (its own is when the hold-out arrived)", () => {
    const arrived = { periodStart: "2026-12-07T18:37:10.109Z", periodEnd: "2026-12-07T18:37:10.109Z" };
    const heldOut = [
      score(1, 0.7, 1, "2026-01-01T00:00:00.000Z", { ...arrived, runId: 1 }),
      score(2, 0.68, 1, "2026-01-02T00:00:00.000Z", { ...month(2), kind: "new-data", runId: 2 }),
      score(3, 0.72, 1, "2026-01-03T00:00:00.000Z", { ...arrived, runId: 2 }),
      score(4, 0.71, 1, "2026-01-04T00:00:00.000Z", { ...arrived, runId: null }), // Train now: no run
    ];
    const runs = [{ id: 1, ...month(1) }, { id: 2, ...month(2) }];
    const s = shapeScoreHistory(heldOut.slice(0, 3), { deployments, drift: [], kind: "all", runs });
    expect(s.points.map((p) => [p.periodOf, p.period?.end])).toEqual([
      ["run", at(1)],
      ["score", at(2)],
      ["run", at(2)],
    ]);
    expect(s.axis.ticks).toEqual([at(1), at(2)]);
    // a test score without a run keeps its own period; without the runs, every one does
    expect(shapeScoreHistory(heldOut, { deployments, drift: [], kind: "all", runs }).points[3].periodOf).toBe("score");
    expect(shapeScoreHistory(heldOut, { deployments, drift: [], kind: "all" }).points.every((p) => p.periodOf === "score")).toBe(true);
  });

  it("falls back to the index axis when one score has no period (recorded before periods were)", () => {
    const mixed = [...scores, score(5, 0.6, 1, "2026-01-05T00:00:00.000Z", { kind: "new-data", runId: 5 })];
    const s = shapeScoreHistory(mixed, { deployments, drift: [], kind: "all" });
    expect(s.axis.kind).toBe("index");
    expect(s.points.map((p) => [p.x, p.period])).toEqual([1, 2, 3, 4, 5].map((n) => [n, null]));
  });
});

describe("shapeBatchEstimates (Scores page): batches against their period", () => {
  const batch = (id: number, extra: Record<string, unknown>) =>
    ({ id, name: `batch-${id}.csv`, modelVersion: 1, rows: 100, createdAt: `2026-01-0${id}T00:00:00.000Z`, estimate: { f1: { estimate: 0.7, lower: 0.6, upper: 0.8 } }, calibrated: false, realized: null, labelledRows: 0, ...extra }) as never;

  it("sits each batch at its period's end, oldest first; a batch without a period puts them all on the index axis", async () => {
    const { shapeBatchEstimates } = await import("@/components/scores/shape-batch-estimates");
    const { periodTickFormatter } = await import("@/components/ui/period-axis");
    const q = (d: string) => ({ periodStart: d, periodEnd: d });
    const { points, axis } = shapeBatchEstimates([batch(2, q("2024-04-01")), batch(1, q("2024-01-01")), batch(3, q("2024-07-01"))]);
    expect(points.map((p) => p.id)).toEqual([1, 2, 3]);
    expect(axis.ticks.map(periodTickFormatter(axis))).toEqual(["Q1 2024", "Q2 2024", "Q3 2024"]);
    expect(points.map((p) => p.x)).toEqual(["2024-01-01", "2024-04-01", "2024-07-01"].map((d) => Date.parse(d)));
    const old = shapeBatchEstimates([batch(1, q("2024-01-01")), batch(2, { periodStart: null, periodEnd: null })]);
    expect([old.axis.kind, old.axis.title, old.points.map((p) => p.x)]).toEqual(["index", "monitored batch # (oldest → newest)", [1, 2]]);
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

describe("Drift page: feature drift over periods (small multiples)", () => {
  const numeric = (statistic: number, ksDrifted: boolean, psi: number) => ({
    ks: { statistic, pValue: ksDrifted ? 0.001 : 0.4, drifted: ksDrifted, threshold: 0.05 },
    psi: { score: psi, drifted: psi > 0.2, threshold: 0.2 },
    referenceSize: 100,
    currentSize: 40,
  });
  const categorical = (distance: number, chi2Drifted: boolean) => ({
    type: "categorical" as const,
    chi2: { statistic: 812.4, df: 3, pValue: chi2Drifted ? 1e-9 : 0.3, drifted: chi2Drifted, threshold: 0.05 },
    js: { distance, drifted: distance > 0.1, threshold: 0.1 },
    psi: { score: 0.05, drifted: false, threshold: 0.25 },
    unseen: { share: 0, count: 0, levels: [], drifted: false, threshold: 0.01 },
    levels: [],
    referenceSize: 100,
    currentSize: 900,
  });
  const check = (runId: number, m: number | null, features: Record<string, unknown>) => {
    const iso = m === null ? null : `2024-${String(m).padStart(2, "0")}-01T00:00:00.000Z`;
    return { runId, createdAt: `2026-01-0${runId}T00:00:00.000Z`, periodStart: iso, periodEnd: iso, features } as never;
  };

  it("one history per feature over the checks' periods, drifted points flagged per method, thresholds and axis ranges", async () => {
    const { shapeFeatureDriftHistory } = await import("@/components/drift/shape-drift-history");
    const { periodTickFormatter } = await import("@/components/ui/period-axis");
    const checks = [
      check(1, 2, { tenure: numeric(0.05, false, 0.02), region: categorical(0.04, false) }),
      check(2, 3, {}), // about no new rows: no point, and not on the axis
      check(3, 3, { tenure: numeric(0.31, true, 0.9), region: categorical(0.2, true) }),
    ];
    const { axis, features } = shapeFeatureDriftHistory(checks);
    expect(axis.ticks.map(periodTickFormatter(axis))).toEqual(["Feb 2024", "Mar 2024"]);
    expect(features.map((f) => [f.feature, f.type, f.primaryName, f.primaryThreshold, f.psiThreshold, f.driftedCount])).toEqual([
      ["tenure", "numeric", "KS statistic", null, 0.2, 1],
      ["region", "categorical", "JS distance", 0.1, 0.25, 1],
    ]);
    const tenure = features[0];
    expect(tenure.points.map((p) => [p.runId, p.primary, p.primaryDrifted, p.psi, p.psiDrifted, p.rows])).toEqual([
      [1, 0.05, false, 0.02, false, 40],
      [3, 0.31, true, 0.9, true, 40],
    ]);
    expect([tenure.primaryMax, tenure.psiMax]).toEqual([0.31, 0.9]);
    // chi-square: in the tooltip (its statistic grows with the rows), its verdict marks the point
    expect(features[1].points.map((p) => [p.chi2, p.pValue, p.primaryDrifted])).toEqual([
      ["χ² 812.4 (df 3)", 0.3, false],
      ["χ² 812.4 (df 3)", 1e-9, true],
    ]);
  });

  it("uses the check # axis when a check that compared features has no period", async () => {
    const { shapeFeatureDriftHistory } = await import("@/components/drift/shape-drift-history");
    const { axis, features } = shapeFeatureDriftHistory([check(1, null, { tenure: numeric(0.1, false, 0.1) }), check(2, 5, { tenure: numeric(0.2, false, 0.1) })]);
    expect([axis.kind, axis.title]).toEqual(["index", "check # (oldest → newest)"]);
    expect(features[0].points.map((p) => p.x)).toEqual([1, 2]);
    expect(shapeFeatureDriftHistory([]).features).toEqual([]);
  });
});

describe("Runs page: time per step by the period of each run's data", () => {
  const run = (id: number, m: number | null, steps: [string, number][]) => {
    const iso = m === null ? null : `2024-${String(m).padStart(2, "0")}-01T00:00:00.000Z`;
    return { id, periodStart: iso, periodEnd: iso, steps: steps.map(([name, ms]) => ({ name, ms, status: "ok", detail: "" })) } as never;
  };

  it("orders the bars by period, labels them by month (with the run # when two runs share one), sums repeated steps", async () => {
    const { shapeRunDurations } = await import("@/components/runs/shape-run-durations");
    // newest first, as the API lists them; run 3 re-ran February
    const { rows, steps, axis } = shapeRunDurations([run(3, 2, [["ingest", 500]]), run(2, 2, [["ingest", 1000], ["drift", 250]]), run(1, 1, [["ingest", 2000], ["ingest", 1000]])]);
    expect(axis.by).toBe("month");
    expect(rows.map((r) => [r.label, r.runId, r.seconds])).toEqual([
      ["Jan 2024", 1, { ingest: 3 }],
      ["Feb 2024 #2", 2, { ingest: 1, drift: 0.25 }],
      ["Feb 2024 #3", 3, { ingest: 0.5 }],
    ]);
    expect(steps).toEqual(["ingest", "drift"]);
    expect(rows[0].period).toBe("Jan 2024 (1 Jan 2024)");
  });

  it("labels by run # when a run found no new rows (no period)", async () => {
    const { shapeRunDurations } = await import("@/components/runs/shape-run-durations");
    const { rows, axis } = shapeRunDurations([run(2, null, [["ingest", 10]]), run(1, 1, [["ingest", 20]])]);
    expect(axis.kind).toBe("index");
    expect(rows.map((r) => [r.label, r.period])).toEqual([
      ["#1", null],
      ["#2", null],
    ]);
  });
});
