/*
 * The methods each API route answers, for the 405 answers of proxy.ts (a JSON error with Allow).
 * Kept beside the route files by a test (lib/http/route-methods.test.ts reads every app/api
 * route file's exports and the classic paths of next.config.js and compares them with this).
 */

export const ROUTE_METHODS: Record<string, readonly string[]> = {
  "/api/alerts": ["GET"],
  "/api/alerts/{id}/acknowledge": ["POST"],
  "/api/datasets": ["GET"],
  "/api/deploy": ["POST"],
  "/api/diagnostics": ["GET"],
  "/api/diagnostics/dependencies": ["GET", "POST"],
  "/api/diagnostics/quarantine": ["GET"],
  "/api/diagnostics/stability": ["GET"],
  "/api/diagnostics/timing-check": ["POST"],
  "/api/drift": ["GET"],
  "/api/health": ["GET"],
  "/api/ingest": ["POST"],
  "/api/metrics": ["GET"],
  "/api/models": ["GET"],
  "/api/openapi.json": ["GET"],
  "/api/prediction": ["POST"],
  "/api/report": ["GET", "POST"],
  "/api/rollback": ["POST"],
  "/api/runs": ["GET", "POST"],
  "/api/runs/{id}": ["GET"],
  "/api/scores": ["GET"],
  "/api/scoring": ["GET"],
  "/api/session": ["GET", "POST", "DELETE"],
  "/api/summarystats": ["GET"],
  "/api/train": ["POST"],
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
