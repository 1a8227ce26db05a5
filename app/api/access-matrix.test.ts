import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasRole, type Role } from "@/lib/auth/roles";
import { hashPassword } from "@/lib/auth/passwords";
import { addApiKey, changeUser, revokeKey } from "@/lib/auth/people";
import { sha256hex } from "@/lib/auth/secrets";
import { forgetFailures } from "@/lib/auth/throttle";
import { providerOfDb, type Db } from "@/lib/db/client";
import { insertUser } from "@/lib/db/people";
import { BASE, exportedMethods, inProcessFetch, loadRoute, routeFiles, seedDeployedModel, TINY_TEST_DATA } from "@/lib/testing/api";
import { createTestDb, type TestDb } from "@/lib/testing/temp-db";
import { apiAs, sessionCookieOf } from "@/lib/testing/people";
import { findRoute, ROUTES, type RouteSpec } from "@/lib/validations/routes";

/*
 * The access matrix (issue 19): every route of the route table × every kind of caller, the
 * expected status derived from the route's `role` in the table (so the test follows the table):
 *   users mode: anonymous, a viewer, an operator, an admin (each signed in through POST
 *   /api/session: real session cookies), an admin's viewer-role API key (a viewer), a revoked key,
 *   an expired key, a wrong key, an expired session, an idle session, a disabled user's session and
 *   key, the session of a user disabled in the database only. Allowed: anything but 401/403/429/5xx
 *   (a minimal body may well get 404/409/415/422), and a change that succeeded is in the audit
 *   trail by that caller; refused: the exact 401/403 and its code, and nothing changed in the
 *   database.
 * Then token mode, open mode, PUBLIC_READ=1 and METRICS_PUBLIC=1.
 */

const PASSWORD = "matrix-password-2026";
const fetchIt = inProcessFetch();

type Expected = { allowed: true } | { allowed: false; status: 401 | 403; code: string };

interface Caller {
  name: string;
  headers: () => Record<string, string>;
  /** what the caller may do once identified; null: not identified */
  role: Role | null;
  /** a credential refused whatever the route (unless public) */
  refusedAs?: { status: 401; code: string };
  /** how the audit trail names it (users mode) */
  actor?: string;
}

/** The twin path of a classic route (its body and ids are the twin's). */
const twinOf = (path: string) => (path.startsWith("/api/") ? path : `/api${path}`);

function expectedFor(route: RouteSpec, caller: Caller): Expected {
  if (route.role === "public") return { allowed: true };
  if (caller.refusedAs) return { allowed: false, ...caller.refusedAs };
  if (caller.role === null) return { allowed: false, status: 401, code: "unauthorized:sign_in" };
  return hasRole(caller.role, route.role) ? { allowed: true } : { allowed: false, status: 403, code: "forbidden:role" };
}

const row = { corporation: "matrix", lastmonth_activity: 10, lastyear_activity: 100, number_of_employees: 5 };

/** Ids that exist (filled in by the set-up of each mode), by twin path. */
let ids: Record<string, number> = {};

/**
 * A minimal body per route: cheap for an allowed caller (a real change where it is cheap, an
 * invalid body where the work would be long or go on in the background).
 */
function bodyFor(path: string): unknown {
  switch (twinOf(path)) {
    case "/api/prediction":
      return { rows: [row] };
    case "/api/deploy":
      return { modelVersionId: ids.model ?? 1, reason: "access matrix" };
    case "/api/train":
      return { threshold: 7 }; // 422: training is tested elsewhere
    case "/api/runs":
      return { trigger: "not-a-trigger" }; // 422: a run would go on in the background
    case "/api/diagnostics/timing-check":
      return { iterations: 0 }; // 422
    case "/api/batches":
      return { rows: [] }; // 422
    case "/api/users":
      return { name: `matrix-${Math.random().toString(36).slice(2, 8)}`, role: "viewer" };
    case "/api/users/{id}":
      return { role: "operator" };
    case "/api/users/{id}/keys":
      return { name: "matrix key", role: "viewer" };
    default:
      return {};
  }
}

function requestFor(route: RouteSpec, headers: Record<string, string>): [string, RequestInit] {
  const twin = twinOf(route.path);
  const id = twin.startsWith("/api/users/") ? ids.victim : twin.startsWith("/api/keys/") ? ids.sacrificialKey : twin.startsWith("/api/models/") ? ids.model : twin.startsWith("/api/runs/") ? ids.run : twin.startsWith("/api/alerts/") ? ids.alert : 1;
  const url = BASE + route.path.replace(/\{[^}]+\}/g, String(id ?? 1));
  const method = route.method.toUpperCase();
  if (method === "GET" || method === "DELETE") return [url, { method, headers }];
  return [url, { method, headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(bodyFor(route.path)) }];
}

/**
 * What a refused request must not change: the row count of every table, and the rows whose
 * change would matter without a new row (roles, disabled flags, passwords, revocations, the live
 * deployment, acknowledged alerts). TimingAggregate is left out: the in-memory timings of allowed
 * predictions are flushed to it by a timer, whenever it fires.
 */
async function snapshot(db: Db): Promise<unknown> {
  const tables = await db.$queryRawUnsafe<{ name: string }[]>(
    providerOfDb(db) === "postgresql"
      ? `SELECT table_name::text AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`
      : `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`,
  );
  const counted = tables.map((t) => t.name).filter((n) => n !== "TimingAggregate");
  if (counted.length < 10) throw new Error(`expected the app's tables, found ${counted.length}`);
  const counts = await db.$queryRawUnsafe<{ name: string; n: number | bigint }[]>(counted.map((n) => `SELECT '${n}' AS name, count(*) AS n FROM "${n}"`).join(" UNION ALL "));
  const [users, keys, sessions, alerts, live] = await Promise.all([
    db.user.findMany({ orderBy: { id: "asc" }, select: { id: true, name: true, role: true, disabled: true, passwordHash: true, mustChangePassword: true } }),
    db.apiKey.findMany({ orderBy: { id: "asc" }, select: { id: true, role: true, revokedAt: true, expiresAt: true } }),
    db.session.findMany({ orderBy: { id: "asc" }, select: { id: true, revokedAt: true, expiresAt: true } }),
    db.alert.findMany({ orderBy: { id: "asc" }, select: { id: true, acknowledged: true } }),
    db.deployment.findFirst({ orderBy: { id: "desc" } }),
  ]);
  return { counts: Object.fromEntries(counts.map((c) => [c.name, Number(c.n)]).sort()), users, keys, sessions, alerts, live };
}

async function call(route: RouteSpec, headers: Record<string, string>): Promise<{ status: number; code?: string; text: string }> {
  const res = await fetchIt(...requestFor(route, headers));
  const text = await res.text();
  let code: string | undefined;
  try {
    code = (JSON.parse(text) as { error?: { code?: string } }).error?.code;
  } catch {
    code = undefined;
  }
  return { status: res.status, code, text: text.slice(0, 300) };
}

/** Walk `routes` with `callers`, asserting each answer and that refused requests change nothing. */
async function walk(db: Db, route: RouteSpec, callers: Caller[], expect_: (route: RouteSpec, caller: Caller) => Expected = expectedFor): Promise<void> {
  const failures: string[] = [];
  const refused = callers.filter((c) => !expect_(route, c).allowed);
  const allowed = callers.filter((c) => expect_(route, c).allowed);
  const where = (c: Caller) => `${route.method.toUpperCase()} ${route.path} as ${c.name}`;
  // the refused first, against one snapshot: none of them may change anything
  if (refused.length > 0) {
    const before = await snapshot(db);
    for (const c of refused) {
      const want = expect_(route, c) as Extract<Expected, { allowed: false }>;
      const got = await call(route, c.headers());
      if (got.status !== want.status || got.code !== want.code) failures.push(`${where(c)}: expected ${want.status} ${want.code}, got ${got.status} ${got.code ?? ""} ${got.text}`);
      const after = await snapshot(db);
      if (JSON.stringify(after) !== JSON.stringify(before)) failures.push(`${where(c)}: a refused request changed the database`);
    }
  }
  for (const c of allowed) {
    const newest = await db.auditEvent.findFirst({ orderBy: { id: "desc" }, select: { id: true } });
    const got = await call(route, c.headers());
    if (got.status === 401 || got.status === 403 || got.status === 429 || got.status >= 500) failures.push(`${where(c)}: expected to be let through, got ${got.status} ${got.text}`);
    // a change that succeeded is in the audit trail, by this caller
    const action = route.audit ?? AUDITED[`${route.method} ${route.path}`];
    if (c.actor && action && got.status < 400) {
      const events = await db.auditEvent.findMany({ where: { id: { gt: newest?.id ?? 0 } }, select: { action: true, actor: true, outcome: true } });
      if (!events.some((e) => e.action === action && e.actor === c.actor && e.outcome === "ok")) failures.push(`${where(c)}: no audit event ${action} by ${c.actor} (got ${JSON.stringify(events)})`);
    }
  }
  expect(failures).toEqual([]);
}

/** The audit action of the people routes (they record it themselves, lib/auth/people.ts). */
const AUDITED: Record<string, string> = {
  "post /api/users": "user.create",
  "patch /api/users/{id}": "user.update",
  "post /api/users/{id}/password": "user.reset-password",
  "post /api/users/{id}/keys": "key.create",
  "delete /api/keys/{id}": "key.revoke",
};

/** Sign in through POST /api/session; the cookie header of the session it answers. */
async function signIn(name: string, client: string): Promise<string> {
  const res = await apiAs(fetchIt)("/api/session", { body: { name, password: PASSWORD }, client });
  expect(res.status, `sign-in of ${name}`).toBe(200);
  return sessionCookieOf(res);
}

/** The routes in the order walked: DELETE /api/session last (it signs the callers' sessions out). */
const WALKED = [...ROUTES].sort((a, b) => Number(a.method === "delete" && a.path === "/api/session") - Number(b.method === "delete" && b.path === "/api/session"));
const label = (r: RouteSpec) => `${r.method.toUpperCase()} ${r.path} (${r.role})`;

describe("the route table", () => {
  it("documents every handler on disk (an undocumented one would need an admin, silently)", async () => {
    const missing: string[] = [];
    for (const file of routeFiles()) {
      const path = file.apiPath.replace(/\{[^}]+\}/g, "1");
      for (const m of exportedMethods(await loadRoute(file))) if (!findRoute(m, path)) missing.push(`${m} ${file.apiPath}`);
    }
    expect(missing).toEqual([]);
  });

  it("gives the roles of the issue: public = health and sign-in; admin = people, keys, audit and the set-up; operator = the other changes", () => {
    const byRole = (role: string) =>
      ROUTES.filter((r) => r.role === role && r.tag !== "classic")
        .map((r) => `${r.method.toUpperCase()} ${r.path}`)
        .sort();
    expect(byRole("public")).toEqual(["DELETE /api/session", "GET /api/health", "GET /api/session", "POST /api/session"]);
    expect(byRole("admin")).toEqual(
      ["DELETE /api/keys/{id}", "GET /api/audit", "GET /api/keys", "GET /api/users", "PATCH /api/users/{id}", "POST /api/setup", "POST /api/setup/inspect", "POST /api/users", "POST /api/users/{id}/keys", "POST /api/users/{id}/password"].sort(),
    );
    // every other GET is a viewer's; every other change an operator's, but predicting (stores nothing) and one's own password
    for (const r of ROUTES.filter((r) => !["public", "admin"].includes(r.role))) {
      const want = r.method === "get" || twinOf(r.path) === "/api/prediction" || r.path === "/api/session/password" ? "viewer" : "operator";
      expect(r.role, label(r)).toBe(want);
    }
    // the changes the audit trail names (lib/http/route.ts writes them once they succeeded)
    expect(
      ROUTES.filter((r) => r.audit && r.tag !== "classic")
        .map((r) => r.audit)
        .sort(),
    ).toEqual(["acknowledge", "batch", "deploy", "dependencies.refresh", "report", "rollback", "run", "setup", "timing-check", "train", "upload"].sort());
    // a classic path needs what its twin needs
    for (const r of ROUTES.filter((r) => r.tag === "classic")) expect(r.role, label(r)).toBe(findRoute(r.method, twinOf(r.path))?.role);
  });
});

describe("users mode: every route × every kind of caller", () => {
  let t: TestDb;
  const cookies: Record<string, string> = {};
  const keys: Record<string, string> = {};
  let wrongKeyCount = 0;

  beforeAll(async () => {
    t = createTestDb();
    process.env.TEST_DATA = TINY_TEST_DATA;
    process.env.REPORT_DIR = t.dir;
    for (const v of ["ADMIN_TOKEN", "PUBLIC_READ", "METRICS_PUBLIC", "TRUST_PROXY", "AUTH_PROXY_HEADER", "SESSION_IDLE_MINUTES", "SESSION_MAX_HOURS"]) delete process.env[v];
    const { model } = await seedDeployedModel(t.db);
    const hash = await hashPassword(PASSWORD);
    const user = (name: string, role: Role) => insertUser(t.db, { name, role, passwordHash: hash, mustChangePassword: false });
    const [ada, dora, dan, victim] = [await user("ada", "admin"), await user("dora", "operator"), await user("dan", "operator"), await user("victim", "viewer")];
    await user("vera", "viewer");
    await user("otto", "operator");
    const run = await t.db.pipelineRun.create({ data: { trigger: "test", status: "succeeded", finishedAt: new Date() } });
    const alert = await t.db.alert.create({ data: { kind: "drift", message: "matrix alert", runId: run.id } });
    // real sign-ins (each from its own client address): one session per role, and those to end
    const [viewer, operator, admin, disabled, expired, idle, flagged] = await Promise.all([
      signIn("vera", "10.1.0.1"),
      signIn("otto", "10.1.0.2"),
      signIn("ada", "10.1.0.3"),
      signIn("dora", "10.1.0.4"),
      signIn("vera", "10.1.0.5"),
      signIn("vera", "10.1.0.6"),
      signIn("dan", "10.1.0.7"),
    ]);
    Object.assign(cookies, { viewer, operator, admin, disabled, expired, idle, flagged });
    const hashOf = (cookie: string) => sha256hex(cookie.slice("dra_session=".length));
    await t.db.session.update({ where: { idHash: hashOf(expired) }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await t.db.session.update({ where: { idHash: hashOf(idle) }, data: { lastSeenAt: new Date(Date.now() - 61 * 60_000) } });
    // dan is disabled in the database only (his session not revoked): the check of the user at each request refuses it
    await t.db.user.update({ where: { id: dan.id }, data: { disabled: true } });
    keys.viewerKeyOfAdmin = (await addApiKey(t.db, ada.id, { name: "read-only", role: "viewer" })).key;
    const revoked = await addApiKey(t.db, ada.id, { name: "revoked" });
    await revokeKey(t.db, revoked.id);
    keys.revoked = revoked.key;
    const expiredKey = await addApiKey(t.db, ada.id, { name: "expired", expiresAt: new Date(Date.now() + 3600_000) });
    await t.db.apiKey.update({ where: { id: expiredKey.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    keys.expired = expiredKey.key;
    keys.disabled = (await addApiKey(t.db, dora.id, { name: "dora's" })).key;
    await changeUser(t.db, dora.id, { disabled: true });
    const sacrificial = await addApiKey(t.db, victim.id, { name: "to revoke" });
    ids = { model: model.id, run: run.id, alert: alert.id, victim: victim.id, sacrificialKey: sacrificial.id };
    forgetFailures();
  }, 120_000);
  afterAll(async () => {
    delete process.env.REPORT_DIR;
    await t?.cleanup();
  });

  const bearer = (k: string) => () => ({ authorization: `Bearer ${keys[k]}`, "x-forwarded-for": `10.2.0.${Object.keys(keys).indexOf(k) + 1}` });
  const cookie = (c: string, client: string) => () => ({ cookie: cookies[c], "x-forwarded-for": client });
  const CALLERS: Caller[] = [
    { name: "anonymous", role: null, headers: () => ({ "x-forwarded-for": "10.3.0.1" }) },
    { name: "viewer (session)", role: "viewer", actor: "vera", headers: cookie("viewer", "10.3.0.2") },
    { name: "operator (session)", role: "operator", actor: "otto", headers: cookie("operator", "10.3.0.3") },
    { name: "admin (session)", role: "admin", actor: "ada", headers: cookie("admin", "10.3.0.4") },
    { name: "an admin's viewer key", role: "viewer", actor: "ada (key read-only)", headers: bearer("viewerKeyOfAdmin") },
    { name: "revoked key", role: null, refusedAs: { status: 401, code: "unauthorized:key" }, headers: bearer("revoked") },
    { name: "expired key", role: null, refusedAs: { status: 401, code: "unauthorized:key" }, headers: bearer("expired") },
    { name: "disabled user's key", role: null, refusedAs: { status: 401, code: "unauthorized:key" }, headers: bearer("disabled") },
    {
      name: "wrong key",
      role: null,
      refusedAs: { status: 401, code: "unauthorized:token" },
      // a wrong key counts against its client: a new client each time, so the throttle stays out of it
      headers: () => ({ authorization: `Bearer dra_${"x".repeat(43)}`, "x-forwarded-for": `10.4.${wrongKeyCount >> 8}.${wrongKeyCount++ & 255}` }),
    },
    { name: "expired session", role: null, refusedAs: { status: 401, code: "unauthorized:session" }, headers: cookie("expired", "10.3.0.5") },
    { name: "idle session", role: null, refusedAs: { status: 401, code: "unauthorized:session" }, headers: cookie("idle", "10.3.0.6") },
    { name: "disabled user's session", role: null, refusedAs: { status: 401, code: "unauthorized:session" }, headers: cookie("disabled", "10.3.0.7") },
    { name: "session of a user disabled in the database only", role: null, refusedAs: { status: 401, code: "unauthorized:session" }, headers: cookie("flagged", "10.3.0.8") },
  ];

  it(`walks ${WALKED.length} routes × ${CALLERS.length} callers`, () => {
    expect(WALKED.length).toBeGreaterThanOrEqual(50);
    expect(new Set(WALKED.map(label)).size).toBe(WALKED.length);
  });

  for (const route of WALKED) {
    it(label(route), async () => {
      await walk(t.db, route, CALLERS);
    });
  }

  it("PUBLIC_READ=1: every viewer GET is open to anyone (a wrong credential is ignored there); admin GETs and every change are not", async () => {
    process.env.PUBLIC_READ = "1";
    try {
      const open = (route: RouteSpec, caller: Caller): Expected =>
        route.method === "get" && route.role === "viewer" ? { allowed: true } : expectedFor(route, caller);
      const callers = CALLERS.filter((c) => ["anonymous", "revoked key", "expired session"].includes(c.name));
      for (const route of WALKED.filter((r) => r.role !== "public" && !(r.method === "delete" && r.path === "/api/session"))) await walk(t.db, route, callers, open);
    } finally {
      delete process.env.PUBLIC_READ;
    }
  });

  it("METRICS_PUBLIC=1: /api/metrics is open to anyone, the other reads are not", async () => {
    process.env.METRICS_PUBLIC = "1";
    try {
      const anonymous = CALLERS.filter((c) => c.name === "anonymous");
      const metrics = (route: RouteSpec, caller: Caller): Expected => (route.path === "/api/metrics" ? { allowed: true } : expectedFor(route, caller));
      for (const route of WALKED.filter((r) => r.method === "get")) await walk(t.db, route, anonymous, metrics);
      const res = await fetchIt(BASE + "/api/metrics");
      expect(res.status).toBe(200);
      expect(await res.text()).toMatch(/^dra_/m);
    } finally {
      delete process.env.METRICS_PUBLIC;
    }
  });
});

describe("token mode (ADMIN_TOKEN, no user): reads open, everything else needs the token", () => {
  const TOKEN = "matrix-admin-token";
  let t: TestDb;
  beforeAll(async () => {
    t = createTestDb();
    process.env.TEST_DATA = TINY_TEST_DATA;
    process.env.REPORT_DIR = t.dir;
    process.env.ADMIN_TOKEN = TOKEN;
    const { model } = await seedDeployedModel(t.db);
    ids = { model: model.id };
  }, 120_000);
  afterAll(async () => {
    delete process.env.ADMIN_TOKEN;
    delete process.env.REPORT_DIR;
    await t?.cleanup();
  });

  let n = 0;
  const tokenMode = (route: RouteSpec): Expected =>
    route.role === "public" || (route.method === "get" && route.role === "viewer") ? { allowed: true } : { allowed: false, status: 401, code: "unauthorized:token" };

  it("anonymous and a wrong token: every route as the table says; refused requests change nothing", async () => {
    const callers: Caller[] = [
      { name: "anonymous", role: null, headers: () => ({}) },
      { name: "wrong token", role: null, headers: () => ({ authorization: "Bearer not-the-token", "x-forwarded-for": `10.5.${n >> 8}.${n++ & 255}` }) },
    ];
    for (const route of WALKED) await walk(t.db, route, callers, tokenMode);
  });

  it("the token: admin routes and changes; they act as ADMIN_TOKEN", async () => {
    const auth = { authorization: `Bearer ${TOKEN}` };
    for (const path of ["/api/users", "/api/keys", "/api/audit"]) expect((await fetchIt(BASE + path, { headers: auth })).status, path).toBe(200);
    const deploy = await fetchIt(BASE + "/api/deploy", { method: "POST", headers: { ...auth, "content-type": "application/json" }, body: JSON.stringify({ modelVersionId: ids.model }) });
    expect(deploy.status).toBe(200);
    expect((await deploy.json()).deployment.actor).toBe("ADMIN_TOKEN");
    const audit = await (await fetchIt(BASE + "/api/audit", { headers: auth })).json();
    expect(audit.events[0]).toMatchObject({ action: "deploy", actor: "ADMIN_TOKEN", actorKind: "token", outcome: "ok" });
  });
});

describe("open mode (no user, no ADMIN_TOKEN): everything is allowed to anyone", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = createTestDb();
    process.env.TEST_DATA = TINY_TEST_DATA;
    process.env.REPORT_DIR = t.dir;
    delete process.env.ADMIN_TOKEN;
    ids = {};
  });
  afterAll(async () => {
    delete process.env.REPORT_DIR;
    await t?.cleanup();
  });

  it("anonymous gets through every route (POST /api/users last: the first user ends open mode)", async () => {
    const anonymous: Caller[] = [{ name: "anonymous", role: null, headers: () => ({}) }];
    for (const route of WALKED.filter((r) => !(r.method === "post" && r.path === "/api/users"))) {
      await walk(t.db, route, anonymous, () => ({ allowed: true }));
    }
  });

  it("the first user, added by anyone while the server is open, switches it to users mode", async () => {
    const res = await fetchIt(BASE + "/api/users", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "first", role: "admin" }) });
    expect(res.status).toBe(201);
    const after = await fetchIt(BASE + "/api/models");
    expect(after.status).toBe(401);
    expect((await after.json()).error.code).toBe("unauthorized:sign_in");
    const session = await (await fetchIt(BASE + "/api/session")).json();
    expect(session).toMatchObject({ mode: "users", authRequired: true, authenticated: false, role: null });
  });
});
