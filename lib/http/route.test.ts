import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { AppError } from "../errors";
import { readBodyBytes, readUploadedFiles } from "./multipart";
import { useRouteTestDb } from "../testing/api";
import { apiRoute, issueDetails, readJson, readOptionalJson, readQuery } from "./route";

const Body = z.object({ n: z.number().int(), items: z.array(z.object({ x: z.number().nonnegative() })).optional() }).strict();

const post = (body: BodyInit | null, headers: Record<string, string> = {}) =>
  new Request("http://localhost/x", { method: "POST", body, headers });

async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error("expected a rejection");
}

afterEach(() => {
  delete process.env.ADMIN_TOKEN;
  delete process.env.MAX_UPLOAD_MB;
});

describe("readJson", () => {
  it("parses and validates a JSON body (also with charset and +json types)", async () => {
    expect(await readJson(post('{"n":1}', { "content-type": "application/json; charset=utf-8" }), Body)).toEqual({ n: 1 });
    expect(await readJson(post('{"n":2}', { "content-type": "application/merge-patch+json" }), Body)).toEqual({ n: 2 });
  });

  it("415 for another content type, 400 for bad JSON, 422 with row/column details for the wrong shape", async () => {
    expect((await rejection(readJson(post("n=1", { "content-type": "application/x-www-form-urlencoded" }), Body))).code).toBe("unsupported_media_type:json");
    const bad = await rejection(readJson(post("{n:1}", { "content-type": "application/json" }), Body));
    expect(bad.status).toBe(400);
    expect(bad.code).toBe("bad_request:json");
    const shape = await rejection(readJson(post('{"n":1.5,"items":[{"x":1},{"x":-1}],"extra":1}', { "content-type": "application/json" }), Body));
    expect(shape.status).toBe(422);
    expect(shape.details).toEqual([
      { column: "n", problem: expect.stringMatching(/int/i) },
      { row: 1, column: "x", problem: expect.stringMatching(/>=\s*0/) },
      { problem: expect.stringMatching(/extra/) },
    ]);
  });

  it("413 above MAX_UPLOAD_MB", async () => {
    process.env.MAX_UPLOAD_MB = "0.00001"; // 10 bytes
    expect((await rejection(readJson(post('{"n":1234567890}', { "content-type": "application/json" }), Body))).status).toBe(413);
  });
});

describe("readOptionalJson", () => {
  const Optional = z.object({ reason: z.string().optional() }).strict();
  it("an empty body is {} whatever the content type; a JSON body is validated", async () => {
    expect(await readOptionalJson(post(null), Optional)).toEqual({});
    expect(await readOptionalJson(post("", { "content-type": "application/x-www-form-urlencoded" }), Optional)).toEqual({});
    expect(await readOptionalJson(post('{"reason":"r"}', { "content-type": "application/json" }), Optional)).toEqual({ reason: "r" });
    expect((await rejection(readOptionalJson(post("reason=r", { "content-type": "text/plain" }), Optional))).status).toBe(415);
    expect((await rejection(readOptionalJson(post('{"reason":1}', { "content-type": "application/json" }), Optional))).status).toBe(422);
  });
});

describe("readQuery", () => {
  it("400 naming the parameter", async () => {
    const q = z.object({ dataset: z.enum(["training", "test"]).default("training") });
    expect(readQuery(new Request("http://localhost/x"), q)).toEqual({ dataset: "training" });
    const e = (() => {
      try {
        readQuery(new Request("http://localhost/x?dataset=nope"), q);
      } catch (err) {
        return err as AppError;
      }
    })();
    expect(e?.code).toBe("bad_request:query");
    expect(e?.details?.[0].column).toBe("dataset");
  });
});

describe("issueDetails", () => {
  it("turns a numeric path segment into the row", () => {
    const r = z.object({ rows: z.array(z.object({ a: z.number() })) }).safeParse({ rows: [{ a: 1 }, { a: 1 }, { a: "x" }] });
    expect(issueDetails(r.error!.issues)).toEqual([{ row: 2, column: "a", problem: expect.any(String) }]);
  });
});

describe("readBodyBytes and uploads", () => {
  it("refuses from Content-Length before reading and while streaming", async () => {
    const declared = await rejection(readBodyBytes(post("x".repeat(5), { "content-length": "1000" }), 100));
    expect(declared.code).toBe("payload_too_large:body");
    expect(declared.message).toContain("MAX_UPLOAD_MB");
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        pulled++;
        c.enqueue(new Uint8Array(64));
        if (pulled > 1000) c.close();
      },
    });
    const streamed = await rejection(readBodyBytes(new Request("http://localhost/x", { method: "POST", body: stream, duplex: "half" } as RequestInit), 1000));
    expect(streamed.status).toBe(413);
    expect(pulled).toBeLessThan(100); // stopped early, did not buffer the whole stream
    expect(await readBodyBytes(post("hello"), 5)).toEqual(new TextEncoder().encode("hello"));
  });

  it("reads every file of the field in order; a text value instead of a file → 422", async () => {
    const form = new FormData();
    form.append("file", new Blob(["a"]), "one.csv");
    form.append("file", new Blob(["bb"]), "two.csv");
    const files = await readUploadedFiles(new Request("http://localhost/x", { method: "POST", body: form }), { maxBytes: 10_000 });
    expect(files.map((f) => [f.name, f.content.toString()])).toEqual([
      ["one.csv", "a"],
      ["two.csv", "bb"],
    ]);
    const text = new FormData();
    text.append("file", "/etc/passwd");
    const e = await rejection(readUploadedFiles(new Request("http://localhost/x", { method: "POST", body: text }), { maxBytes: 10_000 }));
    expect(e.code).toBe("unprocessable:upload");
  });
});

describe("apiRoute", () => {
  // the access check asks the database whether users exist
  useRouteTestDb();

  it("turns an unexpected error into a plain 500 without a stack trace", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const handler = apiRoute(async () => {
      throw new Error("secret internals at /work/main/lib/x.ts:12");
    });
    const res = await handler(new Request("http://localhost/x"), undefined);
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain("secret");
    expect(text).not.toContain(".ts:");
    expect(JSON.parse(text).error.code).toBe("internal:unexpected");
    log.mockRestore();
  });

  it("write routes check ADMIN_TOKEN before the handler runs", async () => {
    process.env.ADMIN_TOKEN = "a-long-admin-token";
    const fn = vi.fn(async () => Response.json({}));
    const handler = apiRoute(fn);
    expect((await handler(post(null), undefined)).status).toBe(401);
    expect(fn).not.toHaveBeenCalled();
    expect((await handler(post(null, { authorization: "Bearer a-long-admin-token" }), undefined)).status).toBe(200);
  });
});
