import { getDb } from "@/lib/db/client";
import { apiRoute, json, readQuery } from "@/lib/http/route";
import { QuarantineQuery, QuarantineResponse } from "@/lib/validations/monitoring";
import { pageRequest } from "@/lib/validations/pagination";
import { quarantineView } from "@/lib/reads/monitoring";

export const dynamic = "force-dynamic";

/** Rows rejected at ingestion (newest first, a page at a time) with file, row number, column, problem and the raw row. */
export const GET = apiRoute(async (request) => {
  const q = readQuery(request, QuarantineQuery);
  return json(QuarantineResponse, await quarantineView(getDb(), { ...pageRequest(q), skip: q.skip, datasetId: q.dataset }));
});
