/**
 * The HTTP server of `npm start` (and of the bench and the load test): Next.js's request handler
 * behind a plain Node server that answers, before Next sees the request, what Next cannot:
 * a method a path does not take — TRACE, CONNECT and made-up methods included — gets a JSON 405
 * with Allow and the security headers of next.config.js (Next answers TRACE with a 500 and a
 * wrong method on a route with an empty 405). Nothing reads the body here, so uploads of any size
 * and predictions go to their routes untouched.
 *
 *   tsx scripts/serve.ts [--port N] [--hostname H] [--dev]
 *
 * PORT and HOSTNAME (Next's convention) are the defaults; without HOSTNAME it listens on every
 * interface. `--dev` (npm run dev) serves `next dev` (hot reload) behind the same checks, with
 * predictions going through Next too, so that edits to them reload.
 */
import http from "node:http";
import path from "node:path";
import { Readable } from "node:stream";
import { parseArgs } from "node:util";
import next from "next";
import { POST as predictionPost } from "../app/api/prediction/route";
import { pageAccess } from "../lib/auth/access";
import { loadConfig, pinConfig } from "../lib/config";
import { getDb } from "../lib/db/client";
import { sendWebResponse } from "../lib/http/node-response";
import { errorResponse } from "../lib/http/respond";
import { methodNotAllowed, type MethodNotAllowed } from "../lib/http/route-methods";
import { isPlainJsonPrediction, servePlainJsonPrediction } from "../lib/prediction/node-route";
import { ROOT } from "./lib/root";


/** The headers next.config.js puts on every response (one source for both). */
async function securityHeaders(): Promise<Record<string, string>> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const config = require(path.join(ROOT, "next.config.js")) as { headers(): Promise<{ source: string; headers: { key: string; value: string }[] }[]> };
  const all = (await config.headers()).find((r) => r.source === "/:path*");
  return Object.fromEntries((all?.headers ?? []).map((h) => [h.key.toLowerCase(), h.value]));
}

/*
 * Predictions, the one hot path (a client scoring one client at a time, many times a second),
 * skip Next's router. A plain JSON request is answered from Node's request and response
 * (lib/prediction/node-route.ts); any other (a CSV upload, ?explain=1) goes to the route handler
 * (app/api/prediction/route.ts, with its auth, limits and errors) called here with a web Request.
 * Next's routing and rendering machinery cost about two thirds of a 1-row prediction's time
 * (autocannon, 16 connections: about 1,200 requests/s through Next, about 3,000 direct), the web
 * Request and Response most of the rest. Their state is shared: the model cache, the latency
 * histogram and the database clients live on globalThis.
 */
const DIRECT_PATHS = new Set(["/api/prediction", "/prediction"]);
type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** A Node request's headers as the web Request takes them (a repeated header once per value). */
function headerPairs(req: http.IncomingMessage): [string, string][] {
  return Object.entries(req.headers).flatMap(([k, v]) => (v === undefined ? [] : Array.isArray(v) ? v.map((x) => [k, x] as [string, string]) : [[k, v] as [string, string]]));
}

async function serveDirect(handler: Handler, req: http.IncomingMessage, res: http.ServerResponse, securityHeaders: Record<string, string>) {
  let response: Response;
  try {
    const request = new Request(`http://${req.headers.host ?? "localhost"}${req.url}`, {
      method: req.method,
      headers: headerPairs(req),
      body: Readable.toWeb(req) as ReadableStream<Uint8Array>,
      duplex: "half",
    } as RequestInit);
    response = await handler(request, { params: Promise.resolve({}) });
  } catch (e) {
    // apiRoute turns every error into its JSON answer; this is for a failure outside it (logged there)
    response = errorResponse(e);
  }
  await sendWebResponse(res, response, securityHeaders);
}

/*
 * Pages: once users exist (and PUBLIC_READ is not set), a page needs a signed-in viewer; anyone
 * else is sent to /signin (lib/auth/access.ts pageAccess). The API routes check their own role.
 */
async function servePage(req: http.IncomingMessage, res: http.ServerResponse, handle: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>, securityHeaders: Record<string, string>) {
  if (req.method !== "GET" && req.method !== "HEAD") return void handle(req, res);
  const url = `http://${req.headers.host ?? "localhost"}${req.url ?? "/"}`;
  let access: "ok" | "sign-in";
  try {
    access = await pageAccess(new Request(url, { headers: headerPairs(req) }), getDb(), loadConfig());
  } catch (e) {
    // the database cannot say who may read: let the page render its own error (its reads fail the same way)
    console.error("[serve] page access check failed:", e);
    access = "ok";
  }
  if (access === "ok") return void handle(req, res);
  const next = req.url && req.url !== "/" ? `?next=${encodeURIComponent(req.url)}` : "";
  res.writeHead(303, { ...securityHeaders, location: `/signin${next}`, "cache-control": "no-store", "content-length": "0" });
  res.end();
}

async function main() {
  const { values: args } = parseArgs({ options: { port: { type: "string" }, hostname: { type: "string" }, dev: { type: "boolean", default: false } } });
  const dev = args.dev;
  (process.env as Record<string, string>).NODE_ENV ??= dev ? "development" : "production";
  const port = Number(args.port ?? process.env.PORT ?? 3000);
  const hostname = args.hostname ?? (process.env.HOSTNAME?.trim() || undefined);
  const app = next({ dev, dir: ROOT, hostname: hostname ?? "localhost", port });
  const handle = app.getRequestHandler();
  await app.prepare();
  const headers = await securityHeaders();

  const refusal = (refused: MethodNotAllowed) => {
    const body = JSON.stringify(refused.body);
    return { body, headers: { ...headers, allow: refused.allow, "content-type": "application/json", "content-length": String(Buffer.byteLength(body)), "cache-control": "no-store" } };
  };
  // The wrong-token throttle (lib/http/auth.ts) keys on X-Forwarded-For: without a trusted proxy
  // in front, it is the peer address, not what the client claims.
  const trustProxy = loadConfig().TRUST_PROXY;
  // the environment of this process is what it started with: it need not be read per request
  pinConfig();
  const server = http.createServer((req, res) => {
    if (!trustProxy) req.headers["x-forwarded-for"] = req.socket.remoteAddress ?? "unknown";
    const pathname = (req.url ?? "/").split("?", 1)[0];
    if (!dev && isPlainJsonPrediction(req)) return void servePlainJsonPrediction(req, res, headers);
    if (!dev && req.method === "POST" && DIRECT_PATHS.has(pathname)) return void serveDirect(predictionPost, req, res, headers);
    const refused = methodNotAllowed(req.method ?? "", pathname);
    if (!refused) return void servePage(req, res, handle, headers);
    const answer = refusal(refused);
    res.writeHead(405, answer.headers);
    res.end(req.method === "HEAD" ? undefined : answer.body);
    req.resume(); // drain (and drop) whatever body came with it
  });
  // Node's parser rejects a method it does not know (BREW, FOO) before any handler runs: answer
  // that with the same JSON 405, read from the request line; anything else malformed is a 400.
  server.on("clientError", (e: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket) => {
    if (!socket.writable) return;
    const line = /^([!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}) (\S+) HTTP\/1\.[01]\r?\n/.exec(e.rawPacket?.subarray(0, 8192).toString("latin1") ?? "");
    const refused = e.code === "HPE_INVALID_METHOD" && line ? methodNotAllowed(line[1], line[2].split("?", 1)[0]) : null;
    if (!refused) return void socket.end("HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
    const answer = refusal(refused);
    const head = Object.entries({ ...answer.headers, connection: "close" }).map(([k, v]) => `${k}: ${v}\r\n`).join("");
    socket.end(`HTTP/1.1 405 Method Not Allowed\r\n${head}\r\n${answer.body}`);
  });
  // next dev's hot reload talks over a WebSocket
  if (dev) server.on("upgrade", app.getUpgradeHandler());
  server.listen(port, hostname, () => {
    console.log(`> Ready on http://${hostname ?? "localhost"}:${port}${hostname ? "" : " (every interface)"}${dev ? " (dev)" : ""}`);
  });

  const stop = (signal: NodeJS.Signals) => {
    server.close();
    void app.close().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
    setTimeout(() => process.exit(1), 5_000).unref();
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((e) => {
  console.error(`serve failed: ${(e as Error).stack ?? e}`);
  process.exit(1);
});
