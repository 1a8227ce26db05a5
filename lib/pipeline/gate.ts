import type { Db } from "../db/client";
import { mergeDriftCheckDetail } from "../db/drift";
import type { ModelVersion, Score } from "../db/types";
import { recordScore, listScores } from "../db/models";
import { championChallengerTTest, DEFAULT_BOOTSTRAP_RESAMPLES, DEFAULT_BOOTSTRAP_SEED, type ChampionChallengerResult } from "../drift/bootstrap";
import type { ClassificationScores } from "../metrics/classification";
import { labelsAt, predictProbabilities } from "../model/logistic";
import { loadTestData, type TestData } from "../ingestion/test-data";
import { scoreProbabilities, type ScoredSet } from "../model/evaluate";
import { modelParameters } from "../model/stored";

/**
 * The champion/challenger gate. Rule: the challenger is deployed only if its F1 on the test
 * data is greater than or equal to the champion's F1 on the SAME test rows (a tie deploys the
 * challenger: it has seen more data and is not worse). The Welch t-test on bootstrap F1
 * samples (DEFAULT_BOOTSTRAP_RESAMPLES = 1000 resamples, seed DEFAULT_BOOTSTRAP_SEED = 42, the
 * same index sets for both models) is computed and reported with the decision; it does not
 * decide, because its p-value shrinks with the number of resamples we choose.
 */
export const GATE_RULE = "deploy the challenger only if its F1 on the test data ≥ the champion's F1 on the same test data";
export const GATE_RESAMPLES = DEFAULT_BOOTSTRAP_RESAMPLES;
export const GATE_SEED = DEFAULT_BOOTSTRAP_SEED;

export interface TestScoring {
  test: TestData;
  champion: { model: ModelVersion; scores: ClassificationScores; score: Score; predictions: (0 | 1)[] };
  challenger: { model: ModelVersion; scores: ClassificationScores; score: Score; predictions: (0 | 1)[] };
}

/**
 * Score champion and challenger on the test data. The challenger's score is recorded with the
 * run id; the champion's is recorded only if it has none for this test file yet (re-recording
 * the same number would pad the score history and the F1 chart).
 */
export async function scoreChampionAndChallenger(
  db: Db,
  { champion, challenger, testPath, runId }: { champion: ModelVersion; challenger: ModelVersion; testPath: string; runId: number | null },
): Promise<TestScoring> {
  const test = await loadTestData(db, testPath);
  const yTrue = test.rows.map((r) => r.exited);
  const evaluateOne = (m: ModelVersion) => {
    const params = modelParameters(m);
    const probabilities = predictProbabilities(params, test.rows);
    const scores = scoreProbabilities(yTrue, probabilities, params.hyperParameters.threshold);
    return { predictions: Array.from(labelsAt(probabilities, params.hyperParameters.threshold), (v) => v as 0 | 1), scores };
  };
  const record = (m: ModelVersion, s: ScoredSet) =>
    recordScore(db, { modelVersionId: m.id, dataset: test.dataset, kind: "test", runId, scores: s });
  const champ = evaluateOne(champion);
  const chall = evaluateOne(challenger);
  const existing = (await listScores(db, { modelVersionId: champion.id, kind: "test" })).filter((s) => s.datasetId === test.dataset.id);
  const championScore = existing.length > 0 ? existing[existing.length - 1] : await record(champion, champ.scores);
  const challengerScore = await record(challenger, chall.scores);
  return {
    test,
    champion: { model: champion, ...champ, score: championScore },
    challenger: { model: challenger, ...chall, score: challengerScore },
  };
}

export interface GateDecision {
  passed: boolean;
  rule: string;
  championF1: number;
  challengerF1: number;
  ttest: ChampionChallengerResult | { error: string; resamples: number; seed: number };
  summary: string;
}

/** p-values below double precision print as a bound, not as a misleading "0.00". */
export function formatP(p: number): string {
  return p < 1e-300 ? "< 1e-300" : `= ${p.toPrecision(3)}`;
}

export function formatTTest(t: GateDecision["ttest"]): string {
  if ("error" in t) return `Welch t-test on ${t.resamples} bootstrap F1 samples (seed ${t.seed}) could not be computed: ${t.error}`;
  return `Welch t-test, challenger − champion, on ${t.resamples} bootstrap F1 samples of the test data (seed ${t.seed}): t = ${t.t.toFixed(3)}, df = ${t.df.toFixed(1)}, two-sided p ${formatP(t.pValue)} (mean bootstrap F1 ${t.challengerMeanF1.toFixed(4)} vs ${t.championMeanF1.toFixed(4)})`;
}

/** Decide and store the decision (with the t-test) in the run's drift check. */
export async function decideGate(db: Db, { scoring, driftCheckId }: { scoring: TestScoring; driftCheckId: number | null }): Promise<GateDecision> {
  const yTrue = scoring.test.rows.map((r) => r.exited);
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
  const summary = `gate (${GATE_RULE}): challenger v${nv} F1 ${challengerF1.toFixed(4)} ${passed ? "≥" : "<"} champion v${cv} F1 ${championF1.toFixed(4)} on ${scoring.test.dataset.name} (${scoring.test.rows.length} rows) → ${passed ? `deploy v${nv}` : `keep v${cv}`}; ${formatTTest(ttest)}`;
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
          testData: { datasetId: scoring.test.dataset.id, name: scoring.test.dataset.name, rows: scoring.test.rows.length },
        },
      },
    });
  }
  return { passed, rule: GATE_RULE, championF1, challengerF1, ttest, summary };
}
