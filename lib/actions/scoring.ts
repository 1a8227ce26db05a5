import type { Config } from "../config";
import type { Db } from "../db/client";
import { listScores, recordScore, requireDeployedModel } from "../db/models";
import { loadTestData } from "../ingestion/test-data";
import { evaluate } from "../model/evaluate";
import { modelParameters } from "../model/stored";
import { scoreRankingOf } from "../reads/core";
import type { z } from "zod";
import type { ScoringResponse } from "../validations/core";

/*
 * GET /api/scoring is a read that may write: the first request after a deploy (or a new test
 * file) records the deployed model's score on the test data; later ones return that record.
 */

/**
 * F1 of the deployed model on the test data. The score is recorded once per (model, test
 * file content); asking again returns the recorded one, so polling this endpoint does not
 * flood the score history that the drift checks read.
 */
export async function scoreDeployedModel(db: Db, config: Pick<Config, "TEST_DATA">): Promise<z.infer<typeof ScoringResponse>> {
  const deployment = await requireDeployedModel(db);
  const model = deployment.modelVersion;
  const test = await loadTestData(db, config.TEST_DATA);
  const existing = (await listScores(db, { modelVersionId: model.id, kind: "test" })).filter((s) => s.datasetId === test.dataset.id);
  let s = existing[existing.length - 1];
  if (!s) {
    const scores = evaluate(modelParameters(model), test.data);
    const created = await recordScore(db, { modelVersionId: model.id, dataset: test.dataset, kind: "test", scores });
    s = { ...created, modelVersion: { version: model.version } };
  }
  return {
    modelVersion: model.version,
    modelVersionId: model.id,
    dataset: { id: test.dataset.id, name: test.dataset.name },
    rows: s.rows,
    f1: s.f1,
    precision: s.precision,
    recall: s.recall,
    accuracy: s.accuracy,
    confusion: { tp: s.tp, fp: s.fp, tn: s.tn, fn: s.fn },
    scoredAt: s.createdAt.toISOString(),
    threshold: modelParameters(model).hyperParameters.threshold,
    ranking: scoreRankingOf(s),
  };
}
