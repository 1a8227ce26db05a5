import type { z } from "zod";
import { loadConfig } from "../config";
import { AppError } from "../errors";
import { requireAdmin } from "./auth";
import { errorResponse } from "./respond";

/**
 * Every route handler is built with apiRoute: errors become JSON responses in one place, and
 * `write: true` routes (all POSTs) check ADMIN_TOKEN before anything else runs.
 */
export function apiRoute<C = unknown>(
  opts: { write?: boolean },
  fn: (request: Request, context: C) => Promise<Response>,
): (request: Request, context: C) => Promise<Response> {
  return async (request: Request, context: C) => {
    try {
      if (opts.write) requireAdmin(request, loadConfig().ADMIN_TOKEN);
      return await fn(request, context);
    } catch (e) {
      return errorResponse(e);
    }
  };
}

/** Read a JSON body and validate it: 415 for another content type, 400 for bad JSON, 422 for the wrong shape. */
export async function readJson<T extends z.ZodType>(request: Request, schema: T): Promise<z.infer<T>> {
  const type = request.headers.get("content-type") ?? "";
  if (!type.toLowerCase().includes("application/json")) {
    throw new AppError("unsupported_media_type:json", `Send the body as JSON with Content-Type: application/json (got "${type || "none"}").`);
  }
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    throw new AppError("bad_request:json", "The request body is not valid JSON.");
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new AppError(
      "unprocessable:body",
      `The request body does not have the expected shape: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`).join("; ")}`,
      parsed.error.issues.map((i) => ({ column: i.path.join(".") || undefined, problem: i.message })),
    );
  }
  return parsed.data;
}

/** Parse a numeric id path segment; 404 for anything that is not a positive integer. */
export function parseId(raw: string, what: string): number {
  const id = Number(raw);
  if (!Number.isInteger(id) || id <= 0) throw new AppError(`not_found:${what}`, `"${raw}" is not a valid ${what} id.`);
  return id;
}
