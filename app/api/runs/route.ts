import { z } from "zod";
import { loadConfig } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { apiRoute, readOptionalJson, readQuery } from "@/lib/http/route";
import { startFullProcessInBackground } from "@/lib/pipeline/background";
import { runsView, startRunBody } from "@/lib/views/monitoring";

export const dynamic = "force-dynamic";

const query = z.object({ take: z.coerce.number().int().min(1).max(1000).default(100) });

/** Pipeline runs, newest first. */
export const GET = apiRoute({}, async (request) => Response.json(await runsView(getDb(), readQuery(request, query))));

/** Start the full process; it continues in the background. 409 while another run holds the lock. */
export const POST = apiRoute({ write: true }, async (request) => {
  const { trigger } = await readOptionalJson(request, startRunBody);
  const run = await startFullProcessInBackground(getDb(), trigger, loadConfig());
  return Response.json({ run }, { status: 202, headers: { Location: `/api/runs/${run.id}` } });
});
