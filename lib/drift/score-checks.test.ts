import { describe, expect, it } from "vitest";
import { HISTORY_CHECK_IDS as SCORE_CHECK_IDS } from "../vocabulary";
import { SCORE_CHECKS, parseScoreCheckIds, runScoreChecks } from "./score-checks";

const EPS = 1e-12;

/*
 * Thresholds of a realistic F1 history from numpy 2.4.6:
 *
 *   import numpy as np
 *   h = np.array([0.62, 0.58, 0.66, 0.61, 0.64, 0.59, 0.63])
 *   m, sd = h.mean(), h.std(ddof=1)
 *   q1, q3 = np.percentile(h, [25, 75])
 *   print(m, sd, m - 2 * sd, q1, q3, q3 - q1, q1 - 1.5 * (q3 - q1))
 *   # 0.6185714285714285 0.027945525240230903 0.5626803780909667 0.6 0.635 0.03500000000000003 0.5474999999999999
 */
const HISTORY = [0.62, 0.58, 0.66, 0.61, 0.64, 0.59, 0.63];

describe("runScoreChecks thresholds vs numpy", () => {
  const r = runScoreChecks({ history: HISTORY, newScore: 0.6, deployedScore: 0.63 });

  it("latest: threshold is the deployed score", () => {
    expect(r.latest).toEqual({ drifted: true, threshold: 0.63, status: "drift", inputs: { previous: 7, deployedScore: 0.63 } });
  });

  it("raw: threshold is the minimum previous score", () => {
    expect(r.raw).toEqual({ drifted: false, threshold: 0.58, status: "ok", inputs: { previous: 7, min: 0.58 } });
  });

  it("parametric: mean − 2·SD (n − 1)", () => {
    expect(r.parametric.threshold).toBeCloseTo(0.5626803780909667, 14);
    expect(r.parametric.inputs.mean).toBeCloseTo(0.6185714285714285, 14);
    expect(r.parametric.inputs.sd).toBeCloseTo(0.027945525240230903, 14);
    expect(r.parametric.drifted).toBe(false);
  });

  it("nonparametric: Q1 − 1.5·IQR (type 7)", () => {
    expect(r.nonparametric.threshold).toBeCloseTo(0.5474999999999999, 14);
    expect(r.nonparametric.inputs.q1).toBeCloseTo(0.6, 14);
    expect(r.nonparametric.inputs.q3).toBeCloseTo(0.635, 14);
    expect(r.nonparametric.inputs.iqr).toBeCloseTo(0.035, 14);
    expect(r.nonparametric.status).toBe("ok");
  });

  it("flags all four when the new score collapses", () => {
    const low = runScoreChecks({ history: HISTORY, newScore: 0.5, deployedScore: 0.63 });
    for (const id of SCORE_CHECK_IDS) expect(low[id]).toMatchObject({ drifted: true, status: "drift" });
  });
});

/*
 * Histories chosen so that each threshold is exact in binary floating point, so "at the
 * threshold" is exact equality (numpy gives the same thresholds: 0.25 and 0.25):
 *   parametric:    [0.5, 0.75, 1.0]              mean 0.75, sd 0.25       → 0.25
 *   nonparametric: [0.5, 0.625, 0.75, 0.875, 1.0] q1 0.625, q3 0.875      → 0.25
 */
describe("strict '<': at, just above and just below each threshold", () => {
  const cases: [id: (typeof SCORE_CHECK_IDS)[number], history: number[], deployed: number | null, threshold: number][] = [
    ["latest", [0.7, 0.8], 0.625, 0.625],
    ["raw", [0.75, 0.5, 0.875], null, 0.5],
    ["parametric", [0.5, 0.75, 1.0], null, 0.25],
    ["nonparametric", [0.5, 0.625, 0.75, 0.875, 1.0], null, 0.25],
  ];

  it.each(cases)("%s", (id, history, deployedScore, threshold) => {
    const at = runScoreChecks({ history, newScore: threshold, deployedScore })[id];
    expect(at.threshold).toBe(threshold);
    expect(at).toMatchObject({ drifted: false, status: "ok" });
    expect(runScoreChecks({ history, newScore: threshold + EPS, deployedScore })[id]).toMatchObject({
      drifted: false,
      status: "ok",
    });
    expect(runScoreChecks({ history, newScore: threshold - EPS, deployedScore })[id]).toMatchObject({
      drifted: true,
      status: "drift",
    });
  });
});

describe("insufficient history", () => {
  it("no deployed score: latest cannot run", () => {
    expect(runScoreChecks({ history: HISTORY, newScore: 0.1, deployedScore: null }).latest).toEqual({
      drifted: null,
      threshold: null,
      status: "insufficient-history",
      inputs: { previous: 7, deployedScore: null },
    });
  });

  it("each check needs its minimum number of previous scores", () => {
    const at = (n: number) => runScoreChecks({ history: HISTORY.slice(0, n), newScore: 0.1, deployedScore: 0.6 });
    for (const id of SCORE_CHECK_IDS) {
      const min = SCORE_CHECKS[id].minHistory;
      if (min > 0) {
        expect(at(min - 1)[id]).toEqual({
          drifted: null,
          threshold: null,
          status: "insufficient-history",
          inputs: { previous: min - 1 },
        });
      }
      expect(at(min)[id].status).toBe("drift");
    }
  });

  it("minimum histories are 0 / 1 / 2 / 4", () => {
    expect(SCORE_CHECK_IDS.map((id) => SCORE_CHECKS[id].minHistory)).toEqual([0, 1, 2, 4]);
  });

  it("empty history: only latest can run", () => {
    const r = runScoreChecks({ history: [], newScore: 0.5, deployedScore: 0.6 });
    expect(r.latest.status).toBe("drift");
    expect([r.raw.status, r.parametric.status, r.nonparametric.status]).toEqual([
      "insufficient-history",
      "insufficient-history",
      "insufficient-history",
    ]);
  });

  it("a constant history: SD and IQR are 0, so the thresholds equal the constant", () => {
    const r = runScoreChecks({ history: [0.7, 0.7, 0.7, 0.7], newScore: 0.7, deployedScore: 0.7 });
    for (const id of SCORE_CHECK_IDS) expect(r[id]).toMatchObject({ drifted: false, threshold: 0.7 });
  });
});

describe("runScoreChecks input validation", () => {
  it("throws unprocessable:scores on non-finite scores", () => {
    expect(() => runScoreChecks({ history: [0.5], newScore: Number.NaN, deployedScore: null })).toThrow(
      expect.objectContaining({ code: "unprocessable:scores" }),
    );
    expect(() => runScoreChecks({ history: [0.5, Infinity], newScore: 0.5, deployedScore: null })).toThrow(
      expect.objectContaining({ code: "unprocessable:scores" }),
    );
  });
});

describe("SCORE_CHECKS registry and parseScoreCheckIds", () => {
  it("describes every check as lower-is-worse", () => {
    for (const id of SCORE_CHECK_IDS) {
      expect(SCORE_CHECKS[id]).toMatchObject({ id, direction: "lower-is-worse" });
      expect(SCORE_CHECKS[id].displayName).not.toBe("");
    }
  });

  it("parses, trims, lower-cases and de-duplicates", () => {
    expect(parseScoreCheckIds("latest")).toEqual(["latest"]);
    expect(parseScoreCheckIds(" latest, Parametric ,latest,")).toEqual(["latest", "parametric"]);
    expect(parseScoreCheckIds("raw,parametric,nonparametric,latest")).toEqual([
      "raw",
      "parametric",
      "nonparametric",
      "latest",
    ]);
  });

  it("throws bad_request:config listing the valid ids on an unknown id", () => {
    expect(() => parseScoreCheckIds("latest,ttest")).toThrow(
      expect.objectContaining({
        code: "bad_request:config",
        message: expect.stringContaining("valid ids: latest, raw, parametric, nonparametric"),
      }),
    );
    expect(() => parseScoreCheckIds("latest,ttest")).toThrow(/"ttest"/);
  });

  it("throws bad_request:config on an empty list", () => {
    expect(() => parseScoreCheckIds(" , ")).toThrow(expect.objectContaining({ code: "bad_request:config" }));
  });
});
