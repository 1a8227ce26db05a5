import { getDb } from "@/lib/db/client";
import { apiRoute, json, readOptionalJson } from "@/lib/http/route";
import { DeploymentResponse, RollbackBody } from "@/lib/validations/models";
import { rollbackModel } from "@/lib/actions/models";

export const dynamic = "force-dynamic";

export const POST = apiRoute({ write: true }, async (request) => {
  const body = await readOptionalJson(request, RollbackBody);
  return json(DeploymentResponse, await rollbackModel(getDb(), body));
});
