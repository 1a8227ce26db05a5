import { deployModelVersion, type DeploymentWithModel } from "../../db/models";
import { timeStep } from "../../diagnostics/time-step";
import {
  challengerDeployDetail,
  challengerDeploymentReason,
  firstDeployDetail,
  firstDeploymentReason,
  firstModelReason,
  gateRejectedDetail,
  gateRejectedReason,
  redeployedReason,
} from "../reasons";
import { newFileNames } from "./score-new-data";
import { filled, type Decision, type PipelineStep, type RunContext, type RunState, type StepContext } from "./types";

/** Deploy a model version (an atomic switch, audited with `reason` and the context's trigger), timed. */
export async function deployStep(ctx: StepContext, modelVersionId: number, reason: string): Promise<DeploymentWithModel> {
  const { value } = await timeStep(ctx.db, "deploy", () => deployModelVersion(ctx.db, { modelVersionId, reason, trigger: ctx.trigger }), {
    runId: ctx.runId,
    source: ctx.trigger,
  });
  return value;
}

/** Deploy the first model: the run's outcome is `redeployed`. */
export const deployFirst: PipelineStep = {
  name: "deploy",
  async run(ctx, s) {
    const model = filled(s.trained, "the first model");
    await deployModelVersion(ctx.db, { modelVersionId: model.id, reason: firstDeploymentReason(filled(s.firstScore, "the first score")), trigger: ctx.step.trigger });
    return firstDeployDetail(model);
  },
  after: async (_ctx, s) => ({ outcome: "redeployed", reason: firstModelReason(filled(s.trained, "the first model"), filled(s.firstScore, "the first score")) }),
};

/** The facts of a retraining run that its reasons tell. */
function retrainFacts(s: RunState) {
  return {
    champion: filled(s.deployed, "the deployed model").modelVersion,
    newScore: filled(s.newScore, "the new score"),
    rows: filled(s.newRows, "the new rows").n,
    fileNames: newFileNames(s),
    drift: filled(s.drift, "the drift assessment"),
    challenger: filled(s.trained, "the challenger"),
    gate: filled(s.gate, "the gate decision"),
  };
}

/** The gate passed → `redeployed` (the challenger is live); it did not → `gate-rejected`. */
async function gateOutcome(_ctx: RunContext, s: RunState): Promise<Decision> {
  const facts = retrainFacts(s);
  return facts.gate.passed ? { outcome: "redeployed", reason: redeployedReason(facts) } : { outcome: "gate-rejected", reason: gateRejectedReason(facts) };
}

/** Deploy the challenger when the gate passed it; skipped when the gate kept the champion. */
export const deployChallenger: PipelineStep = {
  name: "deploy",
  skipped: (_ctx, s) => {
    const gate = filled(s.gate, "the gate decision");
    return gate.passed ? null : gateRejectedDetail(filled(s.trained, "the challenger"), gate);
  },
  async run(ctx, s) {
    const { champion, newScore, rows, challenger, gate } = retrainFacts(s);
    const reason = challengerDeploymentReason(ctx.run.id, champion, newScore, rows, gate);
    await deployModelVersion(ctx.db, { modelVersionId: challenger.id, reason, trigger: ctx.step.trigger });
    return challengerDeployDetail(challenger, champion);
  },
  after: gateOutcome,
};
