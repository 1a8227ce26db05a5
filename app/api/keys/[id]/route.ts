import { getDb } from "@/lib/db/client";
import { revokeKey } from "@/lib/auth/people";
import { apiRoute, json, readIdParams } from "@/lib/http/route";
import { KeyIdParams, KeyResponse } from "@/lib/validations/people";

export const dynamic = "force-dynamic";

/** Revoke the key: the next request with it gets 401. */
export const DELETE = apiRoute<{ params: Promise<{ id: string }> }>(async (_request, { params }) => {
  const id = await readIdParams(params, KeyIdParams, "key");
  return json(KeyResponse, { key: await revokeKey(getDb(), id) });
});
