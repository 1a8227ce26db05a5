import { loadConfig } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { changeOwnPassword } from "@/lib/auth/people";
import { secureCookies, sessionSetCookie } from "@/lib/http/cookies";
import { apiRoute, json, principalOf, readJson } from "@/lib/http/route";
import { ChangePasswordBody, SessionStatus } from "@/lib/validations/session";

export const dynamic = "force-dynamic";

/** Change your own password: every session of yours ends, this browser gets a new one. */
export const POST = apiRoute(async (request) => {
  const body = await readJson(request, ChangePasswordBody);
  const p = principalOf(request);
  if (p.userId === undefined || p.kind === "proxy") throw new AppError("conflict:user", "Only a signed-in user with a password of this server can change it (ADMIN_TOKEN and auth proxy users have none here).");
  const config = loadConfig();
  const signed = await changeOwnPassword(getDb(), request, p.userId, body, config);
  return json(
    SessionStatus,
    { authRequired: true, authenticated: true, mode: "users", role: signed.user.role, user: { id: signed.user.id, name: signed.user.name, role: signed.user.role }, via: "session" },
    { headers: { "set-cookie": sessionSetCookie(signed.sessionId, { secure: secureCookies(request, config), maxAgeSeconds: config.SESSION_MAX_HOURS * 3600 }) } },
  );
});
