import { getDb } from "@/lib/db/client";
import { apiRoute } from "@/lib/http/route";
import { stabilityView } from "@/lib/reads/monitoring";

export const dynamic = "force-dynamic";

/** Per-column mean/median/SD/missing after each ingestion, each against the previous snapshot (oldest first). */
export const GET = apiRoute({}, async () => Response.json(await stabilityView(getDb())));
