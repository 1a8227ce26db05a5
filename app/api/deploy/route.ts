import { getDb } from "@/lib/db/client";
import { apiRoute, json, noteAudit, readJson } from "@/lib/http/route";
import { DeployBody, DeploymentResponse } from "@/lib/validations/models";
import { deployModel } from "@/lib/actions/models";

export const dynamic = "force-dynamic";

export const POST = apiRoute(async (request) => {
  const body = await readJson(request, DeployBody);
  const done = await deployModel(getDb(), body);
  noteAudit(request, { target: `model v${done.deployment.modelVersion}`, detail: { reason: done.deployment.reason } });
  return json(DeploymentResponse, done);
});
