import { getDb } from "@/lib/db/client";
import { apiRoute } from "@/lib/http/route";
import { scoresView } from "@/lib/views/core";

export const dynamic = "force-dynamic";

export const GET = apiRoute({}, async () => Response.json(await scoresView(getDb())));
