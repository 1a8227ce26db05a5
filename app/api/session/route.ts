import { loadConfig } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { checkThrottle, isAdmin, recordWrongToken, safeEqual, sessionClearCookie, sessionSetCookie } from "@/lib/http/auth";
import { apiRoute, json, readJson } from "@/lib/http/route";
import { SessionBody, SessionStatus } from "@/lib/validations/session";

export const dynamic = "force-dynamic";

/*
 * The dashboard's sign-in. These routes stay reachable without the token (they are how a
 * browser gets it); POST answers 401 only for a wrong token.
 */

const secure = (request: Request) =>
  new URL(request.url).protocol === "https:" || request.headers.get("x-forwarded-proto")?.split(",")[0].trim() === "https";

export const GET = apiRoute({}, async (request) => {
  const token = loadConfig().ADMIN_TOKEN;
  return json(SessionStatus, { authRequired: token !== undefined, authenticated: isAdmin(request, token) });
});

export const POST = apiRoute({}, async (request) => {
  const { token } = await readJson(request, SessionBody);
  const adminToken = loadConfig().ADMIN_TOKEN;
  if (adminToken === undefined) return json(SessionStatus, { authRequired: false, authenticated: true });
  checkThrottle(request);
  if (!safeEqual(token, adminToken)) {
    recordWrongToken(request);
    throw new AppError("unauthorized:token", "That token is wrong. Use the server's ADMIN_TOKEN.");
  }
  return json(SessionStatus, { authRequired: true, authenticated: true }, { headers: { "set-cookie": sessionSetCookie(adminToken, { secure: secure(request) }) } });
});

export const DELETE = apiRoute({}, async (request) => {
  const adminToken = loadConfig().ADMIN_TOKEN;
  return json(SessionStatus, { authRequired: adminToken !== undefined, authenticated: false }, { headers: { "set-cookie": sessionClearCookie({ secure: secure(request) }) } });
});
