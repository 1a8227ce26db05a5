import { loadConfig } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { apiRoute, json, readOptionalJson, readQuery } from "@/lib/http/route";
import { startFullProcessInBackground } from "@/lib/pipeline/background";
import { RunsQuery, RunsResponse, RunStartResponse, StartRunBody } from "@/lib/validations/monitoring";
import { pageRequest } from "@/lib/validations/pagination";
import { runsView } from "@/lib/reads/monitoring";

export const dynamic = "force-dynamic";

/** Pipeline runs, newest first, a page at a time (`limit`, `before`, `nextCursor`). */
export const GET = apiRoute(async (request) => json(RunsResponse, await runsView(getDb(), pageRequest(readQuery(request, RunsQuery)))));

/** Start the full process; it continues in the background. 409 while another run holds the lock. */
export const POST = apiRoute(async (request) => {
  const { trigger } = await readOptionalJson(request, StartRunBody);
  const run = await startFullProcessInBackground(getDb(), trigger, loadConfig());
  return json(RunStartResponse, { run }, { status: 202, headers: { Location: `/api/runs/${run.id}` } });
});
