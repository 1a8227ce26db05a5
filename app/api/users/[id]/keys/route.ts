import { getDb } from "@/lib/db/client";
import { addApiKey } from "@/lib/auth/people";
import { apiRoute, json, readIdParams, readJson } from "@/lib/http/route";
import { CreateKeyBody, CreatedKeyResponse, UserIdParams } from "@/lib/validations/people";

export const dynamic = "force-dynamic";

/** A new API key for the user; the key is in this answer only. */
export const POST = apiRoute<{ params: Promise<{ id: string }> }>(async (request, { params }) => {
  const id = await readIdParams(params, UserIdParams, "user");
  const body = await readJson(request, CreateKeyBody);
  const created = await addApiKey(getDb(), id, body);
  return json(CreatedKeyResponse, created, { status: 201, headers: { "cache-control": "no-store" } });
});
