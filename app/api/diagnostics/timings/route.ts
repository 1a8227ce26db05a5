import { getDb } from "@/lib/db/client";
import { apiRoute, json } from "@/lib/http/route";
import { timingsView } from "@/lib/reads/dashboard";
import { TimingsResponse } from "@/lib/validations/dashboard";

export const dynamic = "force-dynamic";

/** Step timings over time (runs, API calls, CLI, timing checks, prediction intervals), oldest first. */
export const GET = apiRoute(async () => json(TimingsResponse, await timingsView(getDb())));
