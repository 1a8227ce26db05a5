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
  return Response.json(
    { error: { code: "internal:unexpected", message: "The server hit an unexpected error; it has been logged. Try again, and report it if it persists." } },
    { status: 500 },
  );
}

/** Wrap a route handler body: its thrown errors become JSON error responses. */
export function handle<A extends unknown[]>(fn: (...args: A) => Promise<Response>): (...args: A) => Promise<Response> {
  return async (...args: A) => {
    try {
      return await fn(...args);
    } catch (e) {
      return errorResponse(e);
    }
  };
}

export function notFound(what: string, hint: string): AppError {
  return new AppError(`not_found:${what}`, hint);
}
