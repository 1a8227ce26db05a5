import type { ModelVersion } from "../../db/types";
import { timeStep } from "../../diagnostics/time-step";
import { checkTrainingPreconditions, trainChecked, trainModelVersion, type TrainingOptions } from "../../model/train";
import { thresholdChoiceOf } from "../../model/stored";
import { challengerTrainDetail, firstTrainDetail } from "../reasons";
import { filled, type PipelineStep, type StepContext } from "./types";

/**
 * Train a new model version on every training record (not deployed): POST /api/train and
 * `npm run pipeline -- train`. The preconditions (lib/model/train.ts) are checked first, so a
 * refusal writes nothing — not even a timing; the training itself is timed.
 */
export async function trainStep(ctx: StepContext, opts: TrainingOptions = {}): Promise<ModelVersion> {
  const test = await checkTrainingPreconditions(ctx.db, opts);
  const { value } = await timeStep(ctx.db, "train", () => trainModelVersion(ctx.db, { threshold: opts.threshold, test }), { runId: ctx.runId, source: ctx.trigger });
  return value;
}

/** The first model of a database: trained when no model is deployed. */
export const trainFirst: PipelineStep = {
  name: "train",
  async run(ctx, s) {
    s.trained = await trainChecked(ctx.db);
    return firstTrainDetail(s.trained);
  },
};

/** The challenger, trained on all records; it keeps the champion's threshold rule, so the gate compares like with like. */
export const trainChallenger: PipelineStep = {
  name: "train",
  async run(ctx, s) {
    const champion = filled(s.deployed, "the deployed model").modelVersion;
    s.trained = await trainChecked(ctx.db, { threshold: thresholdChoiceOf(champion), testPath: ctx.config.TEST_DATA });
    return challengerTrainDetail(s.trained);
  },
};
