import { getDb } from "@/lib/db/client";
import { handle } from "@/lib/http/respond";
import { datasetsView } from "@/lib/views/core";

export const dynamic = "force-dynamic";

export const GET = handle(async () => Response.json(await datasetsView(getDb())));
