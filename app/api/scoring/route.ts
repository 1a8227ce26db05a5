import { loadConfig } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { apiRoute, json } from "@/lib/http/route";
import { ScoringResponse } from "@/lib/validations/core";
import { scoreDeployedModel } from "@/lib/actions/scoring";

export const dynamic = "force-dynamic";

export const GET = apiRoute(async () => json(ScoringResponse, await scoreDeployedModel(getDb(), loadConfig())));
