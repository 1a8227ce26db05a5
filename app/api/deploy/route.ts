import { getDb } from "@/lib/db/client";
import { apiRoute, json, readJson } from "@/lib/http/route";
import { DeployBody, DeploymentResponse } from "@/lib/validations/models";
import { deployModel } from "@/lib/actions/models";

export const dynamic = "force-dynamic";

export const POST = apiRoute({ write: true }, async (request) => {
  const body = await readJson(request, DeployBody);
  return json(DeploymentResponse, await deployModel(getDb(), body));
});
