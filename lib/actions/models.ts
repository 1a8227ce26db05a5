import type { Config } from "../config";
import type { Db } from "../db/client";
import type { ModelVersion } from "../db/types";
import { requireModelVersion, rollbackDeployment } from "../db/models";
import { timeStep } from "../diagnostics/time-step";
import type { ThresholdChoice } from "../model/stored";
import { deployStep, scoreStep, trainStep } from "../pipeline/steps";
import { deploymentEntry, modelEntry } from "../reads/core";
import type { z } from "zod";
import type { DeploymentResponse, TrainResponse } from "../validations/models";

/*
 * The act routes of API.md (ingest, train, deploy, rollback) as lib calls that take validated
 * input and return the documented shapes. Every precondition is checked before the first
 * write, so a refused request leaves the database as it was.
 */

/**
 * Train a model version on every training record and score it on the test data (not deployed).
 * 409 with no records or no test data; 422 when the records cannot train a model (trainStep
 * checks all of it before the first write).
 */
export async function trainAndScore(db: Db, config: Pick<Config, "TEST_DATA">, { threshold }: { threshold?: ThresholdChoice } = {}): Promise<z.infer<typeof TrainResponse>> {
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
export async function deployModel(db: Db, { modelVersionId, reason }: { modelVersionId: number; reason?: string }): Promise<z.infer<typeof DeploymentResponse>> {
  const model: ModelVersion = await requireModelVersion(db, modelVersionId);
  const d = await deployStep({ db, trigger: "api" }, model.id, reason ?? `version ${model.version} deployed through the API`);
  return { deployment: deploymentEntry(d) };
}

/** Deploy again the previously deployed version (409 when there is none). */
export async function rollbackModel(db: Db, { reason }: { reason?: string }): Promise<z.infer<typeof DeploymentResponse>> {
  const { value: d } = await timeStep(db, "deploy", () => rollbackDeployment(db, { reason, trigger: "api" }), { source: "api", recordFailures: false });
  return { deployment: deploymentEntry(d) };
}
