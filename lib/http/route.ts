import type { z } from "zod";
import { loadConfig } from "../config";
import { AppError, type ErrorCode, type ErrorDetail, type IdSubject } from "../errors";
import { actorOf, authorize, type Principal } from "../auth/access";
import { runAsActor } from "../actor";
import { recordAudit } from "../auth/audit";
import { getDb } from "../db/client";
import { findRoute } from "../validations/routes";
import { megabytes, readBodyBytes } from "./multipart";
import { errorResponse } from "./respond";

/**
 * Every route handler is built with apiRoute: the role its entry in the route table
 * (lib/validations/routes.ts) declares is checked before anything else runs (lib/auth/access.ts;
 * a path the table does not list needs an admin), the handler runs as the request's actor
 * (lib/auth/actor.ts: what it records says who did it), a change the table marks with `audit` is
 * written to the audit trail once it succeeded, and errors become JSON responses in one place.
 */
export function apiRoute<C = unknown>(fn: (request: Request, context: C) => Promise<Response>): (request: Request, context: C) => Promise<Response> {
  return async (request: Request, context: C) => {
    try {
      const pathname = pathOf(request.url);
      const route = findRoute(request.method, pathname);
      const config = loadConfig();
      const principal = await authorize(request, { role: route?.role ?? "admin", method: request.method, path: route?.path }, () => getDb(config.DATABASE_URL), config);
      principals.set(request, principal);
      return await runAsActor(actorOf(principal, request), async () => {
        const response = await fn(request, context);
        if (route?.audit && response.status < 400) {
          const noted = auditNotes.get(request);
          await recordAudit(getDb(config.DATABASE_URL), {
            action: route.audit,
            target: noted?.target ?? response.headers.get("location") ?? pathname,
            detail: { method: request.method, path: pathname, status: response.status, ...noted?.detail },
          });
        }
        return response;
      });
    } catch (e) {
      return errorResponse(e);
    }
  };
}

/** The path of an absolute URL (what `new URL(url).pathname` gives for the URLs a server sees, without parsing the rest). */
function pathOf(url: string): string {
  const start = url.indexOf("/", url.indexOf("://") + 3);
  if (start < 0) return "/";
  const end = url.search(/[?#]/);
  return url.slice(start, end < 0 ? undefined : end);
}

const principals = new WeakMap<Request, Principal>();
const auditNotes = new WeakMap<Request, { target?: string; detail?: Record<string, unknown> }>();

/** Who the request is (set by apiRoute before the handler runs). */
export function principalOf(request: Request): Principal {
  const p = principals.get(request);
  if (!p) throw new Error("principalOf: the request did not pass through apiRoute");
  return p;
}

/** What the audit event of this request's change names (e.g. "model v3"), and details to add. */
export function noteAudit(request: Request, note: { target?: string; detail?: Record<string, unknown> }): void {
  auditNotes.set(request, { ...auditNotes.get(request), ...note });
}

/**
 * A response body typed by the response schema the route documents: a field the schema lacks,
 * or a wrong type, is a compile error. Nothing is parsed at runtime (the route tests check the
 * bodies against the route table, lib/testing/api.ts).
 */
function responseBody<S extends z.ZodType>(_schema: S, body: z.input<S>): z.input<S> {
  return body;
}

/** `Response.json` of a body typed by its response schema (see responseBody). */
export function json<S extends z.ZodType>(schema: S, body: z.input<S>, init?: ResponseInit): Response {
  return Response.json(responseBody(schema, body), init);
}

/**
 * zod issues as error details. A numeric path segment is a row of an array body
 * (`rows.3.monthly_spend` → row 3, column monthly_spend).
 */
export function issueDetails(issues: readonly z.core.$ZodIssue[]): ErrorDetail[] {
  return issues.map((i) => {
    const idx = i.path.findIndex((p) => typeof p === "number");
    if (idx >= 0) {
      const column = i.path.slice(idx + 1).map(String).join(".");
      return { row: i.path[idx] as number, ...(column ? { column } : {}), problem: i.message };
    }
    const column = i.path.map(String).join(".");
    return { ...(column ? { column } : {}), problem: i.message };
  });
}

function describeIssues(issues: readonly z.core.$ZodIssue[], max = 5): string {
  const shown = issues.slice(0, max).map((i) => `${i.path.map(String).join(".") || "(body)"}: ${i.message}`);
  return shown.join("; ") + (issues.length > max ? `; … ${issues.length - max} more (see details)` : "");
}

/** Validate an already-read value (body, query) and throw 422 (or `status` kind) with details. */
export function validate<T extends z.ZodType>(
  schema: T,
  value: unknown,
  { code = "unprocessable:body", what = "The request body" }: { code?: Extract<ErrorCode, `unprocessable:${string}` | `bad_request:${string}`>; what?: string } = {},
): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new AppError(code, `${what} does not have the expected shape: ${describeIssues(parsed.error.issues)}`, issueDetails(parsed.error.issues));
  }
  return parsed.data;
}

/** Whether the request says its body is JSON (application/json or a +json type). */
export function isJson(request: Request): boolean {
  return isJsonType(request.headers.get("content-type"));
}

/** Whether a Content-Type header value names JSON (application/json or a +json type). */
export function isJsonType(contentType: string | null | undefined): boolean {
  const type = (contentType ?? "").toLowerCase();
  return type.includes("application/json") || /^application\/[\w.+-]*\+json/.test(type);
}

/**
 * Read a JSON body and validate it: 415 for another content type, 413 above MAX_UPLOAD_MB,
 * 400 for bad JSON, 422 for the wrong shape.
 */
export async function readJson<T extends z.ZodType>(request: Request, schema: T, opts: { maxBytes?: number } = {}): Promise<z.infer<T>> {
  if (!isJson(request)) {
    const type = request.headers.get("content-type") ?? "";
    throw new AppError("unsupported_media_type:json", `Send the body as JSON with Content-Type: application/json (got "${type || "none"}").`);
  }
  return validate(schema, await parseJsonBody(request, opts.maxBytes));
}

/**
 * Like readJson, but an empty body counts as `{}` whatever its Content-Type: for actions whose
 * body is optional (rollback, starting a run), so `curl -X POST` and `curl -d ''` both work.
 */
export async function readOptionalJson<T extends z.ZodType>(request: Request, schema: T): Promise<z.infer<T>> {
  const bytes = await readBodyBytes(request, megabytes(loadConfig().MAX_UPLOAD_MB));
  const text = new TextDecoder().decode(bytes);
  if (text.trim() === "") return validate(schema, {});
  if (!isJson(request)) {
    const type = request.headers.get("content-type") ?? "";
    throw new AppError("unsupported_media_type:json", `Send the body as JSON with Content-Type: application/json, or send no body (got "${type || "none"}").`);
  }
  return validate(schema, parseJsonText(text));
}

async function parseJsonBody(request: Request, maxBytes?: number): Promise<unknown> {
  const bytes = await readBodyBytes(request, maxBytes ?? megabytes(loadConfig().MAX_UPLOAD_MB));
  return parseJsonText(new TextDecoder().decode(bytes));
}

/** JSON.parse, or 400 bad_request:json saying where the text is not JSON. */
export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const why = e instanceof SyntaxError ? `: ${e.message}` : "";
    throw new AppError("bad_request:json", `The request body is not valid JSON${why}. Check quotes, commas and brackets.`);
  }
}

/** Validate the query string: 400 (bad_request:query) naming the parameter and what it accepts. */
export function readQuery<T extends z.ZodType>(request: Request, schema: T): z.infer<T> {
  const params = Object.fromEntries(new URL(request.url).searchParams.entries());
  return validate(schema, params, { code: "bad_request:query", what: "The query string" });
}

/**
 * Validate a route's `{id}` path parameter with the params schema the route table documents
 * (lib/validations/common.ts idParams): 404 for anything that is not a positive integer in the id range.
 */
export async function readIdParams(params: Promise<{ id: string }>, schema: z.ZodType<{ id: number }, { id: string }>, what: IdSubject): Promise<number> {
  const raw = (await params).id;
  const parsed = schema.safeParse({ id: raw });
  if (!parsed.success) throw new AppError(`not_found:${what}`, `"${raw}" is not a valid ${what} id.`);
  return parsed.data.id;
}
