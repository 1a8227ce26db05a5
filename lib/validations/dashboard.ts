import { IsoDateTime } from "./common";
import { DeploymentEntry } from "./models";
import { z } from "./zod";

/* Reads the dashboard needs beyond API.md: the deployment history and the step timings over time. */

export const DeploymentsResponse = z
  .object({ deployments: z.array(DeploymentEntry).openapi({ description: "every deployment (rollbacks included), oldest first: the last one is live" }) })
  .openapi("Deployments");

export const TimingEntry = z
  .object({
    step: z.string(),
    ms: z.number(),
    source: z.string().openapi({ description: "pipeline, api, cli, timing-check; an aggregated prediction interval says so (its median)" }),
    runId: z.number().int().nullable(),
    createdAt: IsoDateTime,
  })
  .openapi("Timing");

export const TimingsResponse = z
  .object({ timings: z.array(TimingEntry).openapi({ description: "the newest 2000 step timings and prediction intervals, oldest first" }) })
  .openapi("Timings");
