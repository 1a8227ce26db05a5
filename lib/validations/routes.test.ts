import { describe, expect, it } from "vitest";
import { TIMING_CHECK_MAX_ITERATIONS } from "../diagnostics/timing-check";
import { StartRunBody, TimingCheckBody } from "./monitoring";
import { ROUTES, findRoute } from "./routes";

/*
 * The route table documents the very request schemas the handlers validate with (they import
 * the same exports); these pin what the monitoring POST bodies accept, as the handlers' own
 * copies did before the table replaced them.
 */
function accepts(schema: { safeParse: (v: unknown) => { success: boolean; data?: unknown } }, cases: [unknown, unknown][], refused: unknown[]) {
  for (const [input, data] of cases) expect(schema.safeParse(input), JSON.stringify(input)).toEqual({ success: true, data });
  for (const input of refused) expect(schema.safeParse(input).success, JSON.stringify(input)).toBe(false);
}

describe("the route table", () => {
  it("documents POST /api/runs with StartRunBody", () => {
    expect(findRoute("POST", "/api/runs")?.body?.json).toBe(StartRunBody);
    accepts(StartRunBody, [[{}, { trigger: "api" }], [{ trigger: "ui" }, { trigger: "ui" }], [{ trigger: "api" }, { trigger: "api" }]], [{ trigger: "cron" }, { x: 1 }, null]);
  });

  it("documents POST /api/diagnostics/timing-check with TimingCheckBody, whose limit is the timing check's", () => {
    expect(findRoute("POST", "/api/diagnostics/timing-check")?.body?.json).toBe(TimingCheckBody);
    expect(TIMING_CHECK_MAX_ITERATIONS).toBe(10);
    accepts(
      TimingCheckBody,
      [[{}, { iterations: 3 }], [{ iterations: 1 }, { iterations: 1 }], [{ iterations: 10 }, { iterations: 10 }]],
      [{ iterations: 11 }, { iterations: 0 }, { iterations: 2.5 }, { x: 1 }],
    );
  });

  it("has one entry per method and path, found by the request's path", () => {
    const keys = ROUTES.map((r) => `${r.method} ${r.path}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(findRoute("GET", "/api/runs/12")?.path).toBe("/api/runs/{id}");
    expect(findRoute("GET", "/api/runs/12/x")).toBeUndefined();
    expect(findRoute("PUT", "/api/runs")).toBeUndefined();
  });
});
