import { getDb } from "@/lib/db/client";
import { apiRoute, json, readIdParams } from "@/lib/http/route";
import { RunDetailResponse, RunIdParams } from "@/lib/validations/monitoring";
import { runDetailView } from "@/lib/reads/monitoring";

export const dynamic = "force-dynamic";

/** One run with its steps, reason, stored timings and drift check; 404 for an unknown or invalid id. */
export const GET = apiRoute<{ params: Promise<{ id: string }> }>(async (_request, { params }) => {
  const id = await readIdParams(params, RunIdParams, "run");
  return json(RunDetailResponse, await runDetailView(getDb(), { id }));
});
