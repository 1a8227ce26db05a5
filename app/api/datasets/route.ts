import { getDb } from "@/lib/db/client";
import { apiRoute } from "@/lib/http/route";
import { datasetsView } from "@/lib/views/core";

export const dynamic = "force-dynamic";

export const GET = apiRoute({}, async () => Response.json(await datasetsView(getDb())));
