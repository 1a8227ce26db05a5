import { getDb } from "@/lib/db/client";
import { apiRoute, json, readQuery } from "@/lib/http/route";
import { ModelsQuery, ModelsResponse } from "@/lib/validations/core";
import { pageRequest } from "@/lib/validations/pagination";
import { modelsView } from "@/lib/reads/core";

export const dynamic = "force-dynamic";

/** Model versions a page at a time: the newest `limit` below `before`, listed oldest first. */
export const GET = apiRoute(async (request) => json(ModelsResponse, await modelsView(getDb(), pageRequest(readQuery(request, ModelsQuery)))));
