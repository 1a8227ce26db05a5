import { describe, expect, it } from "vitest";
import { GET as deployments } from "@/app/api/deployments/route";
import { POST as rollback } from "@/app/api/rollback/route";
import { deployStep, trainStep } from "@/lib/pipeline/steps";
import { getRequest, jsonRequest, seedDeployedModel, useRouteTestDb } from "@/lib/testing/api";
import { DeploymentsResponse } from "@/lib/validations/dashboard";

const t = useRouteTestDb();

const list = async () => {
  const res = await deployments(getRequest("/api/deployments"), undefined);
  expect(res.status).toBe(200);
  return DeploymentsResponse.parse(await res.json()).deployments;
};

describe("GET /api/deployments", () => {
  it("is empty before the first deployment, then lists every deployment oldest first, rollbacks included", async () => {
    expect(await list()).toEqual([]);
    const { model } = await seedDeployedModel(t.db);
    const second = await trainStep({ db: t.db, trigger: "test" });
    await deployStep({ db: t.db, trigger: "test" }, second.id, "better");
    expect((await rollback(jsonRequest("/api/rollback", {}), undefined)).status).toBe(200);
    const d = await list();
    expect(d.map((x) => [x.modelVersionId, x.previousModelVersionId, x.trigger])).toEqual([
      [model.id, null, "test"],
      [second.id, model.id, "test"],
      [model.id, second.id, "api"],
    ]);
    expect(d[1].reason).toBe("better");
  });
});
