import fs from "node:fs";
import path from "node:path";
import { providerOfDb, type Db } from "../db/client";
import { AppError } from "../errors";
import { ingestFolder } from "../ingestion/ingest";
import { deployStep, scoreStep, trainStep } from "../pipeline/steps";
import type { z } from "zod";
import { findRoute, routeResponses } from "../validations/routes";
import { useTestDb, type TestDb } from "./temp-db";

/*
 * Test helpers for the HTTP API: the route files found on disk (so new routes are covered
 * automatically), an in-process fetch that dispatches real Requests to the route handlers,
 * request builders and database table counts — and checkResponse, which holds every answer a
 * route handler gives in a test to the route table (lib/testing/check-responses.ts applies it
 * to every handler built with apiRoute, however a test calls it).
 */

export const ROOT = path.resolve(__dirname, "../..");
export const API_DIR = path.join(ROOT, "app/api");
export const TINY_DIR = path.join(ROOT, "data/samples/tiny");
export const TINY_TEST_DATA = path.join(TINY_DIR, "testdata.csv");

/**
 * The set-up of a route test: before each test a fresh database (DATABASE_URL points at it), the
 * tiny test data as TEST_DATA, no ADMIN_TOKEN and the default MAX_UPLOAD_MB; after it the database goes. The object returned
 * is the current test's database (its fields are replaced before each test).
 */
export function useRouteTestDb(): TestDb {
  return useTestDb(() => {
    process.env.TEST_DATA = TINY_TEST_DATA;
    delete process.env.ADMIN_TOKEN;
    delete process.env.MAX_UPLOAD_MB;
  });
}
export const TEST_DATA = path.join(ROOT, "data/testdata/testdata.csv");

export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];
type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

export interface RouteFile {
  file: string;
  /** OpenAPI-style path: app/api/runs/[id]/route.ts → /api/runs/{id} */
  apiPath: string;
  params: string[];
  pattern: RegExp;
}

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return walk(full);
    return e.name === "route.ts" ? [full] : [];
  });
}

/** Every app/api/**\/route.ts on disk. */
export function routeFiles(): RouteFile[] {
  return walk(API_DIR)
    .sort()
    .map((file) => {
      const segments = path.relative(path.join(ROOT, "app"), path.dirname(file)).split(path.sep).filter((s) => !/^\(.*\)$/.test(s));
      const params: string[] = [];
      const apiPath = "/" + segments.map((s) => (/^\[.+\]$/.test(s) ? (params.push(s.slice(1, -1).replace(/^\.\.\./, "")), `{${s.slice(1, -1).replace(/^\.\.\./, "")}}`) : s)).join("/");
      const pattern = new RegExp("^" + apiPath.replace(/[.]/g, "\\.").replace(/\{[^}]+\}/g, "([^/]+)") + "$");
      return { file, apiPath, params, pattern };
    });
}

export async function loadRoute(route: RouteFile): Promise<Partial<Record<HttpMethod, Handler>>> {
  return (await import(route.file)) as Partial<Record<HttpMethod, Handler>>;
}

export function exportedMethods(mod: Partial<Record<HttpMethod, Handler>>): HttpMethod[] {
  return HTTP_METHODS.filter((m) => typeof mod[m] === "function");
}

/** The classic paths of next.config.js. */
const REWRITES: Record<string, string> = {
  "/scoring": "/api/scoring",
  "/summarystats": "/api/summarystats",
  "/diagnostics": "/api/diagnostics",
  "/prediction": "/api/prediction",
};

/** A fetch that serves /api/* (and the classic paths) from the route handlers, in this process. */
export function inProcessFetch(): typeof fetch {
  const routes = routeFiles();
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const pathname = REWRITES[url.pathname] ?? url.pathname;
    for (const route of routes) {
      const m = route.pattern.exec(pathname);
      if (!m) continue;
      const mod = await loadRoute(route);
      const handler = mod[request.method as HttpMethod];
      if (!handler) return Response.json(new AppError("method_not_allowed:method", request.method).toJSON(), { status: 405 });
      const params = Object.fromEntries(route.params.map((p, i) => [p, decodeURIComponent(m[i + 1])]));
      return handler(request, { params: Promise.resolve(params) });
    }
    return new Response("not found", { status: 404 });
  }) as typeof fetch;
}

export const BASE = "http://localhost:3000";

export function jsonRequest(pathname: string, body: unknown, { method = "POST", headers = {} }: { method?: string; headers?: Record<string, string> } = {}): Request {
  return new Request(BASE + pathname, {
    method,
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

export function multipartRequest(
  pathname: string,
  files: { name: string; content: string | Buffer; type?: string }[],
  { field = "file", headers = {} }: { field?: string; headers?: Record<string, string> } = {},
): Request {
  const form = new FormData();
  for (const f of files) form.append(field, new Blob([typeof f.content === "string" ? f.content : new Uint8Array(f.content)], { type: f.type ?? "text/csv" }), f.name);
  return new Request(BASE + pathname, { method: "POST", body: form, headers });
}

export function getRequest(pathname: string, headers: Record<string, string> = {}): Request {
  return new Request(BASE + pathname, { headers });
}

/** Row counts of every table, to assert that a refused request changed nothing. */
export async function tableCounts(db: Db): Promise<Record<string, number>> {
  const [datasets, records, rejected, snapshots, models, deployments, scores, drift, timings, timingAggregates, deps, runs, locks, alerts] = await Promise.all([
    db.dataset.count(),
    db.datasetColumns.aggregate({ _sum: { rows: true } }).then((r) => r._sum.rows ?? 0),
    db.rejectedRow.count(),
    db.dataSnapshot.count(),
    db.modelVersion.count(),
    db.deployment.count(),
    db.score.count(),
    db.driftCheck.count(),
    db.stepTiming.count(),
    db.timingAggregate.count(),
    db.dependencyCheck.count(),
    db.pipelineRun.count(),
    db.pipelineLock.count(),
    db.alert.count(),
  ]);
  return { datasets, records, rejected, snapshots, models, deployments, scores, drift, timings, timingAggregates, deps, runs, locks, alerts };
}

/**
 * Row counts of every table in the database (from sqlite_master / information_schema, so a table
 * added later is counted too), to assert that a request wrote nothing.
 */
export async function everyTableCount(db: Db): Promise<Record<string, number>> {
  const tables = await db.$queryRawUnsafe<{ name: string }[]>(
    providerOfDb(db) === "postgresql"
      ? `SELECT table_name::text AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`
      : `SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`,
  );
  const out: Record<string, number> = {};
  for (const { name } of tables) {
    const [row] = await db.$queryRawUnsafe<{ n: number | bigint }[]>(`SELECT count(*) AS n FROM "${name.replace(/"/g, '""')}"`);
    out[name] = Number(row.n);
  }
  if (tables.length < 10) throw new Error(`expected the app's tables, found ${tables.length}`);
  return out;
}

/** The tiny demo files ingested, one model trained, scored on the tiny test file and deployed. */
export async function seedDeployedModel(db: Db, testData: string = TINY_TEST_DATA) {
  await ingestFolder(db, TINY_DIR, { exclude: [TINY_TEST_DATA] });
  const ctx = { db, trigger: "test" };
  const model = await trainStep(ctx);
  await scoreStep(ctx, model, testData);
  const deployment = await deployStep(ctx, model.id, "seed");
  return { model, deployment };
}

export const HEADER = "corporation,lastmonth_activity,lastyear_activity,number_of_employees,exited";

/** A real HTTP server on 127.0.0.1 (random port) that serves the route handlers in this process. */
export async function serveInProcess(): Promise<{ baseUrl: string; close: () => Promise<void> }> {
  const http = await import("node:http");
  const dispatch = inProcessFetch();
  const server = http.createServer(async (req, res) => {
    try {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(", ") : v);
      const hasBody = !["GET", "HEAD"].includes(req.method ?? "GET");
      const response = await dispatch(`http://${req.headers.host}${req.url}`, {
        method: req.method,
        headers,
        body: hasBody ? new Uint8Array(Buffer.concat(chunks)) : undefined,
      });
      res.writeHead(response.status, Object.fromEntries(response.headers.entries()));
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch (e) {
      res.writeHead(500, { "content-type": "text/plain" });
      res.end(String(e));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return { baseUrl: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** The fields of `value` (JSON paths) that `schema` does not declare, walking objects, arrays, records and unions. */
function undeclaredFields(schema: z.ZodType, value: unknown, at = "body"): string[] {
  const def = (schema as unknown as { _zod: { def: Record<string, unknown> & { type: string } } })._zod.def;
  const inner = (key: string) => def[key] as z.ZodType;
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
  switch (def.type) {
    case "optional":
    case "nullable":
    case "default":
    case "readonly":
    case "nonoptional":
      return value === undefined || value === null ? [] : undeclaredFields(inner("innerType"), value, at);
    case "pipe":
      return undeclaredFields(inner("in"), value, at);
    case "object": {
      if (!isObject(value)) return [];
      const shape = def.shape as Record<string, z.ZodType>;
      // An object that declares a catchall (`.loose()`: the prediction keyed by the schema's own column names) takes other keys.
      const open = def.catchall !== undefined;
      return Object.entries(value).flatMap(([k, v]) => (k in shape ? undeclaredFields(shape[k], v, `${at}.${k}`) : open ? [] : [`${at}.${k}`]));
    }
    case "array":
      return Array.isArray(value) ? value.flatMap((v, i) => undeclaredFields(inner("element"), v, `${at}[${i}]`)) : [];
    case "record":
      return isObject(value) ? Object.entries(value).flatMap(([k, v]) => undeclaredFields(inner("valueType"), v, `${at}.${k}`)) : [];
    case "union": {
      const fits = (def.options as z.ZodType[]).filter((o) => o.safeParse(value).success).map((o) => undeclaredFields(o, value, at));
      return fits.length === 0 ? [] : fits.reduce((a, b) => (a.length <= b.length ? a : b));
    }
    default:
      return [];
  }
}

/**
 * Hold a route handler's answer to the route table (lib/validations/routes.ts): the status must be
 * one the table documents for the request's method and path, and a JSON body must parse with the
 * documented schema and carry no field the schema does not declare. Throws (failing the test)
 * otherwise. Requests to paths the table does not list (unit tests of apiRoute) are not checked.
 */
export async function checkResponse(request: Request, response: Response): Promise<void> {
  const route = findRoute(request.method, new URL(request.url).pathname);
  if (!route) return;
  const where = `${request.method} ${route.path} → ${response.status}`;
  const documented = routeResponses(route)[response.status];
  if (!documented) throw new Error(`${where}: the route table does not document this status for the route`);
  if ((documented.contentType ?? "application/json") !== "application/json") return;
  const text = await response.clone().text();
  const body: unknown = JSON.parse(text);
  const parsed = documented.schema.safeParse(body);
  if (!parsed.success) throw new Error(`${where}: the body does not match the route table's schema: ${JSON.stringify(parsed.error.issues.slice(0, 5))}`);
  const extra = undeclaredFields(documented.schema, body);
  if (extra.length > 0) throw new Error(`${where}: the body has fields the route table's schema does not declare: ${extra.slice(0, 10).join(", ")}`);
}
