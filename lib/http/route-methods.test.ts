import { describe, expect, it } from "vitest";
import { exportedMethods, loadRoute, routeFiles } from "../testing/api";
import { ROUTES } from "../validations/routes";
import { allowedMethods, methodNotAllowed, ROUTE_METHODS } from "./route-methods";

describe("the methods of each API route", () => {
  it("ROUTE_METHODS lists every route file under app/api with exactly the methods it exports, and the classic paths", async () => {
    const fromFiles: Record<string, string[]> = {};
    for (const route of routeFiles()) fromFiles[route.apiPath] = exportedMethods(await loadRoute(route));
    const listed = Object.fromEntries(Object.entries(ROUTE_METHODS).filter(([p]) => p.startsWith("/api/")));
    expect(listed).toEqual(fromFiles);
    // the classic paths answer like their /api twins
    for (const classic of ["/scoring", "/summarystats", "/prediction"]) expect(ROUTE_METHODS[classic]).toEqual(ROUTE_METHODS[`/api${classic}`]);
  });

  it("ROUTE_METHODS names the methods the route table documents for each path (the classic /diagnostics is also a page)", () => {
    const fromTable: Record<string, string[]> = {};
    for (const r of ROUTES) if (r.path !== "/diagnostics") (fromTable[r.path] ??= []).push(r.method.toUpperCase());
    expect(Object.fromEntries(Object.entries(ROUTE_METHODS).map(([p, m]) => [p, [...m].sort()]))).toEqual(
      Object.fromEntries(Object.entries(fromTable).map(([p, m]) => [p, m.sort()])),
    );
  });

  it("Allow adds HEAD to GET routes and OPTIONS to all; unknown paths are not API routes", () => {
    expect(allowedMethods("/api/health")).toEqual(["GET", "HEAD", "OPTIONS"]);
    expect(allowedMethods("/api/runs/17")).toEqual(["GET", "HEAD", "OPTIONS"]);
    expect(allowedMethods("/api/session")).toEqual(["GET", "POST", "DELETE", "HEAD", "OPTIONS"]);
    expect(allowedMethods("/api/nope")).toBeNull();
    expect(allowedMethods("/models")).toBeNull();
  });

  it("a method a path does not take gets a JSON 405 naming the methods it does; the others go on to Next", () => {
    expect(methodNotAllowed("PUT", "/api/health")).toEqual({
      allow: "GET, HEAD, OPTIONS",
      body: { error: { code: "method_not_allowed:method", message: "PUT is not answered at /api/health; use GET." } },
    });
    expect(methodNotAllowed("DELETE", "/prediction")?.allow).toBe("POST, OPTIONS");
    expect(methodNotAllowed("GET", "/api/prediction")?.body.error.message).toBe("GET is not answered at /api/prediction; use POST.");
    expect(methodNotAllowed("PUT", "/api/ingest")?.allow).toBe("POST, OPTIONS");
    // TRACE, CONNECT and made-up methods on any path, pages included
    for (const [method, url] of [["TRACE", "/api/health"], ["TRACE", "/"], ["CONNECT", "/models"], ["BREW", "/_next/static/x.js"], ["PROPFIND", "/api/nope"]]) {
      expect(methodNotAllowed(method, url), `${method} ${url}`).not.toBeNull();
    }
    expect(methodNotAllowed("POST", "/models")?.allow).toBe("GET, HEAD, OPTIONS");
    expect(methodNotAllowed("X".repeat(5000), "/")!.body.error.message.length).toBeLessThan(300);
    for (const [method, url] of [["GET", "/api/health"], ["POST", "/api/prediction"], ["HEAD", "/api/models"], ["OPTIONS", "/api/train"], ["GET", "/models"], ["GET", "/_next/static/x.js"], ["PUT", "/api/unknown"], ["GET", "/api/runs/3"]]) {
      expect(methodNotAllowed(method, url), `${method} ${url}`).toBeNull();
    }
  });
});
