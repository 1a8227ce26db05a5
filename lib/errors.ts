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
  | "internal";

export interface ErrorDetail {
  row?: number;
  column?: string;
  problem: string;
}

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
  internal: 500,
};

export class AppError extends Error {
  readonly code: `${ErrorKind}:${string}`;
  readonly details?: ErrorDetail[];
  /** seconds after which the client may try again (a Retry-After header; 429 and 503) */
  readonly retryAfterSeconds?: number;

  constructor(code: `${ErrorKind}:${string}`, message: string, details?: ErrorDetail[], opts: { retryAfterSeconds?: number } = {}) {
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

  toJSON(): { error: { code: string; message: string; details?: ErrorDetail[] } } {
    return { error: { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) } };
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
