import { loadConfig } from "../config";
import { storageError } from "../db/storage-health";
import { AppError, isAppError } from "../errors";

function storageErrorOf(e: unknown): AppError | null {
  let url: string;
  try {
    url = loadConfig().DATABASE_URL;
  } catch {
    return null;
  }
  return storageError(e, url);
}

/*
 * The one place where errors become HTTP responses (web-standard Response, no framework).
 * AppError → its status and JSON body; anything else is logged and answered with a plain
 * 500 message — never a stack trace.
 */

export function errorResponse(e: unknown): Response {
  // A full volume or a damaged database file, from this thread or a job's worker: its own code (507 / 503), recorded for /api/health.
  const storage = storageErrorOf(e);
  if (storage) return Response.json(storage.toJSON(), { status: storage.status });
  if (isAppError(e)) {
    const headers = e.retryAfterSeconds !== undefined ? { "retry-after": String(Math.max(1, Math.ceil(e.retryAfterSeconds))) } : undefined;
    return Response.json(e.toJSON(), { status: e.status, headers });
  }
  console.error("[api] unexpected error:", e);
  const unexpected = new AppError("internal:unexpected", "The server hit an unexpected error; it has been logged. Try again, and report it if it persists.");
  return Response.json(unexpected.toJSON(), { status: unexpected.status });
}
