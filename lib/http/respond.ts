import { AppError, isAppError } from "../errors";

/*
 * The one place where errors become HTTP responses (web-standard Response, no framework).
 * AppError → its status and JSON body; anything else is logged and answered with a plain
 * 500 message — never a stack trace.
 */

export function errorResponse(e: unknown): Response {
  if (isAppError(e)) {
    const headers = e.retryAfterSeconds !== undefined ? { "retry-after": String(Math.max(1, Math.ceil(e.retryAfterSeconds))) } : undefined;
    return Response.json(e.toJSON(), { status: e.status, headers });
  }
  console.error("[api] unexpected error:", e);
  const unexpected = new AppError("internal:unexpected", "The server hit an unexpected error; it has been logged. Try again, and report it if it persists.");
  return Response.json(unexpected.toJSON(), { status: unexpected.status });
}
