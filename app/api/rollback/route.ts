import { getDb } from "@/lib/db/client";
import { apiRoute, json, noteAudit, readOptionalJson } from "@/lib/http/route";
import { DeploymentResponse, RollbackBody } from "@/lib/validations/models";
import { rollbackModel } from "@/lib/actions/models";

export const dynamic = "force-dynamic";

export const POST = apiRoute(async (request) => {
  const body = await readOptionalJson(request, RollbackBody);
  const done = await rollbackModel(getDb(), body);
  noteAudit(request, { target: `model v${done.deployment.modelVersion}`, detail: { reason: done.deployment.reason } });
  return json(DeploymentResponse, done);
});
