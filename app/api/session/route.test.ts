import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DELETE, GET, POST } from "@/app/api/session/route";
import { POST as train } from "@/app/api/train/route";
import { SESSION_COOKIE } from "@/lib/auth/access";
import { tokenCookieValue as sessionCookieValue } from "@/lib/auth/secrets";
import { getRequest, jsonRequest, tableCounts } from "@/lib/testing/api";
import { createTestDb, type TestDb } from "@/lib/testing/temp-db";
import { SessionStatus } from "@/lib/validations/session";

const TOKEN = "s3cret-token-for-tests";
let t: TestDb;
beforeEach(() => {
  t = createTestDb();
  process.env.ADMIN_TOKEN = TOKEN;
});
afterEach(async () => {
  delete process.env.ADMIN_TOKEN;
  await t.cleanup();
});

const status = async (headers: Record<string, string> = {}) => SessionStatus.parse(await (await GET(getRequest("/api/session", headers), undefined)).json());

describe("/api/session", () => {
  it("GET says whether auth is required and whether this request carries the token or the cookie", async () => {
    expect(await status()).toMatchObject({ authRequired: true, authenticated: false });
    expect(await status({ authorization: `Bearer ${TOKEN}` })).toMatchObject({ authRequired: true, authenticated: true });
    expect(await status({ cookie: `${SESSION_COOKIE}=${sessionCookieValue(TOKEN)}` })).toMatchObject({ authRequired: true, authenticated: true });
    expect(await status({ cookie: `${SESSION_COOKIE}=forged` })).toMatchObject({ authRequired: true, authenticated: false });
    delete process.env.ADMIN_TOKEN;
    expect(await status()).toMatchObject({ authRequired: false, authenticated: true });
  });

  it("POST with the right token sets an httpOnly SameSite=Strict cookie that then authorizes writes", async () => {
    const res = await POST(jsonRequest("/api/session", { token: TOKEN }), undefined);
    expect(res.status).toBe(200);
    expect(SessionStatus.parse(await res.json())).toMatchObject({ authRequired: true, authenticated: true });
    const cookie = res.headers.get("set-cookie")!;
    expect(cookie).toContain(`${SESSION_COOKIE}=${sessionCookieValue(TOKEN)}`);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toContain(TOKEN + ";");

    const value = cookie.split(";")[0];
    // the cookie passes the admin check: train gets past auth (and fails on the empty database instead)
    const withCookie = await train(new Request("http://localhost/api/train", { method: "POST", headers: { cookie: value } }), undefined);
    expect(withCookie.status).toBe(409);
    const without = await train(new Request("http://localhost/api/train", { method: "POST" }), undefined);
    expect(without.status).toBe(401);

    // the cookie only counts for a write from this server's own pages (Origin = Host)
    const post = (headers: Record<string, string>) => train(new Request("http://localhost/api/train", { method: "POST", headers }), undefined);
    const sameSite = await post({ cookie: value, host: "localhost:3000", origin: "http://localhost:3000" });
    expect(sameSite.status).toBe(409);
    const crossSite = await post({ cookie: value, host: "localhost:3000", origin: "http://evil.example" });
    expect(crossSite.status).toBe(403);
    expect((await crossSite.json()).error).toMatchObject({ code: "forbidden:origin", message: expect.stringContaining("http://evil.example") });
    const opaque = await post({ cookie: value, host: "localhost:3000", origin: "null" });
    expect(opaque.status).toBe(403);
    // a bearer token cannot be sent by another site's page: no Origin check for it
    const bearer = await post({ authorization: `Bearer ${TOKEN}`, host: "localhost:3000", origin: "http://evil.example" });
    expect(bearer.status).toBe(409);
  });

  it("POST with a wrong token → 401 and no cookie; a bad body → 422; nothing written", async () => {
    const before = await tableCounts(t.db);
    const wrong = await POST(jsonRequest("/api/session", { token: "not-the-token" }), undefined);
    expect(wrong.status).toBe(401);
    expect((await wrong.json()).error.code).toBe("unauthorized:token");
    expect(wrong.headers.get("set-cookie")).toBeNull();
    const bad = await POST(jsonRequest("/api/session", { password: TOKEN }), undefined);
    expect(bad.status).toBe(422);
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it("DELETE clears the cookie", async () => {
    const res = await DELETE(new Request("http://localhost/api/session", { method: "DELETE" }), undefined);
    expect(res.status).toBe(200);
    expect(res.headers.get("set-cookie")).toMatch(new RegExp(`^${SESSION_COOKIE}=;.*Max-Age=0`));
    expect(SessionStatus.parse(await res.json()).authenticated).toBe(false);
  });
});

describe("wrong tokens are slowed down", () => {
  const attempt = (token: string, client: string) =>
    train(new Request("http://localhost/api/train", { method: "POST", headers: { authorization: `Bearer ${token}`, "x-forwarded-for": client } }), undefined);

  it("after 5 wrong tokens a client gets 429 with Retry-After, even with the right token, until the window passes; others are not affected", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(new Date("2026-11-29T12:00:00Z"));
      for (let i = 0; i < 5; i++) expect((await attempt("guess-" + i, "10.0.0.1")).status).toBe(401);
      const slowed = await attempt("guess-5", "10.0.0.1");
      expect(slowed.status).toBe(429);
      expect(slowed.headers.get("retry-after")).toBe("60");
      expect((await slowed.json()).error.code).toBe("too_many_requests:token");
      // the right token is not even compared while the client is slowed down
      expect((await attempt(TOKEN, "10.0.0.1")).status).toBe(429);
      // the session login counts and is slowed down the same way
      const login = await POST(new Request("http://localhost/api/session", { method: "POST", headers: { "content-type": "application/json", "x-forwarded-for": "10.0.0.1" }, body: JSON.stringify({ token: TOKEN }) }), undefined);
      expect(login.status).toBe(429);
      // another client is not affected (the right token reaches the handler: 409, nothing to train on)
      expect((await attempt(TOKEN, "10.0.0.2")).status).toBe(409);
      vi.setSystemTime(new Date("2026-11-29T12:00:40Z"));
      expect((await attempt(TOKEN, "10.0.0.1")).headers.get("retry-after")).toBe("20");
      vi.setSystemTime(new Date("2026-11-29T12:01:01Z"));
      expect((await attempt(TOKEN, "10.0.0.1")).status).toBe(409);
    } finally {
      vi.useRealTimers();
    }
  });

  it("asking whether one is signed in (GET /api/session) with a stale cookie counts for nothing", async () => {
    for (let i = 0; i < 10; i++) expect((await status({ cookie: `${SESSION_COOKIE}=stale`, "x-forwarded-for": "10.0.0.3" })).authenticated).toBe(false);
    expect((await attempt(TOKEN, "10.0.0.3")).status).toBe(409);
  });
});
