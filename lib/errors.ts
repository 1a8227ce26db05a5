import { z } from "zod";

/**
 * One typed error for the whole app. `code` is `<kind>:<subject>`; the kind decides the
 * HTTP status in one place (httpStatusOf), so lib code never thinks about HTTP.
 */
export type ErrorKind =
  | "bad_request"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "method_not_allowed"
  | "conflict"
  | "payload_too_large"
  | "unsupported_media_type"
  | "unprocessable"
  | "too_many_requests"
  | "unavailable"
  | "insufficient_storage"
  | "internal";

/**
 * Every error code the app answers with, one closed list: `<kind>:<subject>`, the kind fixes the
 * HTTP status (httpStatusOf). The OpenAPI document lists them (ErrorBody in lib/validations/common.ts).
 */
export const ERROR_CODES = [
  "bad_request:config",
  "bad_request:csv",
  "bad_request:json",
  "bad_request:multipart",
  "bad_request:query",
  "bad_request:schema",
  "unauthorized:token",
  "unauthorized:sign_in",
  "unauthorized:credentials",
  "unauthorized:session",
  "unauthorized:key",
  "unauthorized:user",
  "forbidden:origin",
  "forbidden:role",
  "forbidden:password_change",
  "not_found:alert",
  "not_found:batch",
  "not_found:key",
  "not_found:model",
  "not_found:report",
  "not_found:run",
  "not_found:user",
  "method_not_allowed:method",
  "conflict:no_deployed_model",
  "conflict:no_deployment",
  "conflict:no_previous_deployment",
  "conflict:no_training_data",
  "conflict:pipeline",
  "conflict:schema",
  "conflict:test_data",
  "conflict:timing_check",
  "conflict:user",
  "conflict:last_admin",
  "payload_too_large:body",
  "unsupported_media_type:body",
  "unsupported_media_type:csv",
  "unsupported_media_type:json",
  "unsupported_media_type:multipart",
  "unprocessable:body",
  "unprocessable:bootstrap",
  "unprocessable:client",
  "unprocessable:csv",
  "unprocessable:drift",
  "unprocessable:labels",
  "unprocessable:model",
  "unprocessable:password",
  "unprocessable:probability",
  "unprocessable:quantile",
  "unprocessable:replay",
  "unprocessable:random",
  "unprocessable:rows",
  "unprocessable:schema",
  "unprocessable:scores",
  "unprocessable:stats",
  "unprocessable:test_data",
  "unprocessable:threshold",
  "unprocessable:timing_check",
  "unprocessable:training",
  "unprocessable:ttest",
  "unprocessable:upload",
  "too_many_requests:token",
  "too_many_requests:sign_in",
  "unavailable:database",
  "unavailable:database_damaged",
  "unavailable:database_read_only",
  "insufficient_storage:disk_full",
  "internal:batch",
  "internal:ingest",
  "internal:migrate",
  "internal:pipeline",
  "internal:stats",
  "internal:storage",
  "internal:train",
  "internal:unexpected",
  "internal:worker",
] as const satisfies readonly `${ErrorKind}:${string}`[];
export type ErrorCode = (typeof ERROR_CODES)[number];

/** What an id path parameter names (the subject of its not_found code). */
export type IdSubject = Extract<ErrorCode, `not_found:${string}`> extends `not_found:${infer S}` ? Exclude<S, "report"> : never;

/** One problem of a request, as an error's `details` list it (the OpenAPI document names it ErrorDetail). */
export const ErrorDetail = z
  .object({
    row: z.number().int().optional().describe("CSV file line (header = 1) or index in the JSON rows array (0-based)"),
    column: z.string().optional(),
    problem: z.string(),
    file: z.string().optional().describe("uploaded file name, when several files were sent"),
  });
export type ErrorDetail = z.infer<typeof ErrorDetail>;

const STATUS: Record<ErrorKind, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  too_many_requests: 429,
  unavailable: 503,
  insufficient_storage: 507,
  internal: 500,
};

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: ErrorDetail[];
  /** seconds after which the client may try again (a Retry-After header; 429 and 503) */
  readonly retryAfterSeconds?: number;

  constructor(code: ErrorCode, message: string, details?: ErrorDetail[], opts: { retryAfterSeconds?: number } = {}) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.details = details;
    this.retryAfterSeconds = opts.retryAfterSeconds;
  }

  get kind(): ErrorKind {
    return this.code.split(":")[0] as ErrorKind;
  }

  get status(): number {
    return STATUS[this.kind];
  }

  toJSON(): { error: { code: ErrorCode; message: string; details?: ErrorDetail[] } } {
    return { error: { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) } };
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
