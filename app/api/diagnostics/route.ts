import { getDb } from "@/lib/db/client";
import { apiRoute } from "@/lib/http/route";
import { diagnosticsView } from "@/lib/reads/monitoring";

export const dynamic = "force-dynamic";

/** Missing data, step timings, the cached dependency status (never calls npm), stability. */
export const GET = apiRoute({}, async () => Response.json(await diagnosticsView(getDb())));
