import { loadConfig } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { apiRoute } from "@/lib/http/route";
import { scoringView } from "@/lib/views/core";

export const dynamic = "force-dynamic";

export const GET = apiRoute({}, async () => Response.json(await scoringView(getDb(), loadConfig())));
