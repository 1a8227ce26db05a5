import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { config as proxyConfig, proxy } from "../../proxy";
import { exportedMethods, loadRoute, routeFiles } from "../testing/api";
import { allowedMethods, ROUTE_METHODS } from "./route-methods";

describe("the methods of each API route", () => {
  it("ROUTE_METHODS lists every route file under app/api with exactly the methods it exports, and the classic paths", async () => {
    const fromFiles: Record<string, string[]> = {};
    for (const route of routeFiles()) fromFiles[route.apiPath] = exportedMethods(await loadRoute(route));
    const listed = Object.fromEntries(Object.entries(ROUTE_METHODS).filter(([p]) => p.startsWith("/api/")));
    expect(listed).toEqual(fromFiles);
    // the classic paths answer like their /api twins
    for (const classic of ["/scoring", "/summarystats", "/prediction"]) expect(ROUTE_METHODS[classic]).toEqual(ROUTE_METHODS[`/api${classic}`]);
  });

  it("the proxy runs on every API route but prediction and ingest (whose bodies it must not see)", () => {
    const covered = (p: string) => proxyConfig.matcher.some((m) => p === m.replace("/:path*", "") || p.startsWith(m.replace(":path*", "")));
    for (const route of Object.keys(ROUTE_METHODS)) {
      const skipped = /^(\/api)?\/(prediction|ingest)$/.test(route);
      expect(covered(route.replace("{id}", "1")), route).toBe(!skipped);
    }
  });

  it("Allow adds HEAD to GET routes and OPTIONS to all; unknown paths are not API routes", () => {
    expect(allowedMethods("/api/health")).toEqual(["GET", "HEAD", "OPTIONS"]);
    expect(allowedMethods("/api/runs/17")).toEqual(["GET", "HEAD", "OPTIONS"]);
    expect(allowedMethods("/api/session")).toEqual(["GET", "POST", "DELETE", "HEAD", "OPTIONS"]);
    expect(allowedMethods("/api/nope")).toBeNull();
    expect(allowedMethods("/models")).toBeNull();
  });

  it("the proxy answers a method a route does not take with a JSON 405 and Allow, and lets the others through", async () => {
    const res = proxy(new NextRequest("http://localhost/api/health", { method: "PUT" }));
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
    expect(await res.json()).toEqual({ error: { code: "method_not_allowed:method", message: "PUT is not answered at /api/health; use GET." } });
    const del = proxy(new NextRequest("http://localhost/prediction", { method: "DELETE" }));
    expect(del.status).toBe(405);
    expect(del.headers.get("allow")).toBe("POST, OPTIONS");
    for (const [method, url] of [["GET", "/api/health"], ["POST", "/api/prediction"], ["HEAD", "/api/models"], ["OPTIONS", "/api/train"], ["PUT", "/api/unknown"]]) {
      const pass = proxy(new NextRequest(`http://localhost${url}`, { method }));
      expect(pass.headers.get("x-middleware-next"), `${method} ${url}`).toBe("1");
    }
  });
});
