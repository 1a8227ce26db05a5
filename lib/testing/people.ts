import { beforeAll, expect } from "vitest";
import { hashPassword } from "../auth/passwords";
import type { Role } from "../auth/roles";
import type { Db } from "../db/client";
import { insertUser } from "../db/people";
import { BASE } from "./api";

/*
 * Test helpers for the access routes (issue 19): requests as a caller — a session cookie, an API
 * key, a client address — and the session cookie a sign-in answers.
 */

/** Who sends a request, and what: a JSON body makes it a POST unless `method` says otherwise. */
export interface Call {
  method?: string;
  body?: unknown;
  cookie?: string;
  key?: string;
  client?: string;
  headers?: Record<string, string>;
}

/** A function that sends `path` with `fetchIt` (the in-process fetch of lib/testing/api.ts) as the caller a Call describes. */
export function apiAs(fetchIt: typeof fetch): (path: string, call?: Call) => Promise<Response> {
  return (path, { method, body, cookie, key, client, headers = {} } = {}) => {
    const h: Record<string, string> = { ...headers };
    if (cookie) h.cookie = cookie;
    if (key) h.authorization = `Bearer ${key}`;
    if (client) h["x-forwarded-for"] = client;
    if (body !== undefined) h["content-type"] ??= "application/json";
    return fetchIt(BASE + path, { method: method ?? (body !== undefined ? "POST" : "GET"), headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
  };
}

/** The `dra_session=s.…` pair of a sign-in's Set-Cookie (fails the test when it has none). */
export function sessionCookieOf(res: Response): string {
  const set = res.headers.get("set-cookie");
  expect(set, "Set-Cookie").toMatch(/^dra_session=s\.[\w-]+;/);
  return set!.split(";")[0];
}

/**
 * Users put straight into the test's database, all with `password` (no one-time password to
 * replace); it is hashed once per test file (scrypt costs about 0.3 s). `seeded.hash` is that hash.
 */
export function useSeededUsers(t: { db: Db }, password: string) {
  const seeded = { password, hash: "" };
  beforeAll(async () => {
    seeded.hash = await hashPassword(password);
  });
  const seedUser = (name: string, role: Role) => insertUser(t.db, { name, role, passwordHash: seeded.hash, mustChangePassword: false });
  return { seeded, seedUser };
}
