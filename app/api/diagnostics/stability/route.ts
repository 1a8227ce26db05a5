import { getDb } from "@/lib/db/client";
import { apiRoute, json } from "@/lib/http/route";
import { StabilityResponse } from "@/lib/validations/monitoring";
import { stabilityView } from "@/lib/reads/monitoring";

export const dynamic = "force-dynamic";

/** Per-column mean/median/SD/missing after each ingestion, each against the previous snapshot (oldest first). */
export const GET = apiRoute(async () => json(StabilityResponse, await stabilityView(getDb())));
