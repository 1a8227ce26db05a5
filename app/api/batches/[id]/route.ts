import { batchDetailView } from "@/lib/batches/monitor";
import { getDb } from "@/lib/db/client";
import { apiRoute, json, readIdParams } from "@/lib/http/route";
import { BatchDetail, BatchIdParams } from "@/lib/validations/batches";

export const dynamic = "force-dynamic";

/** One monitored batch: estimate, drift, realized scores once labels arrived, its riskiest clients; 404 for an unknown id. */
export const GET = apiRoute<{ params: Promise<{ id: string }> }>(async (_request, { params }) => {
  const id = await readIdParams(params, BatchIdParams, "batch");
  return json(BatchDetail, await batchDetailView(getDb(), id));
});
