import { getDb } from "@/lib/db/client";
import { apiRoute, readJson } from "@/lib/http/route";
import { DeployBody } from "@/lib/validations/models";
import { deployModel } from "@/lib/actions/models";

export const dynamic = "force-dynamic";

export const POST = apiRoute({ write: true }, async (request) => {
  const body = await readJson(request, DeployBody);
  return Response.json(await deployModel(getDb(), body));
});
