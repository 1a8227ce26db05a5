import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GET as getDeployments } from "@/app/api/deployments/route";
import { GET as getAudit } from "@/app/api/audit/route";
import { POST as postRun } from "./route";
import { GET as getRun } from "./[id]/route";
import { actor, runAsActor } from "@/lib/actor";
import { addApiKey, addUser } from "@/lib/auth/people";
import { waitForBackgroundRuns } from "@/lib/pipeline/background";
import { getRequest, TINY_DIR, TINY_TEST_DATA } from "@/lib/testing/api";
import { createTestDb, type TestDb } from "@/lib/testing/temp-db";

/*
 * Who did it, across threads: a run started through the API with an operator's key runs its
 * steps on a worker thread (lib/jobs/run-in-worker.ts), and the deployment that thread writes
 * names the same actor as the run the request created, as does the audit trail.
 */

let t: TestDb;
beforeEach(() => {
  t = createTestDb();
  const source = path.join(t.dir, "source");
  fs.mkdirSync(source);
  for (const f of ["batch1.csv", "batch2.csv"]) fs.copyFileSync(path.join(TINY_DIR, f), path.join(source, f));
  Object.assign(process.env, { SOURCE_DIR: source, TEST_DATA: TINY_TEST_DATA, REPORT_DIR: path.join(t.dir, "reports"), npm_config_registry: "http://127.0.0.1:9/" });
  delete process.env.ADMIN_TOKEN;
  delete process.env.ALERT_WEBHOOK_URL;
});
afterEach(async () => {
  await waitForBackgroundRuns();
  await t.cleanup();
});

describe("the actor of a run started through the API", () => {
  it("is the key's user on the run, on the deployment its worker thread wrote, and in the audit trail", async () => {
    const setup = actor("cli", "tester");
    const { key } = await runAsActor(setup, async () => {
      await addUser(t.db, { name: "root-admin", role: "admin" });
      const { user } = await addUser(t.db, { name: "olga", role: "operator" });
      return addApiKey(t.db, user.id, { name: "ci" });
    });
    const auth = { authorization: `Bearer ${key}` };

    const started = await postRun(new Request("http://localhost/api/runs", { method: "POST", headers: auth }), undefined);
    expect(started.status).toBe(202);
    const { run } = (await started.json()) as { run: { id: number } };
    await waitForBackgroundRuns();

    const detail = await (await getRun(getRequest(`/api/runs/${run.id}`, auth), { params: Promise.resolve({ id: String(run.id) }) })).json();
    expect(detail).toMatchObject({ status: "succeeded", outcome: "redeployed", actor: "olga (key ci)" });

    const deployments = (await (await getDeployments(getRequest("/api/deployments", auth), undefined)).json()) as { deployments: { actor: string | null; trigger: string }[] };
    expect(deployments.deployments.at(-1)).toMatchObject({ actor: "olga (key ci)" });

    // the audit trail is the admin's: an operator's key may not read it
    expect((await getAudit(getRequest("/api/audit", auth), undefined)).status).toBe(403);
    const { key: adminKey } = await runAsActor(setup, async () => addApiKey(t.db, (await t.db.user.findFirstOrThrow({ where: { name: "root-admin" } })).id, { name: "audit" }));
    const audit = (await (await getAudit(getRequest("/api/audit", { authorization: `Bearer ${adminKey}` }), undefined)).json()) as { events: { action: string; actor: string; actorKind: string; target: string | null }[] };
    expect(audit.events.find((e) => e.action === "run")).toMatchObject({ actor: "olga (key ci)", actorKind: "key", target: `/api/runs/${run.id}` });
    expect(audit.events.filter((e) => e.action === "user.create").map((e) => e.actor)).toEqual(["cli (tester)", "cli (tester)"]);
  }, 120_000);
});
