import { describe, expect, it } from "vitest";
import { GET } from "@/app/api/openapi.json/route";
import { ROUTES } from "@/lib/validations/routes";
import { exportedMethods, getRequest, loadRoute, routeFiles, useRouteTestDb } from "@/lib/testing/api";

type Doc = {
  openapi: string;
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }>; requestBody?: unknown; security?: unknown[] }>>;
  components: { schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }> };
  servers?: { url: string }[];
};

async function fetchDoc(): Promise<Doc> {
  const res = await GET(getRequest("/api/openapi.json"), undefined);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toContain("application/json");
  return (await res.json()) as Doc;
}

describe("GET /api/openapi.json", () => {
  // the route is a viewer read: the access check asks the database whether users exist
  useRouteTestDb();

  it("documents every route file under app/api with each exported method (filesystem glob)", async () => {
    const doc = await fetchDoc();
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.servers).toEqual([{ url: "http://localhost:3000" }]);
    const routes = routeFiles();
    expect(routes.length).toBeGreaterThanOrEqual(14);
    const missing: string[] = [];
    for (const route of routes) {
      const methods = exportedMethods(await loadRoute(route));
      expect(methods.length, route.file).toBeGreaterThan(0);
      for (const m of methods) if (!doc.paths[route.apiPath]?.[m.toLowerCase()]) missing.push(`${m} ${route.apiPath}`);
    }
    expect(missing).toEqual([]);
  });

  it("shows the role each route needs (x-required-role, from the route table) and asks for credentials on every route that is not public", async () => {
    const doc = (await fetchDoc()) as unknown as { paths: Record<string, Record<string, { "x-required-role"?: string; security?: unknown[]; description?: string }>> };
    for (const route of ROUTES) {
      const op = doc.paths[route.path][route.method];
      expect(op["x-required-role"], `${route.method} ${route.path}`).toBe(route.role);
      expect(op.security !== undefined, `${route.method} ${route.path} security`).toBe(route.role !== "public");
      expect(op.description).toMatch(route.role === "public" ? /^Public/ : new RegExp(`^Role: ${route.role}`));
    }
    expect(doc.paths["/api/health"].get["x-required-role"]).toBe("public");
    expect(doc.paths["/api/deploy"].post["x-required-role"]).toBe("operator");
    expect(doc.paths["/api/users"].post["x-required-role"]).toBe("admin");
    expect(doc.paths["/api/scores"].get["x-required-role"]).toBe("viewer");
  });

  it("documents the classic paths and the session routes", async () => {
    const doc = await fetchDoc();
    expect(Object.keys(doc.paths["/scoring"])).toEqual(["get"]);
    expect(Object.keys(doc.paths["/summarystats"])).toEqual(["get"]);
    expect(Object.keys(doc.paths["/diagnostics"])).toEqual(["get"]);
    expect(Object.keys(doc.paths["/prediction"])).toEqual(["post"]);
    expect(Object.keys(doc.paths["/api/session"]).sort()).toEqual(["delete", "get", "post"]);
  });

  it("has request and response schemas generated from the zod schemas, with API.md's field names", async () => {
    const doc = await fetchDoc();
    const s = doc.components.schemas;
    expect(s.Health.required).toEqual(expect.arrayContaining(["status", "database", "deployedModel"]));
    expect(s.Scoring.required).toEqual(expect.arrayContaining(["modelVersion", "dataset", "f1", "precision", "recall", "accuracy", "confusion"]));
    expect(s.Dataset.required).toEqual(
      expect.arrayContaining(["id", "name", "sha256", "role", "rowsRead", "rowsAccepted", "duplicates", "rejected", "imputed", "ingestedAt"]),
    );
    expect(s.Model.required).toEqual(expect.arrayContaining(["id", "version", "createdAt", "trainedRows", "f1", "deployed"]));
    expect(s.Run.required).toEqual(expect.arrayContaining(["id", "trigger", "status", "outcome", "startedAt", "finishedAt", "steps", "reason"]));
    expect(s.DriftCheck.required).toEqual(expect.arrayContaining(["runId", "createdAt", "modelVersion", "newScore", "score", "features", "triggered"]));
    expect(s.Diagnostics.required).toEqual(expect.arrayContaining(["missing", "timings", "dependencies", "checkedAt"]));
    expect(s.PredictionRow.required).toEqual(["corporation", "lastmonth_activity", "lastyear_activity", "number_of_employees"]);
    expect(s.DeployRequest.required).toEqual(["modelVersionId"]);
    expect(s.Error.properties).toHaveProperty("error");

    const prediction = doc.paths["/api/prediction"].post;
    expect(Object.keys((prediction.requestBody as { content: object }).content).sort()).toEqual(["application/json", "multipart/form-data"]);
    // 503: a damaged database file (any route that reads it); no 507: a prediction stores nothing
    expect(Object.keys(prediction.responses).sort()).toEqual(["200", "400", "401", "403", "409", "413", "415", "422", "429", "503"]);
    expect(Object.keys(doc.paths["/api/ingest"].post.responses)).toEqual(expect.arrayContaining(["503", "507"]));
    expect(prediction.security).toEqual([{ bearerAuth: [] }, { sessionCookie: [] }]);
    expect(doc.paths["/api/ingest"].post.responses["201"].content?.["application/json"].schema).toEqual({ $ref: "#/components/schemas/IngestResult" });
    // every POST except the session sign-in declares the admin token
    for (const [path, ops] of Object.entries(doc.paths)) {
      if (ops.post && path !== "/api/session") expect(ops.post.security, path).toBeDefined();
    }
  });
});
