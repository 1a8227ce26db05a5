import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { apiRoute, readQuery } from "@/lib/http/route";
import { quarantineView } from "@/lib/views/monitoring";

export const dynamic = "force-dynamic";

const query = z.object({
  take: z.coerce.number().int().min(1).max(1000).default(200),
  skip: z.coerce.number().int().min(0).default(0),
  dataset: z.coerce.number().int().positive().optional(),
});

/** Rows rejected at ingestion (newest first) with file, row number, column, problem and the raw row. */
export const GET = apiRoute({}, async (request) => {
  const q = readQuery(request, query);
  return Response.json(await quarantineView(getDb(), { take: q.take, skip: q.skip, datasetId: q.dataset }));
});
