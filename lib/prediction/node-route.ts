import type { IncomingMessage, ServerResponse } from "node:http";
import { authorize, type Want } from "../auth/access";
import { loadConfig } from "../config";
import { getDb } from "../db/client";
import { currentSchema } from "../db/stored-schema";
import { nodeHeaders } from "../auth/request-headers";
import { megabytes, tooLarge } from "../http/multipart";
import { sendWebResponse } from "../http/node-response";
import { errorResponse } from "../http/respond";
import { isJsonType, parseJsonText, validate } from "../http/route";
import { findRoute } from "../validations/routes";
import { predictionJsonBody } from "../validations/prediction";
import { predictionAnswer, rowsFromJson } from "./predict";

/*
 * POST /api/prediction with a JSON body and no query — a client scoring one client at a time,
 * many times a second — answered from Node's own request and response (scripts/serve.ts), with
 * what the route handler does (app/api/prediction/route.ts): the access check of its route table
 * entry, the body limit (413), JSON (400) and shape (422) errors, the latency histogram and the
 * deployment-change check (lib/prediction/predict.ts). What it skips is the web Request and
 * Response, their streams and abort signals, and running as an actor (a prediction records
 * nothing that names one): in a CPU profile under 16 connections they were most of a 1-row
 * prediction's time. Every other form (a CSV upload, ?explain=1, another content type) goes to
 * the route handler.
 */

const PATHS = new Set(["/api/prediction", "/prediction"]);

/** Whether this request is the fast path's: a POST of JSON to the prediction route without a query string. */
export function isPlainJsonPrediction(req: IncomingMessage): boolean {
  return req.method === "POST" && PATHS.has(req.url ?? "") && isJsonType(req.headers["content-type"]);
}

const CLIENT_GONE = new Error("the client closed the connection before its body ended");

/** The route table's access for POST /api/prediction (findRoute remembers the paths it was asked). */
function predictionAccess(): Want {
  const route = findRoute("POST", "/api/prediction");
  return { role: route?.role ?? "admin", method: "POST", path: route?.path };
}

/**
 * Answer a plain JSON prediction request; `headers` go on every answer (next.config.js's
 * security headers). Never throws: an error is the same JSON answer the route handler gives.
 */
export async function servePlainJsonPrediction(req: IncomingMessage, res: ServerResponse, headers: Readonly<Record<string, string>>): Promise<void> {
  const startedAt = performance.now();
  try {
    const config = loadConfig();
    const db = getDb(config.DATABASE_URL);
    await authorize(nodeHeaders(req.headers), predictionAccess(), db, config);
    const text = await readBody(req, megabytes(config.MAX_UPLOAD_MB));
    const schema = await currentSchema(db);
    const { rows } = validate(predictionJsonBody(schema), parseJsonText(text));
    const { body, ms } = await predictionAnswer(db, rowsFromJson(rows, schema), { schema, startedAt });
    res.writeHead(200, [...okHead(headers), "content-length", String(Buffer.byteLength(body)), "server-timing", `predict;dur=${ms.toFixed(2)}`]);
    res.end(body);
  } catch (e) {
    if (e === CLIENT_GONE) return;
    await sendWebResponse(res, errorResponse(e), headers);
    // a body refused before it was read (401, 413) is drained, not left in the connection
    req.resume();
  }
}

const okHeads = new WeakMap<object, string[]>();

/** The headers every 200 carries, as the flat name-value list writeHead takes (built once). */
function okHead(headers: Readonly<Record<string, string>>): string[] {
  let head = okHeads.get(headers);
  if (!head) okHeads.set(headers, (head = [...Object.entries(headers).flat(), "content-type", "application/json"]));
  return head;
}

/** The body as text; 413 (payload_too_large:body) from Content-Length or as soon as the bytes read exceed `maxBytes`. */
function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  const declared = req.headers["content-length"];
  if (declared !== undefined && /^\d+$/.test(declared.trim()) && Number(declared) > maxBytes) return Promise.reject(tooLarge(maxBytes, Number(declared)));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const onData = (chunk: Buffer) => {
      total += chunk.length;
      if (total > maxBytes) {
        req.off("data", onData);
        req.off("end", onEnd);
        reject(tooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      const text = (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total)).toString("utf8");
      // as the route's TextDecoder reads it: a byte order mark is not part of the JSON
      resolve(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.once("error", reject);
    // a client gone before its body ended: nothing to answer (once the body ended, this does nothing)
    req.once("close", () => reject(CLIENT_GONE));
  });
}
