import type { ErrorBody, ErrorDetail } from "./types";

/*
 * Typed fetchers of the HTTP API, for the browser only (relative URLs). A page's first data
 * come from the server functions the route handlers call (app/hydrate.tsx), never from HTTP to itself.
 */

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: ErrorDetail[];

  constructor(status: number, code: string, message: string, details: ErrorDetail[] = []) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/**
 * The ApiError of a non-2xx answer: the API's ErrorBody `{ error: { code, message, details } }`,
 * or a status-based message when the body is not one (a proxy's page, no body).
 */
export function apiErrorOf(status: number, body: unknown, statusText = ""): ApiError {
  const err = (body as Partial<ErrorBody> | null)?.error;
  if (err?.message) return new ApiError(status, err.code ?? `http:${status}`, err.message, err.details ?? []);
  const fallback = status === 404 ? "This part of the API is not available on this server (404)." : `The server answered ${status} ${statusText}`.trim() + ".";
  return new ApiError(status, `http:${status}`, fallback);
}

/** Turn a non-2xx response into an ApiError (apiErrorOf). */
async function toApiError(res: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    /* not JSON: fall through to a status-based message */
  }
  return apiErrorOf(res.status, body, res.statusText);
}

export async function apiGet<T>(path: string, init?: { signal?: AbortSignal }): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { cache: "no-store", headers: { accept: "application/json" }, signal: init?.signal });
  } catch (e) {
    if ((e as Error).name === "AbortError") throw e;
    throw new ApiError(0, "network", "Could not reach the server. Check that it is running, then retry.");
  }
  if (!res.ok) throw await toApiError(res);
  return (await res.json()) as T;
}

export async function apiSend<T>(path: string, body?: unknown, method: "POST" | "PATCH" | "DELETE" = "POST"): Promise<T> {
  let res: Response;
  const isForm = typeof FormData !== "undefined" && body instanceof FormData;
  try {
    res = await fetch(path, {
      method,
      headers: isForm ? { accept: "application/json" } : { "content-type": "application/json", accept: "application/json" },
      body: body === undefined ? (method === "DELETE" ? undefined : "{}") : isForm ? (body as FormData) : JSON.stringify(body),
      credentials: "same-origin",
    });
  } catch {
    throw new ApiError(0, "network", "Could not reach the server. Check that it is running, then retry.");
  }
  if (!res.ok) throw await toApiError(res);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** A readable one-line message for any thrown value. */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}
