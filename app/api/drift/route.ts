import { getDb } from "@/lib/db/client";
import { apiRoute, json, readQuery } from "@/lib/http/route";
import { DriftQuery, DriftResponse } from "@/lib/validations/monitoring";
import { pageRequest } from "@/lib/validations/pagination";
import { driftView } from "@/lib/reads/monitoring";

export const dynamic = "force-dynamic";

/** Drift checks, newest first, a page at a time; `?runId=` for one run's check. */
export const GET = apiRoute(async (request) => {
  const q = readQuery(request, DriftQuery);
  return json(DriftResponse, await driftView(getDb(), { ...pageRequest(q), runId: q.runId }));
});
