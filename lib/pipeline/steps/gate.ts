import type { Db } from "../../db/client";
import { mergeDriftCheckDetail } from "../../db/drift";
import { championChallengerTTest, DEFAULT_BOOTSTRAP_RESAMPLES, DEFAULT_BOOTSTRAP_SEED, type ChampionChallengerResult } from "../../drift/bootstrap";
import type { TestScoring } from "./score";
import { filled, type PipelineStep } from "./types";

/**
 * The champion/challenger gate. Rule: the challenger is deployed only if its F1 on the test
 * data is greater than or equal to the champion's F1 on the SAME test rows (a tie deploys the
 * challenger: it has seen more data and is not worse). The Welch t-test on bootstrap F1
 * samples (DEFAULT_BOOTSTRAP_RESAMPLES = 1000 resamples, seed DEFAULT_BOOTSTRAP_SEED = 42, the
 * same index sets for both models) is computed and reported with the decision; it does not
 * decide, because its p-value shrinks with the number of resamples we choose.
 */
const GATE_RULE = "deploy the challenger only if its F1 on the test data ≥ the champion's F1 on the same test data";
const GATE_RESAMPLES = DEFAULT_BOOTSTRAP_RESAMPLES;
const GATE_SEED = DEFAULT_BOOTSTRAP_SEED;

export interface GateDecision {
  passed: boolean;
  rule: string;
  championF1: number;
  challengerF1: number;
  ttest: ChampionChallengerResult | { error: string; resamples: number; seed: number };
  summary: string;
}

/** p-values below double precision print as a bound, not as a misleading "0.00". */
function formatP(p: number): string {
  return p < 1e-300 ? "< 1e-300" : `= ${p.toPrecision(3)}`;
}

function formatTTest(t: GateDecision["ttest"]): string {
  if ("error" in t) return `Welch t-test on ${t.resamples} bootstrap F1 samples (seed ${t.seed}) could not be computed: ${t.error}`;
  return `Welch t-test, challenger − champion, on ${t.resamples} bootstrap F1 samples of the test data (seed ${t.seed}): t = ${t.t.toFixed(3)}, df = ${t.df.toFixed(1)}, two-sided p ${formatP(t.pValue)} (mean bootstrap F1 ${t.challengerMeanF1.toFixed(4)} vs ${t.championMeanF1.toFixed(4)})`;
}

/** Decide and store the decision (with the t-test) in the run's drift check. */
async function decideGate(db: Db, { scoring, driftCheckId }: { scoring: TestScoring; driftCheckId: number | null }): Promise<GateDecision> {
  const yTrue = Array.from(scoring.test.data.label);
  let ttest: GateDecision["ttest"];
  try {
    ttest = championChallengerTTest({
      yTrue,
      championPred: scoring.champion.predictions,
      challengerPred: scoring.challenger.predictions,
      resamples: GATE_RESAMPLES,
      seed: GATE_SEED,
    });
  } catch (e) {
    ttest = { error: (e as Error).message, resamples: GATE_RESAMPLES, seed: GATE_SEED };
  }
  const championF1 = scoring.champion.scores.f1;
  const challengerF1 = scoring.challenger.scores.f1;
  const passed = challengerF1 >= championF1;
  const cv = scoring.champion.model.version;
  const nv = scoring.challenger.model.version;
  const summary = `gate (${GATE_RULE}): challenger v${nv} F1 ${challengerF1.toFixed(4)} ${passed ? "≥" : "<"} champion v${cv} F1 ${championF1.toFixed(4)} on ${scoring.test.dataset.name} (${scoring.test.data.n} rows) → ${passed ? `deploy v${nv}` : `keep v${cv}`}; ${formatTTest(ttest)}`;
  if (driftCheckId !== null) {
    await mergeDriftCheckDetail(db, {
      id: driftCheckId,
      detail: {
        ttest,
        gate: {
          rule: GATE_RULE,
          passed,
          champion: { modelVersion: cv, f1: championF1, scoreId: scoring.champion.score.id },
          challenger: { modelVersion: nv, f1: challengerF1, scoreId: scoring.challenger.score.id },
          testData: { datasetId: scoring.test.dataset.id, name: scoring.test.dataset.name, rows: scoring.test.data.n },
        },
      },
    });
  }
  return { passed, rule: GATE_RULE, championF1, challengerF1, ttest, summary };
}

/** The champion/challenger gate on the test data (GATE_RULE). */
export const gate: PipelineStep = {
  name: "gate",
  async run(ctx, s) {
    s.gate = await decideGate(ctx.db, { scoring: filled(s.scoring, "the test scoring"), driftCheckId: filled(s.drift, "the drift assessment").driftCheck.id });
    return s.gate.summary;
  },
};
