import { AppError } from "../errors";

/*
 * The methods each API route answers, for the 405 answers of the server (scripts/serve.ts: a JSON
 * error with Allow, before Next sees the request).
 * Kept beside the route files by a test (lib/http/route-methods.test.ts reads every app/api
 * route file's exports and the classic paths of next.config.js and compares them with this).
 */

export const ROUTE_METHODS: Record<string, readonly string[]> = {
  "/api/alerts": ["GET"],
  "/api/alerts/{id}/acknowledge": ["POST"],
  "/api/audit": ["GET"],
  "/api/batches": ["GET", "POST"],
  "/api/batches/{id}": ["GET"],
  "/api/datasets": ["GET"],
  "/api/deploy": ["POST"],
  "/api/deployments": ["GET"],
  "/api/diagnostics": ["GET"],
  "/api/diagnostics/dependencies": ["GET", "POST"],
  "/api/diagnostics/quarantine": ["GET"],
  "/api/diagnostics/stability": ["GET"],
  "/api/diagnostics/timing-check": ["POST"],
  "/api/diagnostics/timings": ["GET"],
  "/api/drift": ["GET"],
  "/api/health": ["GET"],
  "/api/ingest": ["POST"],
  "/api/keys": ["GET"],
  "/api/keys/{id}": ["DELETE"],
  "/api/metrics": ["GET"],
  "/api/models": ["GET"],
  "/api/models/{id}": ["GET"],
  "/api/openapi.json": ["GET"],
  "/api/prediction": ["POST"],
  "/api/report": ["GET", "POST"],
  "/api/rollback": ["POST"],
  "/api/runs": ["GET", "POST"],
  "/api/runs/{id}": ["GET"],
  "/api/scores": ["GET"],
  "/api/schema": ["GET"],
  "/api/scoring": ["GET"],
  "/api/session": ["GET", "POST", "DELETE"],
  "/api/session/password": ["POST"],
  "/api/setup": ["GET", "POST"],
  "/api/setup/inspect": ["POST"],
  "/api/summarystats": ["GET"],
  "/api/train": ["POST"],
  "/api/users": ["GET", "POST"],
  "/api/users/{id}": ["PATCH"],
  "/api/users/{id}/keys": ["POST"],
  "/api/users/{id}/password": ["POST"],
  // the classic paths (rewrites of next.config.js)
  "/scoring": ["GET"],
  "/summarystats": ["GET"],
  "/prediction": ["POST"],
};

const PATTERNS = Object.entries(ROUTE_METHODS).map(([route, methods]) => ({
  pattern: new RegExp("^" + route.replace(/[.]/g, "\\.").replace(/\{[^}]+\}/g, "[^/]+") + "/?$"),
  // Next answers HEAD for every GET handler and OPTIONS for every route by itself.
  allow: [...methods, ...(methods.includes("GET") ? ["HEAD"] : []), "OPTIONS"],
}));

/** The methods `pathname` answers (Allow), or null for a path that is not an API route. */
export function allowedMethods(pathname: string): string[] | null {
  for (const p of PATTERNS) if (p.pattern.test(pathname)) return p.allow;
  return null;
}

/** Pages, Next's own assets and unknown paths: what a browser or a crawler sends (no server actions here). */
const PAGE_METHODS = ["GET", "HEAD", "OPTIONS"];

export interface MethodNotAllowed {
  allow: string;
  body: ReturnType<AppError["toJSON"]>;
}

/**
 * The JSON 405 for `method` at `pathname`, or null when the request may go on to Next. API routes
 * answer their own methods; every other path (pages, assets, unknown paths, which Next answers 404)
 * answers GET, HEAD and OPTIONS — so TRACE, CONNECT and made-up methods never reach Next.
 */
export function methodNotAllowed(method: string, pathname: string): MethodNotAllowed | null {
  const allow = allowedMethods(pathname) ?? (pathname.startsWith("/api/") ? [...PAGE_METHODS, ...API_WRITE_METHODS] : PAGE_METHODS);
  if (allow.includes(method)) return null;
  const use = allow.filter((m) => m !== "OPTIONS" && m !== "HEAD").join(" or ");
  const shown = method.length > 20 ? `${method.slice(0, 20)}…` : method;
  return {
    allow: allow.join(", "),
    body: new AppError("method_not_allowed:method", `${shown} is not answered at ${pathname.length > 200 ? `${pathname.slice(0, 200)}…` : pathname}; use ${use}.`).toJSON(),
  };
}

/** Unknown /api/ paths keep Next's 404 for the ordinary methods (a typo in the path is not a wrong method). */
const API_WRITE_METHODS = ["POST", "PUT", "PATCH", "DELETE"];
