import { loadConfig } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { apiRoute, json, readQuery } from "@/lib/http/route";
import { SummaryStatsQuery, SummaryStatsResponse } from "@/lib/validations/core";
import { summaryStatsView } from "@/lib/reads/summary";

export const dynamic = "force-dynamic";

export const GET = apiRoute(async (request) => {
  const { dataset } = readQuery(request, SummaryStatsQuery);
  return json(SummaryStatsResponse, await summaryStatsView(getDb(), loadConfig(), { dataset }));
});
