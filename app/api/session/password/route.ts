import { loadConfig } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { changeOwnPassword } from "@/lib/auth/people";
import { signedInResponse } from "@/lib/http/cookies";
import { apiRoute, principalOf, readJson } from "@/lib/http/route";
import { ChangePasswordBody } from "@/lib/validations/session";

export const dynamic = "force-dynamic";

/** Change your own password: every session of yours ends, this browser gets a new one. */
export const POST = apiRoute(async (request) => {
  const body = await readJson(request, ChangePasswordBody);
  const p = principalOf(request);
  if (p.userId === undefined || p.kind === "proxy") throw new AppError("conflict:user", "Only a signed-in user with a password of this server can change it (ADMIN_TOKEN and auth proxy users have none here).");
  const config = loadConfig();
  return signedInResponse(request, await changeOwnPassword(getDb(), request, p.userId, body, config), config);
});
