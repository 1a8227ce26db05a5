import { getDb } from "@/lib/db/client";
import { changeUser } from "@/lib/auth/people";
import { apiRoute, json, readIdParams, readJson } from "@/lib/http/route";
import { UpdateUserBody, UserIdParams, UserResponse } from "@/lib/validations/people";

export const dynamic = "force-dynamic";

export const PATCH = apiRoute<{ params: Promise<{ id: string }> }>(async (request, { params }) => {
  const id = await readIdParams(params, UserIdParams, "user");
  const body = await readJson(request, UpdateUserBody);
  return json(UserResponse, { user: await changeUser(getDb(), id, body) });
});
