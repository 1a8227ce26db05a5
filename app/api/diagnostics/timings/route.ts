import { getDb } from "@/lib/db/client";
import { apiRoute } from "@/lib/http/route";
import { timingsView } from "@/lib/reads/dashboard";

export const dynamic = "force-dynamic";

/** Step timings over time (runs, API calls, CLI, timing checks, prediction intervals), oldest first. */
export const GET = apiRoute({}, async () => Response.json({ timings: await timingsView(getDb()) }));
