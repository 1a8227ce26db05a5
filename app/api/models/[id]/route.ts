import { getDb } from "@/lib/db/client";
import { apiRoute, json, readIdParams } from "@/lib/http/route";
import { ModelDetailResponse, ModelIdParams } from "@/lib/validations/core";
import { modelDetailView } from "@/lib/reads/core";

export const dynamic = "force-dynamic";

/** One model version with its newest test score in full (ranking, calibration, curves); 404 for an unknown id. */
export const GET = apiRoute<{ params: Promise<{ id: string }> }>(async (_request, { params }) => {
  const id = await readIdParams(params, ModelIdParams, "model");
  return json(ModelDetailResponse, await modelDetailView(getDb(), { id }));
});
