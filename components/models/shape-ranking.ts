import type { ModelDetail } from "@/lib/queries/types";

/** What the ranking charts read of a version's detail (GET /api/models/{id}). */
export interface RankingInput {
  model: Pick<ModelDetail["model"], "version" | "deployed" | "threshold" | "thresholdRule">;
  testScore: Pick<NonNullable<ModelDetail["testScore"]>, "f1" | "ranking" | "curves"> | null;
}

/*
 * The pure shaping behind the Models page's ranking charts: each compared version as a labelled,
 * coloured series of { x, y } points (the components only draw what these return).
 */

export interface XY {
  x: number;
  y: number;
}

export interface RankingSeries {
  key: string;
  /** "v3 (deployed)" */
  label: string;
  color: string;
  version: number;
  threshold: number;
  thresholdRule: "fixed" | "max-f1";
  roc: XY[];
  pr: XY[];
  calibration: (XY & { count: number })[];
  /** precision, recall and F1 against the threshold, lowest threshold first */
  byThreshold: { threshold: number; precision: number; recall: number; f1: number }[];
  metrics: { rocAuc: number | null; averagePrecision: number | null; brierScore: number | null; logLoss: number | null; f1: number | null };
}

export const SERIES_COLORS = ["#1f7a3a", "#2b5fb8"] as const;

const points = (c: { x: number[]; y: number[] } | undefined): XY[] => (c ? c.x.map((x, i) => ({ x, y: c.y[i] })) : []);

/** The compared versions with curves to draw (a version scored before the curves were stored has empty series). */
export function shapeRankingSeries(details: readonly (RankingInput | null)[]): RankingSeries[] {
  return details
    .filter((d): d is RankingInput => d !== null)
    .map((d, i) => {
      const curves = d.testScore?.curves ?? undefined;
      const t = curves?.threshold;
      const byThreshold = t ? t.threshold.map((threshold, k) => ({ threshold, precision: t.precision[k], recall: t.recall[k], f1: t.f1[k] })).reverse() : [];
      return {
        key: `v${d.model.version}`,
        label: `v${d.model.version}${d.model.deployed ? " (deployed)" : ""}`,
        color: SERIES_COLORS[i % SERIES_COLORS.length],
        version: d.model.version,
        threshold: d.model.threshold,
        thresholdRule: d.model.thresholdRule,
        roc: points(curves?.roc),
        pr: points(curves?.pr),
        calibration: (d.testScore?.ranking?.calibration ?? []).map((b) => ({ x: b.meanPredicted, y: b.observedRate, count: b.count })),
        byThreshold,
        metrics: {
          rocAuc: d.testScore?.ranking?.rocAuc ?? null,
          averagePrecision: d.testScore?.ranking?.averagePrecision ?? null,
          brierScore: d.testScore?.ranking?.brierScore ?? null,
          logLoss: d.testScore?.ranking?.logLoss ?? null,
          f1: d.testScore?.f1 ?? null,
        },
      };
    });
}
