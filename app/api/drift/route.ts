import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { apiRoute, readQuery } from "@/lib/http/route";
import { driftView } from "@/lib/views/monitoring";

export const dynamic = "force-dynamic";

const query = z.object({
  take: z.coerce.number().int().min(1).max(1000).default(200),
  runId: z.coerce.number().int().positive().optional(),
});

/** Drift checks, newest first. */
export const GET = apiRoute({}, async (request) => Response.json(await driftView(getDb(), readQuery(request, query))));
