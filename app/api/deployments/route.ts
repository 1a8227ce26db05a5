import { getDb } from "@/lib/db/client";
import { apiRoute } from "@/lib/http/route";
import { deploymentsView } from "@/lib/reads/dashboard";

export const dynamic = "force-dynamic";

/** Every deployment (rollbacks included), oldest first: the last one is live. */
export const GET = apiRoute({}, async () => Response.json({ deployments: await deploymentsView(getDb()) }));
