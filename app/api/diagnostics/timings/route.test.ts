import { describe, expect, it } from "vitest";
import { GET as timings } from "@/app/api/diagnostics/timings/route";
import { recordTiming } from "@/lib/db/timings";
import { getRequest, useRouteTestDb } from "@/lib/testing/api";
import { TimingsResponse } from "@/lib/validations/dashboard";

const t = useRouteTestDb();

const list = async () => {
  const res = await timings(getRequest("/api/diagnostics/timings"), undefined);
  expect(res.status).toBe(200);
  return TimingsResponse.parse(await res.json()).timings;
};

describe("GET /api/diagnostics/timings", () => {
  it("lists the recorded step timings oldest first", async () => {
    expect(await list()).toEqual([]);
    await recordTiming(t.db, { step: "train", ms: 12.5, source: "cli" });
    await recordTiming(t.db, { step: "score", ms: 3, source: "pipeline" });
    const got = await list();
    expect(got.map((x) => [x.step, x.ms, x.source, x.runId])).toEqual([
      ["train", 12.5, "cli", null],
      ["score", 3, "pipeline", null],
    ]);
    expect(got[0].createdAt <= got[1].createdAt).toBe(true);
  });
});
