import { NextResponse, type NextRequest } from "next/server";
import { AppError } from "@/lib/errors";
import { allowedMethods } from "@/lib/http/route-methods";

/*
 * Runs before the API routes (but prediction and ingest): a method a route does not answer gets a
 * JSON 405 that names the methods it does (Allow), instead of Next's empty 405. Everything else
 * passes through.
 */
export function proxy(request: NextRequest) {
  const allow = allowedMethods(request.nextUrl.pathname);
  if (!allow || allow.includes(request.method)) return NextResponse.next();
  const error = new AppError("method_not_allowed:method", `${request.method} is not answered at ${request.nextUrl.pathname}; use ${allow.filter((m) => m !== "OPTIONS" && m !== "HEAD").join(" or ")}.`);
  return NextResponse.json(error.toJSON(), { status: 405, headers: { allow: allow.join(", ") } });
}

// Not on the prediction and upload paths. Next hands the proxy a copy of the request body cut at
// 10 MB, which broke large uploads (the multipart body arrived truncated); and on predictions the
// proxy costs about a quarter of the throughput under load (autocannon, 16 connections). A wrong
// method there still gets Next's own 405.
// (Listed one by one: a negative lookahead in a matcher did not keep /api/ingest out.)
export const config = {
  matcher: [
    "/api/alerts/:path*",
    "/api/datasets",
    "/api/deploy",
    "/api/diagnostics/:path*",
    "/api/drift",
    "/api/health",
    "/api/metrics",
    "/api/models",
    "/api/openapi.json",
    "/api/report",
    "/api/rollback",
    "/api/runs/:path*",
    "/api/scores",
    "/api/scoring",
    "/api/session",
    "/api/summarystats",
    "/api/train",
    "/scoring",
    "/summarystats",
  ],
};
