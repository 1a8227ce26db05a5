import { createHash, timingSafeEqual } from "node:crypto";
import { AppError } from "../errors";

/*
 * ADMIN_TOKEN: when set, every write (POST) needs `Authorization: Bearer <token>` or the UI's
 * session cookie. Comparisons hash both sides first, so they take the same time whatever the
 * length or content of the guess.
 */

export const SESSION_COOKIE = "dra_session";

function digest(s: string): Buffer {
  return createHash("sha256").update(s).digest();
}

export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

/** The cookie value for a UI session: derived from the token, so the token itself never sits in the browser. */
export function sessionCookieValue(token: string): string {
  return createHash("sha256").update(`dra-session:${token}`).digest("hex");
}

function cookie(request: Request, name: string): string | undefined {
  const header = request.headers.get("cookie");
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return decodeURIComponent(v.join("="));
  }
  return undefined;
}

/** Throws AppError("unauthorized:token") unless the request carries the admin token (or its session cookie). */
export function requireAdmin(request: Request, adminToken: string | undefined): void {
  if (!adminToken) return;
  const auth = request.headers.get("authorization");
  if (auth) {
    const m = /^Bearer\s+(.+)$/i.exec(auth.trim());
    if (m && safeEqual(m[1].trim(), adminToken)) return;
    throw new AppError("unauthorized:token", "The bearer token is wrong. Send Authorization: Bearer <ADMIN_TOKEN>.");
  }
  const session = cookie(request, SESSION_COOKIE);
  if (session && safeEqual(session, sessionCookieValue(adminToken))) {
    // A cookie is sent by the browser whoever made the page: a write it authenticates must come
    // from a page of this server (browsers send Origin with every POST). A bearer token cannot
    // be forged by another site, so it needs no such check.
    const origin = request.headers.get("origin");
    const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
    if (origin !== null && (origin === "null" || !host || originHost(origin) !== host.toLowerCase())) {
      throw new AppError("forbidden:origin", `A change signed in by the dashboard's session cookie must come from this server's own pages, not from ${origin}.`);
    }
    return;
  }
  throw new AppError(
    "unauthorized:token",
    "This server requires a token for changes: send Authorization: Bearer <ADMIN_TOKEN> (or sign in from the dashboard).",
  );
}

function originHost(origin: string): string | null {
  try {
    return new URL(origin).host.toLowerCase();
  } catch {
    return null;
  }
}

/** Whether the request carries the admin token or its session cookie (true when no token is configured). */
export function isAdmin(request: Request, adminToken: string | undefined): boolean {
  try {
    requireAdmin(request, adminToken);
    return true;
  } catch {
    return false;
  }
}

/** Set-Cookie value for a UI session (httpOnly, SameSite=Strict; Secure over https). */
export function sessionSetCookie(token: string, { secure, maxAgeSeconds = 60 * 60 * 24 * 7 }: { secure: boolean; maxAgeSeconds?: number }): string {
  return `${SESSION_COOKIE}=${sessionCookieValue(token)}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure ? "; Secure" : ""}`;
}

/** Set-Cookie value that removes the session cookie. */
export function sessionClearCookie({ secure }: { secure: boolean }): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT${secure ? "; Secure" : ""}`;
}
