import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { API_DIR, TINY_TEST_DATA, exportedMethods, loadRoute, routeFiles, seedDeployedModel, tableCounts } from "@/lib/testing/api";
import { createTestDb, type TestDb } from "@/lib/testing/temp-db";

/*
 * ADMIN_TOKEN: every state-changing handler of every route file (found on disk, so a new
 * route is covered the day it is added) must answer 401 without the token and change nothing.
 * The session routes are the one exception: they are how the dashboard signs in.
 */

const TOKEN = "walk-the-routes-token";
const WRITE_METHODS = ["POST", "PUT", "PATCH", "DELETE"] as const;
const SESSION = "/api/session";

let t: TestDb;
beforeEach(async () => {
  t = createTestDb();
  process.env.TEST_DATA = TINY_TEST_DATA;
  process.env.ADMIN_TOKEN = TOKEN;
  await seedDeployedModel(t.db);
});
afterEach(async () => {
  delete process.env.ADMIN_TOKEN;
  await t.cleanup();
});

/** A body the route would accept, so that only the token decides the answer. */
const BODIES: Record<string, unknown> = {
  "/api/deploy": { modelVersionId: 1 },
  "/api/session": { token: "not-the-token" },
  "/api/prediction": { rows: [{ corporation: "a", lastmonth_activity: 1, lastyear_activity: 2, number_of_employees: 3 }] },
};

function request(apiPath: string, method: string, headers: Record<string, string> = {}): Request {
  const url = "http://localhost:3000" + apiPath.replace(/\{[^}]+\}/g, "1");
  const body = method === "DELETE" ? undefined : JSON.stringify(BODIES[apiPath] ?? {});
  return new Request(url, { method, headers: { "content-type": "application/json", ...headers }, body });
}

const context = { params: Promise.resolve({ id: "1" }) };

describe("ADMIN_TOKEN protects every write route", () => {
  it("finds the write routes on disk", async () => {
    const writes: string[] = [];
    for (const route of routeFiles()) {
      for (const m of exportedMethods(await loadRoute(route))) if ((WRITE_METHODS as readonly string[]).includes(m)) writes.push(`${m} ${route.apiPath}`);
    }
    for (const expected of ["POST /api/prediction", "POST /api/ingest", "POST /api/train", "POST /api/deploy", "POST /api/rollback", "POST /api/runs"]) {
      expect(writes).toContain(expected);
    }
    expect(path.isAbsolute(API_DIR)).toBe(true);
  });

  for (const route of routeFiles()) {
    it(`${path.relative(API_DIR, route.file)}: no token or a wrong token → 401, nothing changed`, async () => {
      const mod = await loadRoute(route);
      const methods = exportedMethods(mod).filter((m) => (WRITE_METHODS as readonly string[]).includes(m));
      for (const method of methods) {
        const handler = mod[method]!;
        const before = await tableCounts(t.db);
        if (route.apiPath === SESSION) {
          // reachable without the token; POST answers 401 only for a wrong token
          const res = await handler(request(route.apiPath, method), context);
          if (method === "POST") {
            expect(res.status, `${method} ${route.apiPath}`).toBe(401);
            expect((await res.json()).error.code).toBe("unauthorized:token");
          } else {
            expect(res.status, `${method} ${route.apiPath}`).toBe(200);
          }
        } else {
          for (const headers of [{}, { authorization: "Bearer wrong-token-123" }, { cookie: "dra_session=forged" }] as Record<string, string>[]) {
            const res = await handler(request(route.apiPath, method, headers), context);
            expect(res.status, `${method} ${route.apiPath} ${JSON.stringify(headers)}`).toBe(401);
            const body = await res.json();
            expect(body.error.code).toBe("unauthorized:token");
            expect(body.error.message).toContain("Bearer");
          }
        }
        expect(await tableCounts(t.db), `${method} ${route.apiPath} changed the database`).toEqual(before);
      }
    });
  }

  it("the right bearer token gets through (deploy answers 200)", async () => {
    const { POST } = await import("@/app/api/deploy/route");
    const res = await POST(request("/api/deploy", "POST", { authorization: `Bearer ${TOKEN}` }), undefined);
    expect(res.status).toBe(200);
  });

  it("read routes stay open", async () => {
    const { GET } = await import("@/app/api/health/route");
    expect((await GET(new Request("http://localhost/api/health"), undefined)).status).toBe(200);
  });
});
