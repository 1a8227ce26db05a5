import { getDb } from "@/lib/db/client";
import { addUser, listUserViews } from "@/lib/auth/people";
import { apiRoute, json, readJson } from "@/lib/http/route";
import { CreateUserBody, UserWithPassword, UsersResponse } from "@/lib/validations/people";

export const dynamic = "force-dynamic";

export const GET = apiRoute(async () => json(UsersResponse, { users: await listUserViews(getDb()) }));

export const POST = apiRoute(async (request) => {
  const body = await readJson(request, CreateUserBody);
  const created = await addUser(getDb(), body);
  return json(UserWithPassword, created, { status: 201, headers: { location: `/api/users/${created.user.id}`, "cache-control": "no-store" } });
});
