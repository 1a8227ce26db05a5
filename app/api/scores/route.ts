import { getDb } from "@/lib/db/client";
import { apiRoute, json, readQuery } from "@/lib/http/route";
import { ScoresQuery, ScoresResponse } from "@/lib/validations/core";
import { pageRequest } from "@/lib/validations/pagination";
import { scoresView } from "@/lib/reads/core";

export const dynamic = "force-dynamic";

/** Scores a page at a time: the newest `limit` below `before`, listed oldest first. */
export const GET = apiRoute(async (request) => json(ScoresResponse, await scoresView(getDb(), pageRequest(readQuery(request, ScoresQuery)))));
