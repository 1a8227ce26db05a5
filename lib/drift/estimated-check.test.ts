import { describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { HISTORY_CHECK_IDS, SCORE_CHECK_IDS } from "../vocabulary";
import { ESTIMATED_CHECK, parseScoreCheckIds, runEstimatedCheck } from "./score-checks";

/* The `estimated` check: the newest unlabelled batch's estimated F1 band against the deployed model's test F1. */

const batch = (upper: number) => ({ id: 7, name: "may.csv", rows: 500, f1: { estimate: upper - 0.1, lower: upper - 0.2, upper } });

describe("runEstimatedCheck", () => {
  it("drift when the band's upper bound is strictly below the deployed test F1; the bound at the threshold is not drift", () => {
    expect(runEstimatedCheck({ batch: batch(0.5), deployedScore: 0.6 })).toEqual({
      drifted: true,
      threshold: 0.6,
      status: "drift",
      inputs: { previous: 0, deployedScore: 0.6, batchId: 7, batchName: "may.csv", batchRows: 500, estimatedF1: 0.4, estimatedF1Lower: 0.3, estimatedF1Upper: 0.5 },
    });
    expect(runEstimatedCheck({ batch: batch(0.6), deployedScore: 0.6 })).toMatchObject({ drifted: false, status: "ok", threshold: 0.6 });
    expect(runEstimatedCheck({ batch: batch(0.9), deployedScore: 0.6 })).toMatchObject({ drifted: false, status: "ok" });
  });

  it("no batch since the deployment, or no recorded test F1 → insufficient-history, never a silent pass", () => {
    expect(runEstimatedCheck({ batch: null, deployedScore: 0.6 })).toEqual({
      drifted: null,
      threshold: null,
      status: "insufficient-history",
      inputs: { previous: 0, deployedScore: 0.6, batchId: null },
    });
    expect(runEstimatedCheck({ batch: batch(0.1), deployedScore: null })).toMatchObject({ drifted: null, status: "insufficient-history", inputs: { batchId: 7 } });
  });

  it("throws unprocessable:scores on non-finite numbers", () => {
    expect(() => runEstimatedCheck({ batch: batch(Number.NaN), deployedScore: 0.6 })).toThrow(AppError);
    expect(() => runEstimatedCheck({ batch: null, deployedScore: Infinity })).toThrow(expect.objectContaining({ code: "unprocessable:scores" }));
  });
});

describe("the trigger may name it", () => {
  it("joins the four history checks in SCORE_CHECK_IDS, which parseScoreCheckIds accepts", () => {
    expect(SCORE_CHECK_IDS).toEqual([...HISTORY_CHECK_IDS, "estimated"]);
    expect(ESTIMATED_CHECK).toMatchObject({ id: "estimated", direction: "lower-is-worse" });
    expect(parseScoreCheckIds("latest, Estimated")).toEqual(["latest", "estimated"]);
    expect(() => parseScoreCheckIds("estimate")).toThrow(/valid ids: latest, raw, parametric, nonparametric, estimated/);
  });
});
