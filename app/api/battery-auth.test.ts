import { describe, expect, it } from "vitest";
import { BASE, everyTableCount, HEADER, inProcessFetch, seedDeployedModel, useRouteTestDb } from "@/lib/testing/api";
import { apiAs, sessionCookieOf, useSeededUsers } from "@/lib/testing/people";

/*
 * The reliability battery, access part (issue 19): floods of wrong passwords, revocation and
 * disabling racing with requests in flight, concurrent sign-ins, two admins demoting each other
 * at once — and nothing of a refused request stored. Each test has its own database.
 */

const t = useRouteTestDb();
const fetchIt = inProcessFetch();
const PW = "battery passphrase 2026";
const { seedUser } = useSeededUsers(t, PW);

const api = apiAs(fetchIt);

const signInRequest = (name: string, password: string, client: string) => api("/api/session", { body: { name, password }, client });

async function signIn(name: string, client = "10.9.9.9"): Promise<string> {
  const res = await signInRequest(name, PW, client);
  expect(res.status, `sign-in of ${name}`).toBe(200);
  return sessionCookieOf(res);
}

async function codeOf(res: Response): Promise<string> {
  return res.status < 400 ? String(res.status) : `${res.status} ${((await res.clone().json()) as { error: { code: string } }).error.code}`;
}

const count = (codes: string[]) => codes.reduce<Record<string, number>>((acc, c) => ({ ...acc, [c]: (acc[c] ?? 0) + 1 }), {});

/** Every table's row count but the audit trail's (and SQLite's own sqlite_sequence); and the audit trail apart. */
async function stored(): Promise<{ tables: Record<string, number>; audit: number }> {
  const { AuditEvent: audit, sqlite_sequence: _, ...tables } = await everyTableCount(t.db);
  return { tables, audit };
}

describe("wrong passwords", () => {
  it("a flood from one client slows that client down (429, even for the right password) and locks out nobody else", async () => {
    await seedUser("alice", "viewer");
    await seedUser("bob", "viewer");
    const before = await stored();
    const codes: string[] = [];
    for (let i = 0; i < 12; i++) codes.push(await codeOf(await signInRequest(i % 2 ? "alice" : "bob", `guess number ${i}`, "203.0.113.66")));
    expect(codes.slice(0, 5)).toEqual(Array(5).fill("401 unauthorized:credentials"));
    expect(codes.slice(5)).toEqual(Array(7).fill("429 too_many_requests:sign_in"));
    const slowed = await signInRequest("alice", PW, "203.0.113.66");
    expect(await codeOf(slowed)).toBe("429 too_many_requests:sign_in");
    expect(Number(slowed.headers.get("retry-after"))).toBeGreaterThan(0);
    // alice and bob sign in from their own addresses
    await signIn("alice", "198.51.100.1");
    await signIn("bob", "198.51.100.2");
    // the refusals stored nothing but their audit events (one per checked password; a 429 checks none)
    const after = await stored();
    expect(after.tables).toEqual({ ...before.tables, Session: before.tables.Session + 2, User: before.tables.User });
    expect(after.audit - before.audit).toBe(5 + 2);
  });

  it("sent all at once, the guesses count all at once: no more than 5 passwords of one client are checked", async () => {
    await seedUser("alice", "viewer");
    const codes = await Promise.all(Array.from({ length: 20 }, (_, i) => signInRequest("alice", `parallel guess ${i}`, "203.0.113.77").then(codeOf)));
    expect(count(codes)).toEqual({ "401 unauthorized:credentials": 5, "429 too_many_requests:sign_in": 15 });
    expect(await t.db.auditEvent.count({ where: { action: "sign-in", outcome: "refused" } })).toBe(5);
    await signIn("alice", "198.51.100.1");
  });

  it("10 wrong passwords for one name from 10 clients: those clients are refused for it, alice still signs in from her own", async () => {
    await seedUser("alice", "viewer");
    await seedUser("bob", "viewer");
    const clients = Array.from({ length: 10 }, (_, i) => `192.0.2.${i + 10}`);
    const codes = await Promise.all(clients.map((c, i) => signInRequest("alice", `distributed guess ${i}`, c).then(codeOf)));
    expect(codes).toEqual(Array(10).fill("401 unauthorized:credentials"));
    // each client sent one wrong password: under its own limit, but refused for alice, even with the right password
    expect(await codeOf(await signInRequest("alice", PW, clients[3]))).toBe("429 too_many_requests:sign_in");
    await signIn("bob", clients[3]);
    await signIn("alice", "198.51.100.1");
  });
});

describe("revocation and disabling race requests in flight", () => {
  it("a revoked key: requests in flight may finish, but every request after the revoke is refused; a refused deploy is not stored", async () => {
    const root = await signIn((await seedUser("root", "admin")).name);
    const { model } = await seedDeployedModel(t.db);
    const olga = await seedUser("olga", "operator");
    const created = await (await api(`/api/users/${olga.id}/keys`, { cookie: root, body: { name: "ci" } })).json();
    const key: string = created.key;
    const deploy = () => api("/api/deploy", { key, body: { modelVersionId: model.id, reason: "race" } });
    const deploymentsBefore = await t.db.deployment.count();

    const inFlight = Array.from({ length: 20 }, (_, i) => (i % 2 ? api("/api/models", { key }) : deploy()));
    const revoke = api(`/api/keys/${created.id}`, { method: "DELETE", cookie: root });
    const [revoked, ...racing] = await Promise.all([revoke, ...inFlight]);
    expect(revoked.status).toBe(200);
    const racingCodes = await Promise.all(racing.map(codeOf));
    for (const c of racingCodes) expect(["200", "401 unauthorized:key"]).toContain(c);
    // as many deployments as deploys answered 200
    const deployed = racingCodes.filter((c, i) => i % 2 === 0 && c === "200").length;
    expect(await t.db.deployment.count()).toBe(deploymentsBefore + deployed);

    const before = await everyTableCount(t.db);
    const after = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? api("/api/models", { key }) : deploy()).then(codeOf)));
    expect(after).toEqual(Array(20).fill("401 unauthorized:key"));
    expect(await everyTableCount(t.db)).toEqual(before);
  });

  it("a disabled user's session and key: refused on the next request, whatever was in flight", async () => {
    const root = await signIn((await seedUser("root", "admin")).name);
    const olga = await seedUser("olga", "operator");
    const session = await signIn("olga");
    const { key } = await (await api(`/api/users/${olga.id}/keys`, { cookie: root, body: { name: "ci" } })).json();
    const inFlight = Array.from({ length: 20 }, (_, i) => api(i % 3 ? "/api/models" : "/api/runs", i % 2 ? { cookie: session } : { key }));
    const [disabled, ...racing] = await Promise.all([api(`/api/users/${olga.id}`, { method: "PATCH", cookie: root, body: { disabled: true } }), ...inFlight]);
    expect(disabled.status).toBe(200);
    for (const c of await Promise.all(racing.map(codeOf))) expect(["200", "401 unauthorized:session", "401 unauthorized:key"]).toContain(c);

    const before = await everyTableCount(t.db);
    const next = await Promise.all([
      ...Array.from({ length: 10 }, () => api("/api/models", { cookie: session }).then(codeOf)),
      ...Array.from({ length: 10 }, () => api("/api/models", { key }).then(codeOf)),
      api("/api/rollback", { cookie: session, body: {} }).then(codeOf),
      api("/api/train", { key, body: {} }).then(codeOf),
    ]);
    expect(count(next)).toEqual({ "401 unauthorized:session": 11, "401 unauthorized:key": 11 });
    expect(await everyTableCount(t.db)).toEqual(before);
  });

  it("concurrent sign-ins of one user all get their own session", async () => {
    await seedUser("alice", "viewer");
    // five from one browser's address (its limit: sign-ins count as wrong until checked), five from others
    const clients = [...Array(5).fill("198.51.100.5"), "198.51.100.6", "198.51.100.7", "198.51.100.8", "198.51.100.9", "198.51.100.10"];
    const responses = await Promise.all(clients.map((c) => signInRequest("alice", PW, c)));
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
    const cookies = responses.map((r) => r.headers.get("set-cookie")!.split(";")[0]);
    expect(new Set(cookies).size).toBe(10);
    expect(await t.db.session.count({ where: { revokedAt: null } })).toBe(10);
    const answers = await Promise.all(cookies.map((cookie) => api("/api/models", { cookie }).then(codeOf)));
    expect(answers).toEqual(Array(10).fill("200"));
  });

  it("the auth proxy's first requests for a new name, all at once: one user, created once, every request let in", async () => {
    await seedUser("root", "admin");
    Object.assign(process.env, { TRUST_PROXY: "1", AUTH_PROXY_HEADER: "x-forwarded-email" });
    try {
      const codes = await Promise.all(Array.from({ length: 10 }, () => api("/api/models", { headers: { "x-forwarded-email": "new@example.com" } }).then(codeOf)));
      expect(codes).toEqual(Array(10).fill("200"));
      expect(await t.db.user.count({ where: { name: "new@example.com" } })).toBe(1);
      expect(await t.db.auditEvent.count({ where: { action: "user.create", target: "user new@example.com" } })).toBe(1);
    } finally {
      delete process.env.TRUST_PROXY;
      delete process.env.AUTH_PROXY_HEADER;
    }
  });

  it("two admins demoting or disabling each other at once: one of them stays an enabled admin", async () => {
    await seedUser("root", "admin");
    await seedUser("ann", "admin");
    const [root, ann] = [await signIn("root", "198.51.100.1"), await signIn("ann", "198.51.100.2")];
    const [rootId, annId] = [(await t.db.user.findUniqueOrThrow({ where: { name: "root" } })).id, (await t.db.user.findUniqueOrThrow({ where: { name: "ann" } })).id];
    const results = await Promise.all([
      api(`/api/users/${annId}`, { method: "PATCH", cookie: root, body: { disabled: true } }).then(codeOf),
      api(`/api/users/${rootId}`, { method: "PATCH", cookie: ann, body: { role: "viewer" } }).then(codeOf),
    ]);
    // one wins; the other is refused: by the last-admin rule, or because its admin just lost the role
    expect(results.filter((c) => c === "200")).toHaveLength(1);
    for (const c of results.filter((c) => c !== "200")) expect(["409 conflict:last_admin", "403 forbidden:role", "401 unauthorized:session"]).toContain(c);
    expect(await t.db.user.count({ where: { role: "admin", disabled: false } })).toBe(1);
    // each on their own, at once: same
    await t.db.user.updateMany({ data: { role: "admin", disabled: false } });
    const direct = await Promise.all([
      api(`/api/users/${annId}`, { method: "PATCH", cookie: root, body: { role: "operator" } }).then(codeOf),
      api(`/api/users/${rootId}`, { method: "PATCH", cookie: root, body: { role: "operator" } }).then(codeOf),
    ]);
    expect(direct.filter((c) => c === "200")).toHaveLength(1);
    expect(await t.db.user.count({ where: { role: "admin", disabled: false } })).toBe(1);
  });
});

describe("nothing of a refused request is stored", () => {
  it("refused changes of every kind leave every table as it was (the audit trail included)", async () => {
    const root = await signIn((await seedUser("root", "admin")).name);
    const { model } = await seedDeployedModel(t.db);
    await seedUser("vera", "viewer");
    const vera = await signIn("vera");
    const olga = await seedUser("olga", "operator");
    const { id: keyId, key } = await (await api(`/api/users/${olga.id}/keys`, { cookie: root, body: { name: "ci" } })).json();
    const { key: viewerKey } = await (await api(`/api/users/${olga.id}/keys`, { cookie: root, body: { name: "read", role: "viewer" } })).json();
    await api(`/api/keys/${keyId}`, { method: "DELETE", cookie: root });
    const csv = `${HEADER}\nbattery-a,1,2,3,0\nbattery-b,4,5,6,1\n`;
    const upload = (headers: Record<string, string>) => {
      const form = new FormData();
      form.append("file", new Blob([csv], { type: "text/csv" }), "battery.csv");
      return fetchIt(BASE + "/api/ingest", { method: "POST", headers, body: form });
    };
    const cross = { origin: "https://evil.example", host: "localhost:3000" };

    const before = await everyTableCount(t.db);
    const refused: [string, Promise<Response>, string][] = [
      ["anonymous upload", upload({}), "401 unauthorized:sign_in"],
      ["viewer upload", upload({ cookie: vera }), "403 forbidden:role"],
      ["revoked key upload", upload({ authorization: `Bearer ${key}` }), "401 unauthorized:key"],
      ["viewer key deploy", api("/api/deploy", { key: viewerKey, body: { modelVersionId: model.id } }), "403 forbidden:role"],
      ["revoked key deploy", api("/api/deploy", { key, body: { modelVersionId: model.id } }), "401 unauthorized:key"],
      ["viewer train", api("/api/train", { cookie: vera, body: {} }), "403 forbidden:role"],
      ["viewer run", api("/api/runs", { cookie: vera, method: "POST" }), "403 forbidden:role"],
      ["viewer adds an admin", api("/api/users", { cookie: vera, body: { name: "mallory", role: "admin" } }), "403 forbidden:role"],
      ["viewer makes herself admin", api(`/api/users/${olga.id}`, { method: "PATCH", cookie: vera, body: { role: "admin" } }), "403 forbidden:role"],
      ["viewer key makes a key", api(`/api/users/${olga.id}/keys`, { key: viewerKey, body: { name: "escalate" } }), "403 forbidden:role"],
      ["cross-site admin adds a user", api("/api/users", { cookie: root, body: { name: "mallory", role: "admin" }, headers: cross }), "403 forbidden:origin"],
      ["cross-site admin deploy", api("/api/deploy", { cookie: root, body: { modelVersionId: model.id }, headers: cross }), "403 forbidden:origin"],
      ["forged cookie rollback", api("/api/rollback", { cookie: "dra_session=s.forged", body: {}, client: "10.7.0.1" }), "401 unauthorized:sign_in"],
      ["wrong key batch", api("/api/batches", { key: `dra_${"y".repeat(43)}`, body: { rows: [] }, client: "10.7.0.2" }), "401 unauthorized:token"],
    ];
    const codes = await Promise.all(refused.map(([, res]) => res.then(codeOf)));
    expect(Object.fromEntries(refused.map(([name], i) => [name, codes[i]]))).toEqual(Object.fromEntries(refused.map(([name, , code]) => [name, code])));
    expect(await everyTableCount(t.db)).toEqual(before);
    // the server still answers, and the same requests done right get through
    expect((await upload({ cookie: root })).status).toBe(201);
  });
});
