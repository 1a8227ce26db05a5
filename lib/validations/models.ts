import { IsoDateTime } from "./common";
import { ModelEntry } from "./core";
import { z } from "./zod";

/* POST /api/train, /api/deploy, /api/rollback. */

export const TrainBody = z
  .object({
    threshold: z
      .union([
        z.literal("max-f1"),
        z
          .number({ error: () => 'must be "max-f1" or a number between 0 and 1' })
          .gt(0, "must be greater than 0 (a probability strictly between 0 and 1)")
          .lt(1, "must be less than 1 (a probability strictly between 0 and 1)"),
      ], { error: (i) => `must be "max-f1" or a number between 0 and 1, got ${JSON.stringify(i.input)}` })
      .optional()
      .openapi({
        description: 'predict exit when probability ≥ threshold: a number in (0, 1), or "max-f1" for the threshold that maximises F1 on the test data; default 0.5',
        example: "max-f1",
      }),
  })
  .strict()
  .openapi("TrainRequest");

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
    actor: z.string().nullable().openapi({ description: 'who deployed it: "alice", "alice (key ci)", "ADMIN_TOKEN", "schedule", "cli (root)"; null before people existed' }),
  })
  .openapi("Deployment");

export const DeploymentResponse = z.object({ deployment: DeploymentEntry }).openapi("DeploymentResult");
