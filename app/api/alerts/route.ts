import { getDb } from "@/lib/db/client";
import { apiRoute, json, readQuery } from "@/lib/http/route";
import { AlertsQuery, AlertsResponse } from "@/lib/validations/monitoring";
import { pageRequest } from "@/lib/validations/pagination";
import { alertsView } from "@/lib/reads/monitoring";

export const dynamic = "force-dynamic";

/** Alerts (drift, failed runs), newest first, with their webhook delivery result; `?open=true` for unacknowledged ones. */
export const GET = apiRoute(async (request) => {
  const q = readQuery(request, AlertsQuery);
  return json(AlertsResponse, await alertsView(getDb(), { ...pageRequest(q), open: q.open === "true" }));
});
