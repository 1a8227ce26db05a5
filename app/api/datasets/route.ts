import { getDb } from "@/lib/db/client";
import { apiRoute, json, readQuery } from "@/lib/http/route";
import { DatasetsQuery, DatasetsResponse } from "@/lib/validations/core";
import { pageRequest } from "@/lib/validations/pagination";
import { datasetsView } from "@/lib/reads/core";

export const dynamic = "force-dynamic";

/** The ingestion ledger a page at a time: the newest `limit` entries below `before`, listed oldest first. */
export const GET = apiRoute(async (request) => json(DatasetsResponse, await datasetsView(getDb(), pageRequest(readQuery(request, DatasetsQuery)))));
