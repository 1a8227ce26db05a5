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

/*
 * Wrong tokens are slowed down: after WRONG_TOKENS_ALLOWED wrong tokens (or forged cookies) from
 * one client within THROTTLE_WINDOW_S, every attempt of that client that carries a credential is
 * answered 429 with Retry-After until the window has passed — without comparing it, so the
 * answer says nothing about the guess. The client is the first X-Forwarded-For entry: the server
 * (scripts/serve.ts) sets it to the peer address, overwriting what the client sent, unless
 * TRUST_PROXY says a reverse proxy in front sets it.
 */
const WRONG_TOKENS_ALLOWED = 5;
const THROTTLE_WINDOW_S = 60;
const wrongTokens: Map<string, number[]> = ((globalThis as unknown as { __draWrongTokens?: Map<string, number[]> }).__draWrongTokens ??= new Map());

function clientOf(request: Request): string {
  return request.headers.get("x-forwarded-for")?.split(",")[0].trim() || "unknown";
}

/** Throws 429 too_many_requests:token while this client is throttled. */
export function checkThrottle(request: Request, now = Date.now()): void {
  const client = clientOf(request);
  const recent = (wrongTokens.get(client) ?? []).filter((t) => now - t < THROTTLE_WINDOW_S * 1000);
  if (recent.length === 0) wrongTokens.delete(client);
  else wrongTokens.set(client, recent);
  if (recent.length >= WRONG_TOKENS_ALLOWED) {
    const retryAfterSeconds = (recent[0] + THROTTLE_WINDOW_S * 1000 - now) / 1000;
    throw new AppError("too_many_requests:token", `Too many wrong tokens from this client; try again in ${Math.ceil(retryAfterSeconds)} s.`, undefined, { retryAfterSeconds });
  }
}

/** Forget every client's wrong tokens (each test starts from a clean slate). */
export function forgetWrongTokens(): void {
  wrongTokens.clear();
}

/** Count a wrong token or forged cookie against this client. */
export function recordWrongToken(request: Request, now = Date.now()): void {
  const client = clientOf(request);
  const list = wrongTokens.get(client) ?? [];
  list.push(now);
  wrongTokens.set(client, list);
  // a flood of made-up client addresses must not grow the map without bound
  if (wrongTokens.size > 10_000) wrongTokens.delete(wrongTokens.keys().next().value as string);
}

/** Throws AppError("unauthorized:token") unless the request carries the admin token (or its session cookie). */
export function requireAdmin(request: Request, adminToken: string | undefined): void {
  if (!adminToken) return;
  const auth = request.headers.get("authorization");
  const session = cookie(request, SESSION_COOKIE);
  if (auth || session) checkThrottle(request);
  if (auth) {
    const m = /^Bearer\s+(.+)$/i.exec(auth.trim());
    if (m && safeEqual(m[1].trim(), adminToken)) return;
    recordWrongToken(request);
    throw new AppError("unauthorized:token", "The bearer token is wrong. Send Authorization: Bearer <ADMIN_TOKEN>.");
  }
  if (session && !safeEqual(session, sessionCookieValue(adminToken))) recordWrongToken(request);
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

/**
 * Whether the request carries the admin token or its session cookie (true when no token is
 * configured). A question, not an attempt: it neither counts nor is refused by the throttle (the
 * dashboard asks it with whatever cookie it has).
 */
export function isAdmin(request: Request, adminToken: string | undefined): boolean {
  if (!adminToken) return true;
  const m = /^Bearer\s+(.+)$/i.exec(request.headers.get("authorization")?.trim() ?? "");
  if (m) return safeEqual(m[1].trim(), adminToken);
  const session = cookie(request, SESSION_COOKIE);
  return session !== undefined && safeEqual(session, sessionCookieValue(adminToken));
}

/** Set-Cookie value for a UI session (httpOnly, SameSite=Strict; Secure over https). */
export function sessionSetCookie(token: string, { secure, maxAgeSeconds = 60 * 60 * 24 * 7 }: { secure: boolean; maxAgeSeconds?: number }): string {
  return `${SESSION_COOKIE}=${sessionCookieValue(token)}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure ? "; Secure" : ""}`;
}

/** Set-Cookie value that removes the session cookie. */
export function sessionClearCookie({ secure }: { secure: boolean }): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT${secure ? "; Secure" : ""}`;
}
