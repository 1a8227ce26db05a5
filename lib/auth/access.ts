import type { Config } from "../config";
import type { Db } from "../db/client";
import { findApiKey, findSession, findUserByName, insertUser, touchApiKey, touchSession, usersExist, type User } from "../db/people";
import { AppError } from "../errors";
import type { WithHeaders } from "./request-headers";
import { actor, runAsActor, type Actor } from "../actor";
import { recordAudit } from "./audit";
import { hasRole, isRole, lowerRole, type Role, type RouteRole } from "./roles";
import { looksLikeApiKey, safeEqual, sha256hex, tokenCookieValue } from "./secrets";
import { checkThrottle, clientOf, recordFailure } from "./throttle";

/*
 * Who a request is, and whether it may do what it asks: the one place the API and the pages
 * decide access (lib/http/route.ts for every API route, scripts/serve.ts for the pages).
 *
 * Modes:
 *   open  — no user and no ADMIN_TOKEN: everything is allowed to anyone (a first start works
 *           as it always did; the Overview says so in a banner)
 *   token — ADMIN_TOKEN and no user: reads are open, everything else needs the token (as before
 *           people existed)
 *   users — at least one user: every read needs a viewer, except what is public (health,
 *           sign-in), /api/metrics with METRICS_PUBLIC=1, and every GET with PUBLIC_READ=1
 *
 * Credentials, first match wins: `Authorization: Bearer` (ADMIN_TOKEN, an admin; or an API key),
 * the auth proxy's header (TRUST_PROXY=1 and AUTH_PROXY_HEADER), the session cookie (a user's
 * session, or the older cookie of a browser signed in with ADMIN_TOKEN).
 */

export const SESSION_COOKIE = "dra_session";
/** lastSeenAt of a session and lastUsedAt of a key are written at most this often */
const TOUCH_EVERY_MS = 60_000;

export type AccessMode = "open" | "token" | "users";

export interface Principal {
  kind: "user" | "key" | "token" | "proxy" | "anonymous";
  /** what it may do; null: anonymous on a server that is not open */
  role: Role | null;
  name: string;
  userId?: number;
  keyId?: number;
  keyName?: string;
  sessionId?: number;
  /** authenticated by the session cookie (a write must then come from this server's pages) */
  viaCookie: boolean;
}

export type AccessConfig = Pick<
  Config,
  "ADMIN_TOKEN" | "PUBLIC_READ" | "METRICS_PUBLIC" | "TRUST_PROXY" | "AUTH_PROXY_HEADER" | "AUTH_PROXY_AUTO_CREATE" | "SESSION_MAX_HOURS" | "SESSION_IDLE_MINUTES"
>;

export async function accessMode(db: Db, config: Pick<Config, "ADMIN_TOKEN">): Promise<AccessMode> {
  if (await usersExist(db)) return "users";
  return config.ADMIN_TOKEN ? "token" : "open";
}

/** Whether reads (the pages, GET of a viewer route) are open to anyone. */
export function readsOpen(mode: AccessMode, config: Pick<Config, "PUBLIC_READ">): boolean {
  return mode !== "users" || config.PUBLIC_READ;
}

const ANONYMOUS: Principal = { kind: "anonymous", role: null, name: "anonymous", viaCookie: false };
const OPEN: Principal = { kind: "anonymous", role: "admin", name: "anonymous", viaCookie: false };

export function cookieOf(request: WithHeaders, name: string): string | undefined {
  const header = request.headers.get("cookie");
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) {
      try {
        return decodeURIComponent(v.join("="));
      } catch {
        return v.join("=");
      }
    }
  }
  return undefined;
}

/** The actor a principal acts as (lib/auth/actor.ts), with the request's client address. */
export function actorOf(p: Principal, request: WithHeaders): Actor {
  const client = clientOf(request);
  if (p.kind === "key") return actor("key", p.name, { userId: p.userId, client, label: `${p.name} (key ${p.keyName})` });
  if (p.kind === "token") return actor("token", "ADMIN_TOKEN", { client });
  if (p.kind === "user" || p.kind === "proxy") return actor(p.kind, p.name, { userId: p.userId, client });
  return actor("anonymous", "anonymous", { client });
}

function userPrincipal(user: User, extra: Partial<Principal>, kind: Principal["kind"] = "user"): Principal {
  return { kind, role: isRole(user.role) ? user.role : "viewer", name: user.name, userId: user.id, viaCookie: false, ...extra };
}

/**
 * Who the request's credentials name; null when it carries none (or a cookie this server never
 * gave out). Throws 401 for a wrong, ended or revoked credential, and 429 while the client is
 * throttled. `attempt: false` (a question such as GET /api/session, or an open read) neither
 * checks nor counts against the throttle.
 */
export async function identify(request: WithHeaders, db: Db, config: AccessConfig, { now, attempt = true }: { now?: Date; attempt?: boolean } = {}): Promise<Principal | null> {
  const auth = request.headers.get("authorization");
  if (auth !== null) return identifyBearer(request, auth, db, config, now ?? new Date(), attempt);
  const proxied = config.TRUST_PROXY && config.AUTH_PROXY_HEADER ? request.headers.get(config.AUTH_PROXY_HEADER)?.trim() : undefined;
  if (proxied) return identifyProxied(request, proxied, db, config);
  const cookie = cookieOf(request, SESSION_COOKIE);
  if (cookie) return identifyCookie(request, cookie, db, config, now ?? new Date(), attempt);
  return null;
}

async function identifyBearer(request: WithHeaders, auth: string, db: Db, config: AccessConfig, now: Date, attempt: boolean): Promise<Principal> {
  if (attempt) checkThrottle(request);
  const bearer = /^Bearer\s+(.+)$/i.exec(auth.trim())?.[1].trim() ?? "";
  if (config.ADMIN_TOKEN && bearer && safeEqual(bearer, config.ADMIN_TOKEN)) return { kind: "token", role: "admin", name: "ADMIN_TOKEN", viaCookie: false };
  if (looksLikeApiKey(bearer)) {
    const key = await findApiKey(db, sha256hex(bearer), now.getTime());
    if (key) {
      const ended = key.revokedAt ? "was revoked" : key.expiresAt && key.expiresAt <= now ? "has expired" : key.user.disabled ? "belongs to a disabled user" : null;
      if (ended) throw new AppError("unauthorized:key", `This API key (${key.prefix}…) ${ended}. Ask an admin for a new one.`);
      if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() > TOUCH_EVERY_MS) await touchApiKey(db, key.id, now);
      const user = userPrincipal(key.user, { kind: "key", keyId: key.id, keyName: key.name });
      return { ...user, role: lowerRole(user.role ?? "viewer", isRole(key.role) ? key.role : "viewer") };
    }
  }
  if (attempt) recordFailure(request);
  throw new AppError(
    "unauthorized:token",
    config.ADMIN_TOKEN ? "The bearer token is wrong. Send Authorization: Bearer <ADMIN_TOKEN or an API key>." : "The bearer token is not a valid API key. Send Authorization: Bearer <API key>.",
  );
}

async function identifyCookie(request: WithHeaders, cookie: string, db: Db, config: AccessConfig, now: Date, attempt: boolean): Promise<Principal | null> {
  if (attempt) checkThrottle(request);
  if (config.ADMIN_TOKEN && safeEqual(cookie, tokenCookieValue(config.ADMIN_TOKEN))) return { kind: "token", role: "admin", name: "ADMIN_TOKEN", viaCookie: true };
  const session = cookie.startsWith("s.") ? await findSession(db, sha256hex(cookie)) : null;
  if (!session) {
    // forged, or from another server on this host name: as good as no cookie, but counted
    if (attempt) recordFailure(request);
    return null;
  }
  const idleMs = config.SESSION_IDLE_MINUTES * 60_000;
  const ended = session.revokedAt
    ? "was signed out"
    : session.expiresAt <= now
      ? `has expired (sessions last ${config.SESSION_MAX_HOURS} h)`
      : now.getTime() - session.lastSeenAt.getTime() > idleMs
        ? `was idle for more than ${config.SESSION_IDLE_MINUTES} minutes`
        : session.user.disabled
          ? "belongs to a disabled user"
          : null;
  if (ended) throw new AppError("unauthorized:session", `Your session ${ended}. Sign in again.`);
  if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) await touchSession(db, session.id, now);
  return userPrincipal(session.user, { sessionId: session.id, viaCookie: true });
}

async function identifyProxied(request: WithHeaders, name: string, db: Db, config: AccessConfig): Promise<Principal> {
  if (name.length > 200 || /[\u0000-\u001f]/.test(name)) throw new AppError("unauthorized:user", `The ${config.AUTH_PROXY_HEADER} header does not hold a user name.`);
  let user = await findUserByName(db, name);
  if (!user) {
    if (!config.AUTH_PROXY_AUTO_CREATE) throw new AppError("unauthorized:user", `${name} (from ${config.AUTH_PROXY_HEADER}) is not a user of this server. Ask an admin to add them.`);
    try {
      user = await insertUser(db, { name, role: "viewer", passwordHash: null, mustChangePassword: false, fromProxy: true });
      const who = actor("proxy", name, { userId: user.id, client: clientOf(request) });
      await runAsActor(who, () => recordAudit(db, { action: "user.create", target: `user ${name}`, detail: { role: "viewer", via: config.AUTH_PROXY_HEADER } }));
    } catch {
      // two first requests at once: the other one created it
      user = await findUserByName(db, name);
      if (!user) throw new AppError("unauthorized:user", `${name} could not be added as a user; try again.`);
    }
  }
  if (user.disabled) throw new AppError("unauthorized:user", `${name} is disabled on this server.`);
  return userPrincipal(user, {}, "proxy");
}

function carriesCredential(request: WithHeaders, config: AccessConfig): boolean {
  return request.headers.has("authorization") || request.headers.has("cookie") || (config.TRUST_PROXY && !!config.AUTH_PROXY_HEADER && request.headers.has(config.AUTH_PROXY_HEADER));
}

/** The text of a 403 for a role too low. */
function roleRefusal(p: Principal, needed: Role): AppError {
  const who = p.kind === "key" ? `this API key of ${p.name}` : p.name;
  return new AppError("forbidden:role", `This needs the ${needed} role; ${who} has ${p.role}. Ask an admin.`);
}

/*
 * A cookie is sent by the browser whoever made the page: a change it authenticates must come from
 * a page of this server (browsers send Origin with every POST). A bearer token cannot be forged
 * by another site, so it needs no such check.
 */
export function checkOrigin(request: WithHeaders): void {
  const origin = request.headers.get("origin");
  if (origin === null) return;
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  let originHost: string | null = null;
  try {
    originHost = origin === "null" ? null : new URL(origin).host.toLowerCase();
  } catch {
    originHost = null;
  }
  if (!host || originHost !== host.toLowerCase()) {
    throw new AppError("forbidden:origin", `A change signed in by the dashboard's session cookie must come from this server's own pages, not from ${origin}.`);
  }
}

export interface Want {
  role: RouteRole;
  method: string;
  /** the route's path in the route table (for METRICS_PUBLIC) */
  path?: string;
}

/**
 * The principal a request acts as, or an AppError: 401 (no, wrong or ended credentials), 403 (a
 * role too low, or a cookie-signed change from another site's page), 429 (throttled).
 */
export async function authorize(request: WithHeaders, want: Want, dbOf: Db | (() => Db), config: AccessConfig): Promise<Principal> {
  const question = { attempt: false };
  if (want.role === "public") {
    // no database for a public route without credentials: /api/health must answer whatever state the file is in
    if (!carriesCredential(request, config)) return ANONYMOUS;
    return (await identify(request, typeof dbOf === "function" ? dbOf() : dbOf, config, question).catch(() => null)) ?? ANONYMOUS;
  }
  const db = typeof dbOf === "function" ? dbOf() : dbOf;
  const mode = await accessMode(db, config);
  if (mode === "open") return (await identify(request, db, config, question).catch(() => null)) ?? OPEN;
  const anonymousOk =
    (want.method.toUpperCase() === "GET" && want.role === "viewer" && readsOpen(mode, config)) || (want.path === "/api/metrics" && config.METRICS_PUBLIC);
  if (anonymousOk) {
    // an open read: credentials only say who is reading; a wrong one is no reason to refuse it
    const p = await identify(request, db, config, question).catch(() => null);
    return p && p.role ? p : { ...ANONYMOUS, role: "viewer" };
  }
  const p = await identify(request, db, config);
  if (!p || !p.role) {
    throw new AppError(
      mode === "token" ? "unauthorized:token" : "unauthorized:sign_in",
      mode === "token"
        ? "This server requires a token for changes: send Authorization: Bearer <ADMIN_TOKEN> (or sign in from the dashboard)."
        : "Sign in first: send Authorization: Bearer <API key>, or sign in on the dashboard's /signin page.",
    );
  }
  if (!hasRole(p.role, want.role)) throw roleRefusal(p, want.role);
  if (p.viaCookie && want.method.toUpperCase() !== "GET") checkOrigin(request);
  return p;
}

/** Pages anyone may open: the sign-in page. */
const PUBLIC_PAGES = new Set(["/signin"]);
/** The classic JSON paths (rewrites of next.config.js to their /api twins, which check access themselves). */
const CLASSIC_PATHS = new Set(["/scoring", "/summarystats", "/prediction"]);

/**
 * Whether a request for a page (not /api, not Next's assets) may see it: "ok", or "sign-in" when
 * reads need a viewer and the request carries none (the server redirects to /signin). The data a
 * page shows comes from the same reads the API protects; this keeps the server-rendered first view
 * from showing it too.
 */
export async function pageAccess(request: Request, db: Db, config: AccessConfig): Promise<"ok" | "sign-in"> {
  const { pathname } = new URL(request.url);
  if (PUBLIC_PAGES.has(pathname) || CLASSIC_PATHS.has(pathname) || pathname.startsWith("/api/") || pathname.startsWith("/_next/")) return "ok";
  // a file of public/ (favicon, screenshots): no data in them
  if (/\.[a-z0-9]{2,5}$/i.test(pathname)) return "ok";
  // /diagnostics answers the classic JSON to clients that do not ask for HTML (its API twin checks)
  if (pathname === "/diagnostics" && !/text\/html/.test(request.headers.get("accept") ?? "") && !request.headers.has("rsc")) return "ok";
  const mode = await accessMode(db, config);
  if (readsOpen(mode, config)) return "ok";
  const p = await identify(request, db, config, { attempt: false }).catch(() => null);
  return p?.role ? "ok" : "sign-in";
}
