import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { POST } from "@/app/api/prediction/route";
import { addApiKey, addUser } from "@/lib/auth/people";
import { forgetUsersExist } from "@/lib/db/people";
import { BASE, seedDeployedModel, useRouteTestDb } from "@/lib/testing/api";
import { predictionMetricsText } from "@/lib/prediction/metrics";
import { isPlainJsonPrediction, servePlainJsonPrediction } from "@/lib/prediction/node-route";

/*
 * The fast path of POST /api/prediction (npm start's server answers a plain JSON request from
 * Node's own request and response) must answer exactly as the route handler does: each request
 * below goes to both, and status, body and content type must be the same.
 */

const t = useRouteTestDb();
const SECURITY = { "x-frame-options": "DENY", "x-content-type-options": "nosniff" };
let base = "";
let server: http.Server;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (isPlainJsonPrediction(req)) return void servePlainJsonPrediction(req, res, SECURITY);
    res.writeHead(418).end(); // this test sends the fast path's requests only
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const row = { corporation: "a", lastmonth_activity: 10, lastyear_activity: 100, number_of_employees: 5 };

interface Sent {
  headers?: Record<string, string>;
  body: string | Uint8Array | (() => ReadableStream<Uint8Array>);
}

interface Answer {
  status: number;
  type: string | null;
  body: unknown;
}

async function answerOf(res: Response): Promise<Answer> {
  return { status: res.status, type: res.headers.get("content-type"), body: await res.json() };
}

/** The same request to the fast path (over HTTP) and to the route handler (in process). */
async function both({ headers = {}, body }: Sent): Promise<{ fast: Answer; route: Answer; fastHeaders: Headers }> {
  const init = (): RequestInit => ({
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "function" ? body() : (body as BodyInit),
    ...(typeof body === "function" ? { duplex: "half" } : {}),
  });
  const fastRes = await fetch(`${base}/api/prediction`, init());
  const fast = await answerOf(fastRes);
  const route = await answerOf(await POST(new Request(`${BASE}/api/prediction`, init()), undefined));
  return { fast, route, fastHeaders: fastRes.headers };
}

const json = (value: unknown) => ({ body: JSON.stringify(value) });

/** A body sent in pieces without Content-Length (chunked), `n` bytes of JSON-ish text. */
const streamed = (n: number) => () =>
  new ReadableStream<Uint8Array>({
    start(c) {
      for (let sent = 0; sent < n; sent += 512) c.enqueue(new TextEncoder().encode(" ".repeat(Math.min(512, n - sent))));
      c.close();
    },
  });

describe("the prediction fast path", () => {
  it("takes a POST of JSON to the prediction paths without a query, and nothing else", () => {
    const req = (method: string, url: string, type?: string) => ({ method, url, headers: type ? { "content-type": type } : {} }) as http.IncomingMessage;
    expect(isPlainJsonPrediction(req("POST", "/api/prediction", "application/json"))).toBe(true);
    expect(isPlainJsonPrediction(req("POST", "/prediction", "application/json; charset=utf-8"))).toBe(true);
    expect(isPlainJsonPrediction(req("POST", "/api/prediction", "application/vnd.api+json"))).toBe(true);
    expect(isPlainJsonPrediction(req("POST", "/api/prediction?explain=1", "application/json"))).toBe(false);
    expect(isPlainJsonPrediction(req("POST", "/api/prediction", "multipart/form-data; boundary=x"))).toBe(false);
    expect(isPlainJsonPrediction(req("POST", "/api/prediction"))).toBe(false);
    expect(isPlainJsonPrediction(req("GET", "/api/prediction", "application/json"))).toBe(false);
    expect(isPlainJsonPrediction(req("POST", "/api/predictions", "application/json"))).toBe(false);
  });

  it("answers 409 before a model is deployed, as the route does", async () => {
    const { fast, route } = await both(json({ rows: [row] }));
    expect(fast.status).toBe(409);
    expect(fast).toEqual(route);
  });

  describe("with a deployed model", () => {
    beforeEach(async () => {
      await seedDeployedModel(t.db);
    });

    it("answers a prediction with the route's body, the security headers and its server time, and counts it in the latency histogram", async () => {
      const countOf = async () => Number(/dra_prediction_duration_seconds_count (\d+)/.exec(await predictionMetricsText())?.[1] ?? 0);
      const before = await countOf();
      const { fast, route, fastHeaders } = await both(json({ rows: [row, { ...row, corporation: "b", lastmonth_activity: 2500 }] }));
      expect(fast.status).toBe(200);
      expect(fast).toEqual(route);
      expect((fast.body as { predictions: unknown[] }).predictions).toHaveLength(2);
      expect(fastHeaders.get("x-frame-options")).toBe("DENY");
      expect(fastHeaders.get("server-timing")).toMatch(/^predict;dur=\d+\.\d\d$/);
      expect(await countOf()).toBe(before + 2);
    });

    it("scores rows that carry their labels, as the route does", async () => {
      const { fast, route } = await both(json({ rows: [{ ...row, exited: 1 }, { ...row, corporation: "b", exited: 0 }] }));
      expect(fast.status).toBe(200);
      expect((fast.body as { score?: unknown }).score).toBeDefined();
      expect(fast).toEqual(route);
    });

    it("reads a body with a byte order mark and in several pieces", async () => {
      const text = JSON.stringify({ rows: [row] });
      const withBom = await both({ body: new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from(text)]) });
      expect(withBom.fast.status).toBe(200);
      expect(withBom.fast).toEqual(withBom.route);
      const pieces = () =>
        new ReadableStream<Uint8Array>({
          start(c) {
            for (const part of [text.slice(0, 7), text.slice(7, 40), text.slice(40)]) c.enqueue(new TextEncoder().encode(part));
            c.close();
          },
        });
      const chunked = await both({ body: pieces });
      expect(chunked.fast.status).toBe(200);
      expect(chunked.fast).toEqual(chunked.route);
    });

    const refusals: [string, Sent, number, string][] = [
      ["invalid JSON", { body: "{rows: [" }, 400, "bad_request:json"],
      ["an empty body", { body: "" }, 400, "bad_request:json"],
      ["a JSON array", json([row]), 422, "unprocessable:body"],
      ["no rows", json({ rows: [] }), 422, "unprocessable:body"],
      ["a feature as text", json({ rows: [{ ...row, lastmonth_activity: "10" }] }), 422, "unprocessable:body"],
      ["labels on some rows only", json({ rows: [{ ...row, exited: 1 }, row] }), 422, "unprocessable:rows"],
    ];
    for (const [name, sent, status, code] of refusals) {
      it(`refuses ${name} with ${status} ${code}, as the route does`, async () => {
        const { fast, route } = await both(sent);
        expect(fast.status).toBe(status);
        expect((fast.body as { error: { code: string } }).error.code).toBe(code);
        expect(fast).toEqual(route);
      });
    }

    it("refuses a body over MAX_UPLOAD_MB with 413, from Content-Length and while reading one without it", async () => {
      process.env.MAX_UPLOAD_MB = "0.01"; // 10,486 bytes
      try {
        const big = JSON.stringify({ rows: Array.from({ length: 200 }, () => row) });
        // a Request built in process has no Content-Length of its own: sent as fetch would send it
        const declared = await both({ body: big, headers: { "content-length": String(Buffer.byteLength(big)) } });
        expect(declared.fast.status).toBe(413);
        expect(declared.fast).toEqual(declared.route);
        const chunked = await both({ body: streamed(200_000) });
        expect(chunked.fast.status).toBe(413);
        expect(chunked.fast).toEqual(chunked.route);
        // the connection still serves the next request
        const after = await both(json({ rows: [row] }));
        expect(after.fast.status).toBe(200);
      } finally {
        delete process.env.MAX_UPLOAD_MB;
      }
    });

    it("checks access as the route does: 401 without a credential once users exist, 200 with an API key, 401 with a wrong one", async () => {
      const { user } = await addUser(t.db, { name: "fast-path-viewer", role: "viewer" });
      const { key } = await addApiKey(t.db, user.id, { name: "scoring" });
      forgetUsersExist();
      try {
        const none = await both(json({ rows: [row] }));
        expect(none.fast.status).toBe(401);
        expect(none.fast).toEqual(none.route);
        const withKey = await both({ ...json({ rows: [row] }), headers: { authorization: `Bearer ${key}` } });
        expect(withKey.fast.status).toBe(200);
        expect(withKey.fast).toEqual(withKey.route);
        const wrong = await both({ ...json({ rows: [row] }), headers: { authorization: "Bearer dra_not-a-key", "x-forwarded-for": "203.0.113.9" } });
        expect(wrong.fast.status).toBe(401);
        expect(wrong.fast).toEqual(wrong.route);
      } finally {
        forgetUsersExist();
      }
    });
  });
});
