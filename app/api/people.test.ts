import { describe, expect, it } from "vitest";
import { identify } from "@/lib/auth/access";
import { addApiKey, revokeKey } from "@/lib/auth/people";
import { loadConfig } from "@/lib/config";
import { sha256hex } from "@/lib/auth/secrets";
import { waitForBackgroundRuns } from "@/lib/pipeline/background";
import { BASE, everyTableCount, HEADER, inProcessFetch, seedDeployedModel, useRouteTestDb } from "@/lib/testing/api";
import { apiAs, sessionCookieOf, useSeededUsers, type Call } from "@/lib/testing/people";

/*
 * People, keys, sessions and the audit trail through the HTTP API (issue 19): one-time
 * passwords and the first sign-in, session cookies (rotation, sign-out, password change, the
 * Secure flag), roles and disabling taking effect at once, the last admin, API keys (shown once,
 * stored hashed, role capped by their user's), the audit trail and who did what, the auth proxy.
 * Each test has its own database (users mode once a user exists).
 */

const t = useRouteTestDb();
const fetchIt = inProcessFetch();
/** the password of the users a test seeds */
const PW = "seeded passphrase 2026";
const { seeded, seedUser } = useSeededUsers(t, PW);

const api = apiAs(fetchIt);

async function errorCode(res: Response): Promise<string | undefined> {
  return ((await res.clone().json()) as { error?: { code?: string } }).error?.code;
}

async function signIn(name: string, password = PW, extra: Call = {}): Promise<string> {
  const res = await api("/api/session", { ...extra, body: { name, password } });
  expect(res.status, `sign-in of ${name}: ${await res.clone().text()}`).toBe(200);
  return sessionCookieOf(res);
}

/** An admin "root" signed in: the cookie. */
async function admin(): Promise<string> {
  await seedUser("root", "admin");
  return signIn("root");
}

async function auditEvents(cookie: string): Promise<{ id: number; actor: string; actorKind: string; action: string; outcome: string; target: string | null; detail: Record<string, unknown>; client: string | null }[]> {
  const res = await api("/api/audit?limit=1000", { cookie });
  expect(res.status).toBe(200);
  return (await res.json()).events;
}

describe("users and their first sign-in", () => {
  it("an admin adds a user: a one-time password shown once, stored hashed; the first sign-in must replace it", async () => {
    const root = await admin();
    const created = await api("/api/users", { cookie: root, body: { name: "alice", role: "operator" } });
    expect(created.status).toBe(201);
    expect(created.headers.get("cache-control")).toBe("no-store");
    const { user, password } = await created.json();
    expect(user).toMatchObject({ name: "alice", role: "operator", disabled: false, mustChangePassword: true, fromProxy: false, lastSignInAt: null, activeKeys: 0 });
    expect(created.headers.get("location")).toBe(`/api/users/${user.id}`);
    expect(password).toMatch(/^[\w-]{24}$/);
    const row = await t.db.user.findUniqueOrThrow({ where: { name: "alice" } });
    expect(row.passwordHash).toMatch(/^scrypt\$32768\$8\$3\$/);
    expect(row.passwordHash).not.toContain(password);
    // the list never shows a password or a hash
    const list = await (await api("/api/users", { cookie: root })).text();
    expect(list).toContain('"alice"');
    expect(list).not.toContain(password);
    expect(list).not.toContain("scrypt");
    // a second alice, a bad name or role: refused
    expect(await errorCode(await api("/api/users", { cookie: root, body: { name: "alice", role: "viewer" } }))).toBe("conflict:user");
    expect((await api("/api/users", { cookie: root, body: { name: "al ice", role: "viewer" } })).status).toBe(422);
    expect((await api("/api/users", { cookie: root, body: { name: "bob", role: "superuser" } })).status).toBe(422);

    // the one-time password alone: 403, no session
    const first = await api("/api/session", { body: { name: "alice", password } });
    expect(first.status).toBe(403);
    expect(await errorCode(first)).toBe("forbidden:password_change");
    expect(first.headers.get("set-cookie")).toBeNull();
    // a weak new password (short, containing the name, the one-time password itself): 422, nothing changed
    for (const newPassword of ["short-pw", "Alice-in-wonderland", password]) {
      const weak = await api("/api/session", { body: { name: "alice", password, newPassword } });
      expect(weak.status, newPassword).toBe(422);
      expect(await errorCode(weak)).toBe("unprocessable:password");
      expect(weak.headers.get("set-cookie")).toBeNull();
    }
    expect(await t.db.user.findUniqueOrThrow({ where: { name: "alice" } })).toMatchObject({ passwordHash: row.passwordHash, mustChangePassword: true });
    expect(await t.db.session.count({ where: { userId: user.id } })).toBe(0);

    // a good one: signed in, an httpOnly SameSite=Strict cookie
    const ok = await api("/api/session", { body: { name: "alice", password, newPassword: "correct horse battery" } });
    expect(ok.status).toBe(200);
    const setCookie = ok.headers.get("set-cookie")!;
    expect(setCookie).toMatch(/^dra_session=s\.[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=(43200|4319\d)$/);
    expect(await ok.json()).toMatchObject({ authRequired: true, authenticated: true, mode: "users", role: "operator", user: { id: user.id, name: "alice", role: "operator" }, via: "session" });
    const after = await t.db.user.findUniqueOrThrow({ where: { name: "alice" } });
    expect(after.mustChangePassword).toBe(false);
    expect(after.passwordHash).toMatch(/^scrypt\$/);
    expect(after.passwordHash).not.toContain("correct horse battery");
    expect(after.lastSignInAt).not.toBeNull();
    // the one-time password is spent; the new one works on its own
    expect(await errorCode(await api("/api/session", { body: { name: "alice", password } }))).toBe("unauthorized:credentials");
    await signIn("alice", "correct horse battery");

    const audit = await auditEvents(root);
    expect(audit.map((e) => `${e.actor} ${e.action} ${e.outcome} ${e.target}`)).toEqual(
      expect.arrayContaining(["root user.create ok user alice", "alice user.change-password ok user alice", "alice sign-in ok user alice", "alice sign-in refused user alice"]),
    );
  });

  it("an admin resets a password: a new one-time password, the user's sessions end", async () => {
    const root = await admin();
    const alice = await seedUser("alice", "viewer");
    const session = await signIn("alice");
    const reset = await api(`/api/users/${alice.id}/password`, { cookie: root, method: "POST" });
    expect(reset.status).toBe(200);
    const { password, user } = await reset.json();
    expect(user.mustChangePassword).toBe(true);
    expect(await errorCode(await api("/api/models", { cookie: session }))).toBe("unauthorized:session");
    expect(await errorCode(await api("/api/session", { body: { name: "alice", password: PW } }))).toBe("unauthorized:credentials");
    expect(await errorCode(await api("/api/session", { body: { name: "alice", password } }))).toBe("forbidden:password_change");
    expect((await api(`/api/users/999999/password`, { cookie: root, method: "POST" })).status).toBe(404);
    expect((await auditEvents(root)).some((e) => e.action === "user.reset-password" && e.actor === "root" && e.target === "user alice")).toBe(true);
  });
});

describe("sessions", () => {
  it("a new session id at every sign-in: the cookie sent with it is revoked, another browser's is not; only hashes are stored", async () => {
    await seedUser("alice", "viewer");
    const c1 = await signIn("alice");
    const c2 = await signIn("alice"); // another browser
    const c3 = await signIn("alice", PW, { cookie: c1 }); // the first browser signs in again
    expect(new Set([c1, c2, c3]).size).toBe(3);
    const status = async (cookie: string) => {
      const res = await api("/api/models", { cookie });
      return `${res.status} ${res.status === 200 ? "" : await errorCode(res)}`.trim();
    };
    expect(await status(c1)).toBe("401 unauthorized:session");
    expect(await status(c2)).toBe("200");
    expect(await status(c3)).toBe("200");
    const sessions = await t.db.session.findMany();
    expect(sessions).toHaveLength(3);
    for (const c of [c1, c2, c3]) {
      const value = c.slice("dra_session=".length);
      expect(sessions.some((s) => s.idHash === sha256hex(value))).toBe(true);
      expect(JSON.stringify(sessions)).not.toContain(value);
    }
    // GET /api/session says who it is
    expect(await (await api("/api/session", { cookie: c3 })).json()).toMatchObject({ authenticated: true, role: "viewer", user: { name: "alice" }, via: "session" });
    expect(await (await api("/api/session", { cookie: c1 })).json()).toMatchObject({ authenticated: false, role: null, user: null, via: "none" });
  });

  it("the Secure flag: with SECURE_COOKIES=1, or over https / X-Forwarded-Proto https (auto); never with SECURE_COOKIES=0", async () => {
    await seedUser("alice", "viewer");
    const secure = async (extra: Call, url = "/api/session") => {
      const res = await fetchIt((url.startsWith("http") ? url : BASE + url), {
        method: "POST",
        headers: { "content-type": "application/json", ...extra.headers },
        body: JSON.stringify({ name: "alice", password: PW }),
      });
      expect(res.status).toBe(200);
      return /; Secure$/.test(res.headers.get("set-cookie") ?? "");
    };
    try {
      expect(await secure({})).toBe(false);
      expect(await secure({ headers: { "x-forwarded-proto": "https" } })).toBe(true);
      expect(await secure({}, "https://localhost:3000/api/session")).toBe(true);
      process.env.SECURE_COOKIES = "1";
      expect(await secure({})).toBe(true);
      const out = await api("/api/session", { method: "DELETE" });
      expect(out.headers.get("set-cookie")).toMatch(/Max-Age=0.*; Secure$/);
      process.env.SECURE_COOKIES = "0";
      expect(await secure({ headers: { "x-forwarded-proto": "https" } })).toBe(false);
    } finally {
      delete process.env.SECURE_COOKIES;
    }
  });

  it("sign-out ends the session on the server: the old cookie then gets 401", async () => {
    const root = await admin();
    await seedUser("alice", "viewer");
    const c = await signIn("alice");
    expect((await api("/api/models", { cookie: c })).status).toBe(200);
    const out = await api("/api/session", { method: "DELETE", cookie: c });
    expect(out.status).toBe(200);
    expect(out.headers.get("set-cookie")).toMatch(/^dra_session=; Path=\/; HttpOnly; SameSite=Strict; Max-Age=0/);
    expect(await out.json()).toMatchObject({ authenticated: false, user: null });
    const again = await api("/api/models", { cookie: c });
    expect(again.status).toBe(401);
    expect(await errorCode(again)).toBe("unauthorized:session");
    // signing out twice, or with an unknown cookie, is harmless
    expect((await api("/api/session", { method: "DELETE", cookie: c })).status).toBe(200);
    expect((await api("/api/session", { method: "DELETE", cookie: "dra_session=s.unknown" })).status).toBe(200);
    expect((await auditEvents(root)).filter((e) => e.action === "sign-out").map((e) => e.actor)).toEqual(["alice"]);
  });

  it("changing one's password ends every other session and gives this browser a new one", async () => {
    const root = await admin();
    const alice = await seedUser("alice", "viewer");
    const [a, b] = [await signIn("alice"), await signIn("alice")];
    const change = (body: unknown, extra: Call = {}) => api("/api/session/password", { cookie: a, body, ...extra });
    // wrong current password, weak new one, another site's page: refused, nothing changed
    expect(await errorCode(await change({ password: "not my password", newPassword: "a brand new passphrase" }))).toBe("unauthorized:credentials");
    expect(await errorCode(await change({ password: PW, newPassword: "too short" }))).toBe("unprocessable:password");
    expect(await errorCode(await change({ password: PW, newPassword: "alice's new passphrase" }))).toBe("unprocessable:password");
    const cross = await change({ password: PW, newPassword: "a brand new passphrase" }, { headers: { origin: "https://evil.example", host: "localhost:3000" } });
    expect(cross.status).toBe(403);
    expect(await errorCode(cross)).toBe("forbidden:origin");
    expect((await t.db.user.findUniqueOrThrow({ where: { id: alice.id } })).passwordHash).toBe(seeded.hash);

    const ok = await change({ password: PW, newPassword: "a brand new passphrase" }, { headers: { origin: "http://localhost:3000", host: "localhost:3000" } });
    expect(ok.status).toBe(200);
    const c = sessionCookieOf(ok);
    expect(await ok.json()).toMatchObject({ authenticated: true, user: { name: "alice" }, via: "session" });
    for (const old of [a, b]) expect(await errorCode(await api("/api/models", { cookie: old }))).toBe("unauthorized:session");
    expect((await api("/api/models", { cookie: c })).status).toBe(200);
    expect(await errorCode(await api("/api/session", { body: { name: "alice", password: PW } }))).toBe("unauthorized:credentials");
    await signIn("alice", "a brand new passphrase");
    expect((await auditEvents(root)).some((e) => e.action === "user.change-password" && e.actor === "alice")).toBe(true);
    // ADMIN_TOKEN has no password here
    process.env.ADMIN_TOKEN = "people-admin-token";
    try {
      expect(await errorCode(await api("/api/session/password", { key: "people-admin-token", body: { password: "x", newPassword: "a brand new passphrase" } }))).toBe("conflict:user");
    } finally {
      delete process.env.ADMIN_TOKEN;
    }
  });

  it("a session in use stays alive (lastSeenAt is touched); one idle beyond SESSION_IDLE_MINUTES or past expiresAt is refused", async () => {
    await seedUser("alice", "viewer");
    const c = await signIn("alice");
    const where = { idHash: sha256hex(c.slice("dra_session=".length)) };
    const halfHourAgo = new Date(Date.now() - 30 * 60_000);
    await t.db.session.update({ where, data: { lastSeenAt: halfHourAgo } });
    expect((await api("/api/models", { cookie: c })).status).toBe(200);
    expect((await t.db.session.findUniqueOrThrow({ where })).lastSeenAt.getTime()).toBeGreaterThan(Date.now() - 10_000);
    process.env.SESSION_IDLE_MINUTES = "20";
    try {
      await t.db.session.update({ where, data: { lastSeenAt: halfHourAgo } });
      const idle = await api("/api/models", { cookie: c });
      expect(idle.status).toBe(401);
      expect((await idle.json()).error).toMatchObject({ code: "unauthorized:session", message: expect.stringContaining("idle") });
    } finally {
      delete process.env.SESSION_IDLE_MINUTES;
    }
    await t.db.session.update({ where, data: { lastSeenAt: new Date(), expiresAt: new Date(Date.now() - 1) } });
    const expired = await api("/api/models", { cookie: c });
    expect((await expired.json()).error).toMatchObject({ code: "unauthorized:session", message: expect.stringContaining("expired") });
  });

  it("a change signed by the session cookie must come from this server's pages (Origin); a bearer key need not", async () => {
    await seedUser("root", "admin");
    const c = await signIn("root");
    const root = await t.db.user.findUniqueOrThrow({ where: { name: "root" } });
    const { key } = await (await api(`/api/users/${root.id}/keys`, { cookie: c, body: { name: "ci" } })).json();
    const before = await everyTableCount(t.db);
    const cross = { origin: "https://evil.example", host: "localhost:3000" };
    for (const [path, body] of [["/api/users", { name: "mallory", role: "admin" }], [`/api/users/${root.id}/keys`, { name: "stolen" }]] as const) {
      const res = await api(path, { cookie: c, body, headers: cross });
      expect(res.status, path).toBe(403);
      expect(await errorCode(res)).toBe("forbidden:origin");
    }
    expect(await everyTableCount(t.db)).toEqual(before);
    // reads are not changes; a key cannot be sent by another site's page
    expect((await api("/api/users", { cookie: c, headers: cross })).status).toBe(200);
    expect((await api("/api/users", { key, body: { name: "bob", role: "viewer" }, headers: cross })).status).toBe(201);
    expect((await api("/api/users", { cookie: c, body: { name: "carol", role: "viewer" }, headers: { origin: "http://localhost:3000", host: "localhost:3000" } })).status).toBe(201);
  });
});

describe("roles and disabling take effect at once", () => {
  it("demoting an operator: their session and their key lose the operator routes on the next request; promoting gives them back", async () => {
    const root = await admin();
    const { model } = await seedDeployedModel(t.db);
    const olga = await seedUser("olga", "operator");
    const session = await signIn("olga");
    const { key } = await (await api(`/api/users/${olga.id}/keys`, { cookie: root, body: { name: "ci" } })).json();
    const deploy = (who: Call) => api("/api/deploy", { ...who, body: { modelVersionId: model.id } });
    expect((await deploy({ cookie: session })).status).toBe(200);
    expect((await deploy({ key })).status).toBe(200);

    const demoted = await api(`/api/users/${olga.id}`, { method: "PATCH", cookie: root, body: { role: "viewer" } });
    expect(demoted.status).toBe(200);
    expect((await demoted.json()).user).toMatchObject({ name: "olga", role: "viewer" });
    for (const who of [{ cookie: session }, { key }]) {
      const res = await deploy(who);
      expect(res.status).toBe(403);
      expect(await errorCode(res)).toBe("forbidden:role");
      expect((await api("/api/deployments", who)).status).toBe(200);
    }
    await api(`/api/users/${olga.id}`, { method: "PATCH", cookie: root, body: { role: "operator" } });
    expect((await deploy({ key })).status).toBe(200);
    const audit = await auditEvents(root);
    expect(audit.filter((e) => e.action === "user.update" && e.target === "user olga").map((e) => e.detail)).toEqual([{ role: { from: "viewer", to: "operator" } }, { role: { from: "operator", to: "viewer" } }]);
  });

  it("disabling a user: their sessions and keys get 401 at once, and they cannot sign in; GET /api/users says so", async () => {
    const root = await admin();
    const olga = await seedUser("olga", "operator");
    const session = await signIn("olga");
    const { key } = await (await api(`/api/users/${olga.id}/keys`, { cookie: root, body: { name: "ci" } })).json();
    expect((await api("/api/models", { key })).status).toBe(200);
    const res = await api(`/api/users/${olga.id}`, { method: "PATCH", cookie: root, body: { disabled: true } });
    expect(res.status).toBe(200);
    expect((await res.json()).user).toMatchObject({ disabled: true });
    expect(await errorCode(await api("/api/models", { cookie: session }))).toBe("unauthorized:session");
    expect(await errorCode(await api("/api/models", { key }))).toBe("unauthorized:key");
    expect(await errorCode(await api("/api/session", { body: { name: "olga", password: PW } }))).toBe("unauthorized:credentials");
    // no new key for a disabled user
    expect(await errorCode(await api(`/api/users/${olga.id}/keys`, { cookie: root, body: { name: "another" } }))).toBe("conflict:user");
    const users = (await (await api("/api/users", { cookie: root })).json()).users;
    expect(users.find((u: { name: string }) => u.name === "olga")).toMatchObject({ disabled: true, activeKeys: 1 });
    const audit = await auditEvents(root);
    expect(audit.some((e) => e.action === "user.disable" && e.actor === "root" && e.target === "user olga")).toBe(true);
    expect(audit.find((e) => e.action === "sign-in" && e.outcome === "refused")).toMatchObject({ target: "user olga", detail: { reason: "disabled" } });
    // enabling does not bring the ended sessions back
    await api(`/api/users/${olga.id}`, { method: "PATCH", cookie: root, body: { disabled: false } });
    expect(await errorCode(await api("/api/models", { cookie: session }))).toBe("unauthorized:session");
    expect((await auditEvents(root)).some((e) => e.action === "user.enable")).toBe(true);
  });

  it("the last enabled admin can be neither demoted nor disabled (409); with another admin they can", async () => {
    const root = await admin();
    const me = await t.db.user.findUniqueOrThrow({ where: { name: "root" } });
    const patch = (id: number, body: unknown, cookie = root) => api(`/api/users/${id}`, { method: "PATCH", cookie, body });
    const before = await everyTableCount(t.db);
    for (const body of [{ role: "operator" }, { role: "viewer" }, { disabled: true }, { role: "admin", disabled: true }]) {
      const res = await patch(me.id, body);
      expect(res.status, JSON.stringify(body)).toBe(409);
      expect(await errorCode(res)).toBe("conflict:last_admin");
    }
    expect(await everyTableCount(t.db)).toEqual(before);
    expect(await t.db.user.findUniqueOrThrow({ where: { id: me.id } })).toMatchObject({ role: "admin", disabled: false });
    // a disabled admin does not count
    const ann = await seedUser("ann", "admin");
    expect((await patch(ann.id, { disabled: true })).status).toBe(200);
    expect(await errorCode(await patch(me.id, { role: "operator" }))).toBe("conflict:last_admin");
    // an enabled one does
    expect((await patch(ann.id, { disabled: false })).status).toBe(200);
    expect((await patch(me.id, { role: "operator" })).status).toBe(200);
    // root is an operator now, on this very session
    expect(await errorCode(await api("/api/users", { cookie: root }))).toBe("forbidden:role");
    // bad requests
    const annSession = await signIn("ann");
    expect((await patch(ann.id, {}, annSession)).status).toBe(422);
    expect((await patch(ann.id, { role: "owner" }, annSession)).status).toBe(422);
    expect((await patch(999999, { role: "viewer" }, annSession)).status).toBe(404);
  });
});

describe("API keys", () => {
  it("created with at most the user's role and a future expiry, shown once, stored hashed, listed by prefix; lastUsedAt is set by use; revoked → 401 on the next request", async () => {
    const root = await admin();
    const olga = await seedUser("olga", "operator");
    const create = (body: unknown, id = olga.id) => api(`/api/users/${id}/keys`, { cookie: root, body });
    const refused = [
      [{ name: "too high", role: "admin" }, "unprocessable:body"],
      [{ name: "past", expiresAt: new Date(Date.now() - 60_000).toISOString() }, "unprocessable:body"],
      [{ name: "not a date", expiresAt: "tomorrow" }, "unprocessable:body"],
      [{ role: "viewer" }, "unprocessable:body"],
    ] as const;
    for (const [body, code] of refused) {
      const res = await create(body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(await errorCode(res)).toBe(code);
    }
    expect((await create({ name: "nobody's" }, 999999)).status).toBe(404);
    expect(await t.db.apiKey.count()).toBe(0);

    const res = await create({ name: "ci", expiresAt: new Date(Date.now() + 86_400_000).toISOString() });
    expect(res.status).toBe(201);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const created = await res.json();
    expect(created.key).toMatch(/^dra_[\w-]{43}$/);
    expect(created.key.startsWith(created.prefix)).toBe(true);
    expect(created.prefix).toHaveLength(12);
    expect(created.apiKey).toMatchObject({ id: created.id, userName: "olga", name: "ci", role: "operator", status: "active", lastUsedAt: null, revokedAt: null });
    const viewerKey = (await (await create({ name: "read", role: "viewer" })).json()).key;

    // the list shows the prefix, never the key; the table holds only its hash
    const listed = await (await api("/api/keys", { cookie: root })).text();
    expect(listed).toContain(created.prefix);
    expect(listed).not.toContain(created.key);
    expect(listed).not.toContain(viewerKey);
    const rows = await t.db.apiKey.findMany();
    expect(rows.find((r) => r.id === created.id)?.keyHash).toBe(sha256hex(created.key));
    for (const k of [created.key, viewerKey]) {
      expect(JSON.stringify(rows)).not.toContain(k);
      expect(JSON.stringify(rows)).not.toContain(k.slice(12));
    }

    // use sets lastUsedAt; the key acts with its own (lower) role
    expect((await api("/api/models", { key: created.key })).status).toBe(200);
    const keys = (await (await api("/api/keys", { cookie: root })).json()).keys;
    expect(Date.parse(keys.find((k: { id: number }) => k.id === created.id).lastUsedAt)).toBeGreaterThan(Date.now() - 10_000);
    expect(await errorCode(await api("/api/deploy", { key: viewerKey, body: { modelVersionId: 1 } }))).toBe("forbidden:role");
    expect(await (await api("/api/session", { key: viewerKey })).json()).toMatchObject({ authenticated: true, role: "viewer", user: { name: "olga", role: "viewer" }, via: "key" });

    // revoke: the next request with it is refused
    const revoked = await api(`/api/keys/${created.id}`, { method: "DELETE", cookie: root });
    expect(revoked.status).toBe(200);
    expect((await revoked.json()).key).toMatchObject({ status: "revoked" });
    const next = await api("/api/models", { key: created.key });
    expect(next.status).toBe(401);
    expect((await next.json()).error).toMatchObject({ code: "unauthorized:key", message: expect.stringContaining(created.prefix) });
    // again: the same answer, audited once; an unknown key id: 404
    expect((await api(`/api/keys/${created.id}`, { method: "DELETE", cookie: root })).status).toBe(200);
    expect((await api(`/api/keys/999999`, { method: "DELETE", cookie: root })).status).toBe(404);
    const audit = await auditEvents(root);
    expect(audit.filter((e) => e.action === "key.revoke").map((e) => `${e.actor}: ${e.target}`)).toEqual([`root: key ci (${created.prefix}…) of olga`]);
    expect(audit.filter((e) => e.action === "key.create")).toHaveLength(2);
    // users list counts the active keys
    const users = (await (await api("/api/users", { cookie: root })).json()).users;
    expect(users.find((u: { name: string }) => u.name === "olga").activeKeys).toBe(1);
  });

  it("an expired key is refused (and listed as expired); a key's role follows a later demotion of its user", async () => {
    const root = await admin();
    const olga = await seedUser("olga", "operator");
    const { id, key } = await (await api(`/api/users/${olga.id}/keys`, { cookie: root, body: { name: "short-lived", expiresAt: new Date(Date.now() + 60_000).toISOString() } })).json();
    expect((await api("/api/models", { key })).status).toBe(200);
    // written outside this server (its own changes apply at once): seen within a second (lib/db/people.ts findApiKey)
    await t.db.apiKey.update({ where: { id }, data: { expiresAt: new Date(Date.now() - 1) } });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const res = await api("/api/models", { key });
    expect(res.status).toBe(401);
    expect((await res.json()).error).toMatchObject({ code: "unauthorized:key", message: expect.stringContaining("expired") });
    expect((await (await api("/api/keys", { cookie: root })).json()).keys[0]).toMatchObject({ id, status: "expired" });

    const { key: opKey } = await (await api(`/api/users/${olga.id}/keys`, { cookie: root, body: { name: "ops", role: "operator" } })).json();
    expect(await (await api("/api/session", { key: opKey })).json()).toMatchObject({ role: "operator" });
    await api(`/api/users/${olga.id}`, { method: "PATCH", cookie: root, body: { role: "viewer" } });
    expect(await (await api("/api/session", { key: opKey })).json()).toMatchObject({ role: "viewer" });
    expect(await errorCode(await api("/api/rollback", { key: opKey, body: {} }))).toBe("forbidden:role");
  });
});

describe("API keys in memory", () => {
  it("a key is remembered for a second: a revocation written by another process is seen within it, one made here at once", async () => {
    const olga = await seedUser("olga", "operator");
    const [a, b] = [await addApiKey(t.db, olga.id, { name: "a" }), await addApiKey(t.db, olga.id, { name: "b" })];
    const withKey = (key: string) => new Request(`${BASE}/api/models`, { headers: { authorization: `Bearer ${key}` } });
    const at = (ms: number) => ({ now: new Date(t0 + ms) });
    const t0 = Date.now();
    expect((await identify(withKey(a.key), t.db, loadConfig(), at(0)))?.keyName).toBe("a");
    await t.db.apiKey.update({ where: { id: a.id }, data: { revokedAt: new Date(t0) } }); // as another process would
    expect((await identify(withKey(a.key), t.db, loadConfig(), at(999)))?.keyName).toBe("a");
    await expect(identify(withKey(a.key), t.db, loadConfig(), at(1000))).rejects.toMatchObject({ code: "unauthorized:key" });

    expect((await identify(withKey(b.key), t.db, loadConfig(), at(0)))?.keyName).toBe("b");
    await revokeKey(t.db, b.id); // through this process
    await expect(identify(withKey(b.key), t.db, loadConfig(), at(1))).rejects.toMatchObject({ code: "unauthorized:key" });
  });
});

describe("the audit trail and who did what", () => {
  it("actions carry their actor: a deploy by an operator, by their key, by ADMIN_TOKEN; a run; train, upload, batch, rollback", async () => {
    const root = await admin();
    const { model } = await seedDeployedModel(t.db);
    const olga = await seedUser("olga", "operator");
    const session = await signIn("olga");
    const { key } = await (await api(`/api/users/${olga.id}/keys`, { cookie: root, body: { name: "ci" } })).json();

    const byOlga = await api("/api/deploy", { cookie: session, body: { modelVersionId: model.id, reason: "by hand" } });
    expect(byOlga.status).toBe(200);
    expect((await byOlga.json()).deployment.actor).toBe("olga");
    const byKey = await api("/api/deploy", { key, body: { modelVersionId: model.id, reason: "from CI" } });
    expect((await byKey.json()).deployment.actor).toBe("olga (key ci)");
    process.env.ADMIN_TOKEN = "people-admin-token";
    try {
      // ADMIN_TOKEN keeps working as an admin once users exist
      expect((await api("/api/users", { key: "people-admin-token" })).status).toBe(200);
      const byToken = await api("/api/deploy", { key: "people-admin-token", body: { modelVersionId: model.id } });
      expect((await byToken.json()).deployment.actor).toBe("ADMIN_TOKEN");
      expect(await errorCode(await api("/api/users", { key: "not-the-admin-token" }))).toBe("unauthorized:token");
    } finally {
      delete process.env.ADMIN_TOKEN;
    }
    const deployments = (await (await api("/api/deployments", { cookie: session })).json()).deployments;
    expect(deployments.slice(-3).map((d: { actor: string | null }) => d.actor)).toEqual(["olga", "olga (key ci)", "ADMIN_TOKEN"]);

    const rollback = await api("/api/rollback", { cookie: session, body: {} });
    expect(rollback.status).toBe(200);
    expect((await rollback.json()).deployment.actor).toBe("olga");
    expect((await api("/api/train", { key, body: {} })).status).toBe(201);
    const form = new FormData();
    form.append("file", new Blob([`${HEADER}\npeople-a,1,2,3,0\npeople-b,4,5,6,1\n`], { type: "text/csv" }), "people.csv");
    const upload = await fetchIt(BASE + "/api/ingest", { method: "POST", headers: { cookie: session }, body: form });
    expect(upload.status).toBe(201);
    const batch = await api("/api/batches", { cookie: session, body: { rows: [{ corporation: "x", lastmonth_activity: 1, lastyear_activity: 2, number_of_employees: 3 }] } });
    expect(batch.status).toBe(201);

    const run = await api("/api/runs", { cookie: session, method: "POST" });
    expect(run.status).toBe(202);
    const runId = (await run.json()).run.id;
    await waitForBackgroundRuns();
    expect((await (await api(`/api/runs/${runId}`, { cookie: session })).json()).actor).toBe("olga");
    expect((await (await api("/api/runs", { cookie: session })).json()).runs[0]).toMatchObject({ id: runId, actor: "olga" });

    const audit = await auditEvents(root);
    const did = audit.filter((e) => e.outcome === "ok").map((e) => `${e.actor}: ${e.action}`);
    for (const line of ["olga: deploy", "olga (key ci): deploy", "ADMIN_TOKEN: deploy", "olga: rollback", "olga (key ci): train", "olga: upload", "olga: batch", "olga: run", "root: key.create", "olga: sign-in"]) {
      expect(did, line).toContain(line);
    }
    const deployEvent = audit.find((e) => e.action === "deploy" && e.actor === "olga (key ci)")!;
    expect(deployEvent).toMatchObject({ actorKind: "key", detail: { method: "POST", path: "/api/deploy", status: 200 } });
  });

  it("refused sign-ins are recorded with the reason and the client; the trail pages newest first (limit, before, nextCursor); admins only", async () => {
    const root = await admin();
    await seedUser("vera", "viewer");
    const vera = await signIn("vera");
    expect(await errorCode(await api("/api/session", { body: { name: "vera", password: "not-veras-password" }, client: "198.51.100.7" }))).toBe("unauthorized:credentials");
    expect(await errorCode(await api("/api/session", { body: { name: "nobody", password: "whatever" }, client: "198.51.100.8" }))).toBe("unauthorized:credentials");
    for (let i = 0; i < 4; i++) await api("/api/users", { cookie: root, body: { name: `u${i}`, role: "viewer" } });

    const all = await auditEvents(root);
    expect(all.map((e) => e.id)).toEqual([...all.map((e) => e.id)].sort((a, b) => b - a));
    expect(all.find((e) => e.target === "user vera" && e.outcome === "refused")).toMatchObject({ action: "sign-in", actor: "vera", client: "198.51.100.7", detail: { reason: "wrong password" } });
    expect(all.find((e) => e.target === "user nobody" && e.outcome === "refused")).toMatchObject({ action: "sign-in", actorKind: "anonymous", client: "198.51.100.8", detail: { reason: "unknown name" } });
    // the reason, never the password sent
    expect(JSON.stringify(all)).not.toContain("not-veras-password");
    expect(JSON.stringify(all)).not.toContain("whatever");

    // paged: 3 at a time, following nextCursor, gives the same events in the same order
    const paged: number[] = [];
    let cursor: number | null = null;
    for (let pages = 0; pages < 20; pages++) {
      const res = await api(`/api/audit?limit=3${cursor !== null ? `&before=${cursor}` : ""}`, { cookie: root });
      expect(res.status).toBe(200);
      const page: { events: { id: number }[]; nextCursor: number | null } = await res.json();
      expect(page.events.length).toBeLessThanOrEqual(3);
      paged.push(...page.events.map((e) => e.id));
      cursor = page.nextCursor;
      if (cursor === null) break;
    }
    expect(cursor).toBeNull();
    expect(paged).toEqual(all.map((e) => e.id));
    expect(all.length).toBeGreaterThan(6);
    expect((await api("/api/audit?limit=0", { cookie: root })).status).toBe(400);
    expect(await errorCode(await api("/api/audit", { cookie: vera }))).toBe("forbidden:role");
  });
});

describe("the auth proxy (TRUST_PROXY=1, AUTH_PROXY_HEADER)", () => {
  const PROXY_ENV = ["TRUST_PROXY", "AUTH_PROXY_HEADER", "AUTH_PROXY_AUTO_CREATE"];
  const withProxy = async (env: Record<string, string>, fn: () => Promise<void>) => {
    Object.assign(process.env, env);
    try {
      await fn();
    } finally {
      for (const k of PROXY_ENV) delete process.env[k];
    }
  };
  const as = (name: string) => ({ headers: { "x-forwarded-email": name } });

  it("a name the proxy vouches for is that user, created as a viewer on first sight (audited); a disabled one is refused", async () => {
    const root = await admin();
    await withProxy({ TRUST_PROXY: "1", AUTH_PROXY_HEADER: "X-Forwarded-Email" }, async () => {
      expect((await api("/api/models", as("pat@example.com"))).status).toBe(200);
      const pat = await t.db.user.findUniqueOrThrow({ where: { name: "pat@example.com" } });
      expect(pat).toMatchObject({ role: "viewer", fromProxy: true, passwordHash: null, disabled: false });
      expect(await (await api("/api/session", as("pat@example.com"))).json()).toMatchObject({ authenticated: true, role: "viewer", user: { name: "pat@example.com" }, via: "proxy" });
      expect(await errorCode(await api("/api/rollback", { ...as("pat@example.com"), body: {} }))).toBe("forbidden:role");
      // seen again: the same user
      expect((await api("/api/models", as("pat@example.com"))).status).toBe(200);
      expect(await t.db.user.count({ where: { name: "pat@example.com" } })).toBe(1);
      const created = (await auditEvents(root)).filter((e) => e.action === "user.create" && e.target === "user pat@example.com");
      expect(created).toHaveLength(1);
      expect(created[0]).toMatchObject({ actor: "pat@example.com", actorKind: "proxy" });
      // a proxy user has no password here
      expect(await errorCode(await api(`/api/users/${pat.id}/password`, { cookie: root, method: "POST" }))).toBe("conflict:user");
      // disabled: refused
      await api(`/api/users/${pat.id}`, { method: "PATCH", cookie: root, body: { disabled: true } });
      const res = await api("/api/models", as("pat@example.com"));
      expect(res.status).toBe(401);
      expect(await errorCode(res)).toBe("unauthorized:user");
    });
  });

  it("AUTH_PROXY_AUTO_CREATE=0: an unknown name is refused and not added; without TRUST_PROXY the header is ignored", async () => {
    await admin();
    await withProxy({ TRUST_PROXY: "1", AUTH_PROXY_HEADER: "x-forwarded-email", AUTH_PROXY_AUTO_CREATE: "0" }, async () => {
      const before = await everyTableCount(t.db);
      const res = await api("/api/models", as("quinn@example.com"));
      expect(res.status).toBe(401);
      expect(await errorCode(res)).toBe("unauthorized:user");
      expect(await everyTableCount(t.db)).toEqual(before);
      // a known user is let in
      expect((await api("/api/users", as("root"))).status).toBe(200);
    });
    await withProxy({ AUTH_PROXY_HEADER: "x-forwarded-email" }, async () => {
      const before = await everyTableCount(t.db);
      for (const name of ["root", "quinn@example.com"]) {
        const res = await api("/api/users", as(name));
        expect(res.status, name).toBe(401);
        expect(await errorCode(res)).toBe("unauthorized:sign_in");
      }
      expect(await everyTableCount(t.db)).toEqual(before);
    });
  });
});
