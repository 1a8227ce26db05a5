import { describe, expect, it } from "vitest";
import { startRunBody, timingCheckBody } from "../reads/monitoring";
import { StartRunBody, TimingCheckBody } from "./monitoring";

/*
 * The monitoring handlers validate with schemas kept in lib/reads/monitoring.ts; the OpenAPI
 * document describes them with the copies in lib/validations/monitoring.ts. Until the handlers
 * import these directly, this pins that both accept and produce the same.
 */
function sameBehaviour(a: { safeParse: (v: unknown) => { success: boolean; data?: unknown } }, b: typeof a, inputs: unknown[]) {
  for (const input of inputs) {
    const x = a.safeParse(input);
    const y = b.safeParse(input);
    expect(y.success, JSON.stringify(input)).toBe(x.success);
    if (x.success) expect(y.data).toEqual(x.data);
  }
}

describe("monitoring body schemas match their handlers'", () => {
  it("POST /api/runs", () => sameBehaviour(startRunBody, StartRunBody, [{}, { trigger: "ui" }, { trigger: "api" }, { trigger: "cron" }, { x: 1 }, null]));
  it("POST /api/diagnostics/timing-check", () =>
    sameBehaviour(timingCheckBody, TimingCheckBody, [{}, { iterations: 1 }, { iterations: 10 }, { iterations: 11 }, { iterations: 0 }, { iterations: 2.5 }, { x: 1 }]));
});
