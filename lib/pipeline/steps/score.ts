import type { Db } from "../../db/client";
import { listScores, recordScore } from "../../db/models";
import type { ModelVersion, Score } from "../../db/types";
import { timeStep } from "../../diagnostics/time-step";
import { loadTestData, type TestData } from "../../ingestion/test-data";
import type { ClassificationScores } from "../../metrics/classification";
import { evaluate, scoreProbabilities, type ScoredSet } from "../../model/evaluate";
import { labelsAt, predictProbabilityColumns } from "../../model/logistic";
import { modelParameters } from "../../model/stored";
import { firstScoreDetail, testScoringDetail } from "../reasons";
import { filled, type PipelineStep, type StepContext } from "./types";

/** Score a model version on the test data and record the score. */
async function scoreOnTestData(db: Db, model: ModelVersion, testPath: string, runId: number | null): Promise<Score & { scores: ScoredSet }> {
  const test = await loadTestData(db, testPath);
  const scores = evaluate(modelParameters(model), test.data);
  const score = await recordScore(db, { modelVersionId: model.id, dataset: test.dataset, kind: "test", runId, scores });
  return { ...score, scores };
}

/** Score a model version on the test data and record the score, timed: `npm run pipeline -- train | score`, POST /api/train. */
export async function scoreStep(ctx: StepContext, model: ModelVersion, testPath: string): Promise<Score & { scores: ScoredSet }> {
  const { value } = await timeStep(ctx.db, "score", () => scoreOnTestData(ctx.db, model, testPath, ctx.runId ?? null), { runId: ctx.runId, source: ctx.trigger });
  return value;
}

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
async function scoreChampionAndChallenger(
  db: Db,
  { champion, challenger, testPath, runId }: { champion: ModelVersion; challenger: ModelVersion; testPath: string; runId: number | null },
): Promise<TestScoring> {
  const test = await loadTestData(db, testPath);
  const yTrue = test.data.label;
  const evaluateOne = (m: ModelVersion) => {
    const params = modelParameters(m);
    const probabilities = predictProbabilityColumns(params, test.data);
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


/** The first model on the test data. */
export const scoreFirst: PipelineStep = {
  name: "score",
  async run(ctx, s) {
    const model = filled(s.trained, "the first model");
    s.firstScore = await scoreOnTestData(ctx.db, model, ctx.config.TEST_DATA, ctx.run.id);
    return firstScoreDetail(model, s.firstScore);
  },
};

/** Champion and challenger on the same test data. */
export const scoreBoth: PipelineStep = {
  name: "score",
  async run(ctx, s) {
    s.scoring = await scoreChampionAndChallenger(ctx.db, {
      champion: filled(s.deployed, "the deployed model").modelVersion,
      challenger: filled(s.trained, "the challenger"),
      testPath: ctx.config.TEST_DATA,
      runId: ctx.run.id,
    });
    return testScoringDetail(s.scoring);
  },
};
