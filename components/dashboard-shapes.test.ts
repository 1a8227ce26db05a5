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
