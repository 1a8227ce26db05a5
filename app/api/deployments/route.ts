import { getDb } from "@/lib/db/client";
import { apiRoute, json } from "@/lib/http/route";
import { deploymentsView } from "@/lib/reads/dashboard";
import { DeploymentsResponse } from "@/lib/validations/dashboard";

export const dynamic = "force-dynamic";

/** Every deployment (rollbacks included), oldest first: the last one is live. */
export const GET = apiRoute(async () => json(DeploymentsResponse, await deploymentsView(getDb())));
