import type { Config } from "../config";
import type { Db } from "../db/client";
import { countRecords } from "../db/datasets";
import type { ModelVersion } from "../db/types";
import { requireModelVersion, rollbackDeployment } from "../db/models";
import { recordTiming } from "../db/timings";
import { AppError } from "../errors";
import { checkTrainable } from "../model/logistic";
import { loadTestData } from "../ingestion/test-data";
import type { ThresholdChoice } from "../model/stored";
import { deployStep, scoreStep, trainStep } from "../pipeline/steps";
import { deploymentEntry, modelEntry } from "../reads/core";

/*
 * The act routes of API.md (ingest, train, deploy, rollback) as lib calls that take validated
 * input and return the documented shapes. Every precondition is checked before the first
 * write, so a refused request leaves the database as it was.
 */

/**
 * Train a model version on every training record and score it on the test data (not deployed).
 * 409 with no records or no test data; 422 when the records cannot train a model.
 */
export async function trainAndScore(db: Db, config: Pick<Config, "TEST_DATA">, { threshold }: { threshold?: ThresholdChoice } = {}) {
  const rows = await countRecords(db);
  if (rows === 0) {
    throw new AppError("conflict:no_training_data", "There are no training records yet. Upload labelled CSVs with POST /api/ingest first.");
  }
  // The model's own rules, checked here before anything is written (a failed training step records its timing).
  checkTrainable(rows, await countRecords(db, { exited: 1 }));
  const test = await loadTestData(db, config.TEST_DATA);
  if (threshold === "max-f1" && !test.rows.some((r) => r.exited === 1)) {
    throw new AppError(
      "unprocessable:threshold",
      `The test data (${test.dataset.name}) has no client with exited=1, so no threshold maximises F1 on it; send a number in (0, 1) instead of "max-f1".`,
    );
  }
  const ctx = { db, trigger: "api" };
  const model = await trainStep(ctx, { threshold, testPath: config.TEST_DATA });
  const score = await scoreStep(ctx, model, config.TEST_DATA);
  return {
    model: {
      ...modelEntry(model, { f1: score.f1, deployed: false, testScore: score }),
      f1: score.f1,
      precision: score.precision,
      recall: score.recall,
      accuracy: score.accuracy,
      scoredOn: { id: score.datasetId ?? 0, name: score.datasetName },
    },
  };
}

/** Deploy a model version (404 for an unknown id). */
export async function deployModel(db: Db, { modelVersionId, reason }: { modelVersionId: number; reason?: string }) {
  const model: ModelVersion = await requireModelVersion(db, modelVersionId);
  const d = await deployStep({ db, trigger: "api" }, model.id, reason ?? `version ${model.version} deployed through the API`);
  return { deployment: deploymentEntry(d) };
}

/** Deploy again the previously deployed version (409 when there is none). */
export async function rollbackModel(db: Db, { reason }: { reason?: string }) {
  const start = performance.now();
  const d = await rollbackDeployment(db, { reason, trigger: "api" });
  await recordTiming(db, { step: "deploy", ms: performance.now() - start, source: "api" });
  return { deployment: deploymentEntry(d) };
}
