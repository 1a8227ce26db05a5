import { IsoDateTime } from "./common";
import { ModelEntry } from "./core";
import { z } from "./zod";

/* POST /api/train, /api/deploy, /api/rollback. */

export const TrainResponse = z
  .object({
    model: ModelEntry.extend({
      f1: z.number(),
      precision: z.number(),
      recall: z.number(),
      accuracy: z.number(),
      scoredOn: z.object({ id: z.number().int(), name: z.string() }).openapi({ description: "the test data the F1 was measured on" }),
    }),
  })
  .openapi("TrainResult");

const reason = z.string().trim().min(1, "must not be empty").max(500, "at most 500 characters");

export const DeployBody = z
  .object({
    modelVersionId: z
      .number({ error: (i) => (i.input === undefined ? "is required (the id from GET /api/models)" : "must be a number") })
      .int("must be an integer")
      .positive("must be positive")
      .max(2_147_483_647, "is not a model version id"),
    reason: reason.optional().openapi({ description: "why; stored in the deployment history" }),
  })
  .strict()
  .openapi("DeployRequest");

export const RollbackBody = z.object({ reason: reason.optional() }).strict().openapi("RollbackRequest");

export const DeploymentEntry = z
  .object({
    id: z.number().int(),
    modelVersion: z.number().int().openapi({ description: "version number of the deployed model" }),
    modelVersionId: z.number().int(),
    previousModelVersionId: z.number().int().nullable(),
    deployedAt: IsoDateTime,
    reason: z.string(),
    trigger: z.string(),
  })
  .openapi("Deployment");

export const DeploymentResponse = z.object({ deployment: DeploymentEntry }).openapi("DeploymentResult");
