import { getDb } from "@/lib/db/client";
import { apiRoute, json } from "@/lib/http/route";
import { DiagnosticsResponse } from "@/lib/validations/monitoring";
import { diagnosticsView } from "@/lib/reads/monitoring";

export const dynamic = "force-dynamic";

/** Missing data, step timings, the cached dependency status (never calls npm), stability. */
export const GET = apiRoute(async () => json(DiagnosticsResponse, await diagnosticsView(getDb())));
