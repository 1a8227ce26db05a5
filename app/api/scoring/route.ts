import { loadConfig } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { apiRoute } from "@/lib/http/route";
import { scoreDeployedModel } from "@/lib/actions/scoring";

export const dynamic = "force-dynamic";

export const GET = apiRoute({}, async () => Response.json(await scoreDeployedModel(getDb(), loadConfig())));
