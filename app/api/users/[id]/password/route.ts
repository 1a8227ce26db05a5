import { getDb } from "@/lib/db/client";
import { resetPassword } from "@/lib/auth/people";
import { apiRoute, json, readIdParams } from "@/lib/http/route";
import { UserIdParams, UserWithPassword } from "@/lib/validations/people";

export const dynamic = "force-dynamic";

/** A new one-time password for the user (shown once); their sessions end. */
export const POST = apiRoute<{ params: Promise<{ id: string }> }>(async (_request, { params }) => {
  const id = await readIdParams(params, UserIdParams, "user");
  return json(UserWithPassword, await resetPassword(getDb(), id), { headers: { "cache-control": "no-store" } });
});
