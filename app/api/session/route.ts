import { loadConfig } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { accessMode, checkOrigin, cookieOf, SESSION_COOKIE, type Principal } from "@/lib/auth/access";
import { sessionStatus } from "@/lib/auth/session-status";
import { signIn, signOut } from "@/lib/auth/people";
import { safeEqual, tokenCookieValue } from "@/lib/auth/secrets";
import { checkThrottle, recordFailure } from "@/lib/auth/throttle";
import { secureCookies, sessionClearCookie, sessionSetCookie, signedInResponse } from "@/lib/http/cookies";
import { apiRoute, json, readJson } from "@/lib/http/route";
import { SessionBody, SessionStatus } from "@/lib/validations/session";

export const dynamic = "force-dynamic";

/*
 * The dashboard's sign-in (public: it is how a browser gets a session). POST takes a name and
 * password (lib/auth/people.ts signIn), or ADMIN_TOKEN as before users existed.
 */

export const GET = apiRoute(async (request) => json(SessionStatus, await sessionStatus(request)));

export const POST = apiRoute(async (request) => {
  checkOrigin(request);
  const body = await readJson(request, SessionBody);
  const config = loadConfig();
  if ("token" in body) {
    const adminToken = config.ADMIN_TOKEN;
    if (adminToken === undefined) {
      if ((await accessMode(getDb(), config)) === "open") return json(SessionStatus, await sessionStatus(request));
      throw new AppError("unauthorized:token", "This server has no ADMIN_TOKEN: sign in with a name and a password.");
    }
    checkThrottle(request);
    if (!safeEqual(body.token, adminToken)) {
      recordFailure(request);
      throw new AppError("unauthorized:token", "That token is wrong. Use the server's ADMIN_TOKEN.");
    }
    const principal: Principal = { kind: "token", role: "admin", name: "ADMIN_TOKEN", viaCookie: true };
    return json(SessionStatus, await sessionStatus(request, principal), {
      headers: { "set-cookie": sessionSetCookie(tokenCookieValue(adminToken), { secure: secureCookies(request, config), maxAgeSeconds: config.SESSION_MAX_HOURS * 3600 }) },
    });
  }
  return signedInResponse(request, await signIn(getDb(), request, { ...body, previousCookie: cookieOf(request, SESSION_COOKIE) }, config), config);
});

export const DELETE = apiRoute(async (request) => {
  await signOut(getDb(), request, cookieOf(request, SESSION_COOKIE));
  return json(SessionStatus, { ...(await sessionStatus(request, null)), authenticated: false }, { headers: { "set-cookie": sessionClearCookie({ secure: secureCookies(request, loadConfig()) }) } });
});
