import fs from "node:fs";
import path from "node:path";

/*
 * The classic "apicalls" step: call every read endpoint and a prediction on the test data
 * against a running server and keep every answer in one JSON report. A call fails when the
 * server cannot be reached or answers 5xx; a 4xx (e.g. 409 before any model is deployed) is a
 * valid answer and is recorded as such.
 */

export interface ApiCall {
  name: string;
  method: "GET" | "POST";
  path: string;
  status: number | null;
  ok: boolean;
  ms: number;
  contentType?: string | null;
  body?: unknown;
  error?: string;
}

export interface ApiCallsReport {
  baseUrl: string;
  startedAt: string;
  finishedAt: string;
  ok: boolean;
  failed: string[];
  calls: ApiCall[];
}

export interface ApiCallsOptions {
  baseUrl: string;
  /** labelled or unlabelled CSV uploaded to POST /api/prediction (multipart) */
  testDataPath: string;
  /** ADMIN_TOKEN, when the server requires it for POST */
  token?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

const READS: [string, string][] = [
  ["health", "/api/health"],
  ["scoring", "/api/scoring"],
  ["summarystats (training)", "/api/summarystats?dataset=training"],
  ["summarystats (test)", "/api/summarystats?dataset=test"],
  ["diagnostics", "/api/diagnostics"],
  ["scores", "/api/scores"],
  ["drift", "/api/drift"],
  ["models", "/api/models"],
  ["datasets", "/api/datasets"],
  ["runs", "/api/runs"],
  ["metrics", "/api/metrics"],
  ["openapi", "/api/openapi.json"],
  // the classic paths of the original project (rewrites to their /api twins)
  ["scoring (classic path)", "/scoring"],
  ["summarystats (classic path)", "/summarystats"],
  ["diagnostics (classic path)", "/diagnostics"],
];

export class ServerUnreachableError extends Error {}

async function call(
  opts: Required<Pick<ApiCallsOptions, "baseUrl" | "fetch" | "timeoutMs">>,
  name: string,
  method: "GET" | "POST",
  pathname: string,
  init: RequestInit = {},
): Promise<ApiCall> {
  const start = performance.now();
  try {
    const res = await opts.fetch(new URL(pathname, opts.baseUrl), { method, ...init, signal: AbortSignal.timeout(opts.timeoutMs) });
    const contentType = res.headers.get("content-type");
    const text = await res.text();
    let body: unknown = text;
    if (contentType?.includes("json")) {
      try {
        body = JSON.parse(text);
      } catch {
        /* keep the text */
      }
    }
    return { name, method, path: pathname, status: res.status, ok: res.status < 500, ms: performance.now() - start, contentType, body };
  } catch (e) {
    const err = e as Error & { cause?: { code?: string; message?: string } };
    const why = err.cause?.code ?? err.cause?.message ?? err.message;
    return { name, method, path: pathname, status: null, ok: false, ms: performance.now() - start, error: `${err.name}: ${err.message}${why && why !== err.message ? ` (${why})` : ""}` };
  }
}

/** Run every call; throws ServerUnreachableError when the first call cannot reach the server at all. */
export async function runApiCalls(options: ApiCallsOptions): Promise<ApiCallsReport> {
  const opts = { baseUrl: options.baseUrl, fetch: options.fetch ?? fetch, timeoutMs: options.timeoutMs ?? 120_000 };
  const startedAt = new Date().toISOString();
  const calls: ApiCall[] = [];
  for (const [i, [name, pathname]] of READS.entries()) {
    const c = await call(opts, name, "GET", pathname);
    if (i === 0 && c.status === null) {
      throw new ServerUnreachableError(
        `Cannot reach the server at ${opts.baseUrl} (${c.error}). Start it with \`npm start\` (or pass --base-url http://host:port).`,
      );
    }
    calls.push(c);
  }
  const content = fs.readFileSync(options.testDataPath);
  const form = new FormData();
  form.append("file", new Blob([new Uint8Array(content)], { type: "text/csv" }), path.basename(options.testDataPath));
  calls.push(
    await call(opts, "prediction (test data upload)", "POST", "/api/prediction", {
      body: form,
      headers: options.token ? { authorization: `Bearer ${options.token}` } : {},
    }),
  );
  const failed = calls.filter((c) => !c.ok).map((c) => `${c.method} ${c.path}: ${c.status ?? c.error}`);
  return { baseUrl: opts.baseUrl, startedAt, finishedAt: new Date().toISOString(), ok: failed.length === 0, failed, calls };
}

export function writeReport(report: ApiCallsReport, out: string): void {
  fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(report, null, 2) + "\n");
}
