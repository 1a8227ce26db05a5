import { describe, expect, it } from "vitest";
import { GET } from "@/app/api/health/route";
import { getRequest } from "@/lib/testing/api";
import { useTestDb } from "@/lib/testing/temp-db";
import { HealthResponse } from "@/lib/validations/core";

const t = useTestDb();

describe("GET /api/health", () => {
  it("reads every table family; 200 when all answer", async () => {
    const res = await GET(getRequest("/api/health"), undefined);
    expect(res.status).toBe(200);
    const body = HealthResponse.parse(await res.json());
    expect(body).toMatchObject({ status: "ok", database: "ok", deployedModel: null });
    expect(Object.values(body.checks).every((c) => c === "ok")).toBe(true);
  });

  it("503 naming the part that cannot be read", async () => {
    await t.db.$executeRawUnsafe(`ALTER TABLE "Score" RENAME TO "Score_gone"`);
    const res = await GET(getRequest("/api/health"), undefined);
    expect(res.status).toBe(503);
    const body = HealthResponse.parse(await res.json());
    expect(body).toMatchObject({ status: "degraded", database: "error" });
    expect(body.checks.scores).not.toBe("ok");
    expect(body.checks.records).toBe("ok");
    expect(body.message).toContain("scores");
  });
});
