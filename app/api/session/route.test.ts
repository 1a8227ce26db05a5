import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DELETE, GET, POST } from "@/app/api/session/route";
import { POST as train } from "@/app/api/train/route";
import { SESSION_COOKIE, sessionCookieValue } from "@/lib/http/auth";
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
    expect(await status()).toEqual({ authRequired: true, authenticated: false });
    expect(await status({ authorization: `Bearer ${TOKEN}` })).toEqual({ authRequired: true, authenticated: true });
    expect(await status({ cookie: `${SESSION_COOKIE}=${sessionCookieValue(TOKEN)}` })).toEqual({ authRequired: true, authenticated: true });
    expect(await status({ cookie: `${SESSION_COOKIE}=forged` })).toEqual({ authRequired: true, authenticated: false });
    delete process.env.ADMIN_TOKEN;
    expect(await status()).toEqual({ authRequired: false, authenticated: true });
  });

  it("POST with the right token sets an httpOnly SameSite=Strict cookie that then authorizes writes", async () => {
    const res = await POST(jsonRequest("/api/session", { token: TOKEN }), undefined);
    expect(res.status).toBe(200);
    expect(SessionStatus.parse(await res.json())).toEqual({ authRequired: true, authenticated: true });
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
