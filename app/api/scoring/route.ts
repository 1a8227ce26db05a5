import { loadConfig } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { handle } from "@/lib/http/respond";
import { scoringView } from "@/lib/views/core";

export const dynamic = "force-dynamic";

export const GET = handle(async () => Response.json(await scoringView(getDb(), loadConfig())));
