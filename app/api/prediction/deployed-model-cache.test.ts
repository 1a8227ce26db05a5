import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it, vi } from "vitest";
import { POST } from "./route";
import { rollbackDeployment } from "@/lib/db/models";
import { trainStep } from "@/lib/pipeline/steps";
import { jsonRequest, seedDeployedModel, TINY_TEST_DATA, useRouteTestDb } from "@/lib/testing/api";
import { PredictionResponse } from "@/lib/validations/prediction";
import { getDeployedModel } from "@/lib/prediction/deployed-model-cache";

const run = promisify(execFile);
const ROOT = path.join(__dirname, "../../..");

const t = useRouteTestDb();

const row = { corporation: "a", lastmonth_activity: 10, lastyear_activity: 100, number_of_employees: 5 };

async function predictedVersion(): Promise<number> {
  const res = await POST(jsonRequest("/api/prediction", { rows: [row] }), undefined);
  expect(res.status).toBe(200);
  return PredictionResponse.parse(await res.json()).modelVersion;
}

/**
 * Deploy from another process with its own connection to the same file: a child that calls
 * lib/db's deployModelVersion, as `npm run pipeline -- deploy --model ID` does after applying
 * migrations (not spawned here: see the note in the report about prisma migrate deploy and WAL).
 */
async function deployFromAnotherProcess(modelVersionId: number): Promise<number> {
  const script = path.join(t.dir, "deploy-child.mts");
  fs.writeFileSync(
    script,
    [
      `import { disconnectAll, getDb } from ${JSON.stringify(path.join(ROOT, "lib/db/client.ts"))};`,
      `import { deployModelVersion } from ${JSON.stringify(path.join(ROOT, "lib/db/models.ts"))};`,
      `const d = await deployModelVersion(getDb(process.env.DATABASE_URL), { modelVersionId: ${modelVersionId}, reason: "test: another process", trigger: "cli" });`,
      `console.log(JSON.stringify({ pid: process.pid, version: d.modelVersion.version }));`,
      `await disconnectAll();`,
    ].join("\n"),
  );
  const { stdout } = await run(process.execPath, [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), script], { cwd: ROOT, env: { ...process.env, DATABASE_URL: t.url } });
  const out = JSON.parse(stdout) as { pid: number; version: number };
  expect(out.pid).not.toBe(process.pid);
  return out.version;
}

describe("deployed model cache", () => {
  it("keeps the parsed model while the deployment stays the same", async () => {
    await seedDeployedModel(t.db);
    const first = await getDeployedModel(t.db);
    expect(await getDeployedModel(t.db)).toBe(first);
  });

  it("looks at the newest deployment at most every 100 ms, and at once after a deploy or rollback made here", async () => {
    const { model: v1 } = await seedDeployedModel(t.db);
    const v2 = await trainStep({ db: t.db, trigger: "test" });
    vi.useFakeTimers({ toFake: ["performance"] });
    try {
      expect((await getDeployedModel(t.db)).modelVersion).toBe(v1.version);
      // a deploy by another process: its Deployment row, written without this process noting it
      await t.db.deployment.create({ data: { modelVersionId: v2.id, previousModelVersionId: v1.id, reason: "test: elsewhere", trigger: "cli" } });
      vi.advanceTimersByTime(99);
      expect((await getDeployedModel(t.db)).modelVersion).toBe(v1.version); // not looked at again yet
      vi.advanceTimersByTime(1);
      expect((await getDeployedModel(t.db)).modelVersion).toBe(v2.version);
      await rollbackDeployment(t.db, { trigger: "test" });
      expect((await getDeployedModel(t.db)).modelVersion).toBe(v1.version); // no time passed: noted here
    } finally {
      vi.useRealTimers();
    }
  });

  it("a deploy made by another process is used by the next prediction, and so is a later rollback", async () => {
    const { model: v1 } = await seedDeployedModel(t.db);
    expect(await predictedVersion()).toBe(v1.version); // the cache is warm
    const v2 = await trainStep({ db: t.db, trigger: "test" });
    expect(await predictedVersion()).toBe(v1.version); // trained, not deployed

    expect(await deployFromAnotherProcess(v2.id)).toBe(v2.version);
    expect(await predictedVersion()).toBe(v2.version);

    await rollbackDeployment(t.db, { trigger: "test" });
    expect(await predictedVersion()).toBe(v1.version);
  });
});
