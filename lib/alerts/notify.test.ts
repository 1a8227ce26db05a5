import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { listAlerts } from "../db/alerts";
import { createTestDb, type TestDb } from "../testing/temp-db";
import { raiseAlert } from "./notify";

/* Webhooks on 127.0.0.1 only: one that answers 200, one 500, one that never answers. */

const received: { url: string; body: unknown; type: string | undefined }[] = [];
const servers: http.Server[] = [];

function listen(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`)));
}

function collect(status: number): http.RequestListener {
  return (req, res) => {
    let data = "";
    req.on("data", (c) => (data += c));
    req.on("end", () => {
      received.push({ url: req.url ?? "", body: JSON.parse(data), type: req.headers["content-type"] });
      res.writeHead(status).end(status === 200 ? "ok" : "boom");
    });
  };
}

let t: TestDb;
beforeEach(() => {
  t = createTestDb();
  received.length = 0;
});
afterEach(async () => {
  await t.cleanup();
});
afterAll(() => {
  for (const s of servers) s.closeAllConnections?.(), s.close();
});

describe("raiseAlert", () => {
  it("stores the alert and POSTs it as JSON to the webhook", async () => {
    const url = await listen(collect(200));
    const alert = await raiseAlert(t.db, { kind: "drift", message: "F1 fell", runId: 7, details: { newScore: 0.2 } }, { webhookUrl: url });
    expect(alert).toMatchObject({ kind: "drift", runId: 7, delivered: true, deliveryInfo: expect.stringMatching(/HTTP 200/) });
    expect(received).toHaveLength(1);
    expect(received[0].type).toBe("application/json");
    expect(received[0].body).toMatchObject({ alertId: alert!.id, kind: "drift", message: "F1 fell", runId: 7, details: { newScore: 0.2 } });
  });

  it("a webhook answering 500 is logged on the alert, not thrown", async () => {
    const url = await listen(collect(500));
    const alert = await raiseAlert(t.db, { kind: "run-failed", message: "run 3 failed", runId: 3 }, { webhookUrl: url });
    expect(alert).toMatchObject({ delivered: false, deliveryInfo: expect.stringMatching(/HTTP 500/) });
    expect((await listAlerts(t.db))[0].id).toBe(alert!.id);
  });

  it("a webhook that never answers times out (bounded) and is logged", async () => {
    const url = await listen(() => {
      /* hang */
    });
    const t0 = Date.now();
    const alert = await raiseAlert(t.db, { kind: "drift", message: "x", runId: null }, { webhookUrl: url, timeoutMs: 500 });
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(alert).toMatchObject({ delivered: false, deliveryInfo: expect.stringMatching(/within 500 ms/) });
  });

  it("a refused connection is logged; no webhook configured is recorded as such", async () => {
    // a port that was free a moment ago: nothing listens there any more
    const closed = http.createServer();
    const port = await new Promise<number>((resolve) => closed.listen(0, "127.0.0.1", () => resolve((closed.address() as AddressInfo).port)));
    await new Promise((resolve) => closed.close(resolve));
    const refused = await raiseAlert(t.db, { kind: "drift", message: "x", runId: null }, { webhookUrl: `http://127.0.0.1:${port}/hook` });
    expect(refused).toMatchObject({ delivered: false, deliveryInfo: expect.stringMatching(/ECONNREFUSED/) });
    const none = await raiseAlert(t.db, { kind: "drift", message: "y", runId: null });
    expect(none).toMatchObject({ delivered: false, deliveryInfo: expect.stringMatching(/no webhook configured/) });
    expect(await listAlerts(t.db)).toHaveLength(2);
  });
});
