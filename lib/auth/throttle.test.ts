import { beforeEach, describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { checkThrottle, checkUserThrottle, clientOf, forgetFailures, recordFailure, USER_WRONG_ALLOWED, WINDOW_S, WRONG_ALLOWED } from "./throttle";

/*
 * The throttle of wrong credentials (lib/auth/throttle.ts), with the clock injected: per client
 * address (5 in 60 s), and per user name (10 wrong passwords within 60 s from many clients: the
 * clients that took part are refused for that name, others are not).
 */

const T0 = Date.parse("2026-11-29T12:00:00Z");
const from = (client?: string) => new Request("http://localhost/api/session", { method: "POST", headers: client === undefined ? {} : { "x-forwarded-for": client } });

/** The 429 checkThrottle / checkUserThrottle throws, or null. */
function refusal(fn: () => void): AppError | null {
  try {
    fn();
    return null;
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    return e;
  }
}

beforeEach(() => forgetFailures());

describe("per client", () => {
  it(`the limits are ${WRONG_ALLOWED} per client and ${USER_WRONG_ALLOWED} per name in ${WINDOW_S} s`, () => {
    expect([WRONG_ALLOWED, USER_WRONG_ALLOWED, WINDOW_S]).toEqual([5, 10, 60]);
  });

  it("4 wrong credentials pass, the 5th makes the next attempt 429 (too_many_requests:token) with the seconds to wait", () => {
    for (let i = 0; i < 4; i++) recordFailure(from("10.0.0.1"), { now: T0 + i * 1000 });
    expect(refusal(() => checkThrottle(from("10.0.0.1"), T0 + 4000))).toBeNull();
    recordFailure(from("10.0.0.1"), { now: T0 + 4000 });
    const e = refusal(() => checkThrottle(from("10.0.0.1"), T0 + 5000));
    expect(e?.status).toBe(429);
    expect(e?.code).toBe("too_many_requests:token");
    // counted from the first failure of the window: 60 s after T0
    expect(e?.retryAfterSeconds).toBe(55);
    expect(e?.message).toMatch(/try again in 55 s/);
    // a sign-in says so in its own code
    expect(refusal(() => checkThrottle(from("10.0.0.1"), T0 + 5000, "too_many_requests:sign_in"))?.code).toBe("too_many_requests:sign_in");
  });

  it("another client is not affected", () => {
    for (let i = 0; i < 20; i++) recordFailure(from("10.0.0.1"), { now: T0 });
    expect(refusal(() => checkThrottle(from("10.0.0.1"), T0))).not.toBeNull();
    expect(refusal(() => checkThrottle(from("10.0.0.2"), T0))).toBeNull();
    expect(refusal(() => checkThrottle(from(), T0))).toBeNull();
  });

  it("the window slides: failures older than 60 s no longer count", () => {
    for (let i = 0; i < 5; i++) recordFailure(from("10.0.0.1"), { now: T0 + i * 10_000 }); // at 0, 10, 20, 30, 40 s
    expect(refusal(() => checkThrottle(from("10.0.0.1"), T0 + 59_999))).not.toBeNull();
    // at 60 s the first is out of the window: 4 left
    expect(refusal(() => checkThrottle(from("10.0.0.1"), T0 + 60_000))).toBeNull();
    recordFailure(from("10.0.0.1"), { now: T0 + 61_000 });
    const e = refusal(() => checkThrottle(from("10.0.0.1"), T0 + 61_000));
    // the oldest failure left is at 10 s: free again at 70 s
    expect(e?.retryAfterSeconds).toBe(9);
    expect(refusal(() => checkThrottle(from("10.0.0.1"), T0 + 70_000))).toBeNull();
  });

  it("the client is the first X-Forwarded-For entry (set by the server), else 'unknown'", () => {
    expect(clientOf(from("203.0.113.7, 10.0.0.1"))).toBe("203.0.113.7");
    expect(clientOf(from("  203.0.113.7  "))).toBe("203.0.113.7");
    expect(clientOf(from())).toBe("unknown");
    expect(clientOf(from(""))).toBe("unknown");
    for (let i = 0; i < 5; i++) recordFailure(from("203.0.113.7, 10.0.0.1"), { now: T0 });
    expect(refusal(() => checkThrottle(from("203.0.113.7"), T0))).not.toBeNull();
    expect(refusal(() => checkThrottle(from("10.0.0.1"), T0))).toBeNull();
  });

  it("a failure can be taken back (a password check counts as wrong from its start, and is forgiven when right)", () => {
    const forgive = [0, 1, 2, 3, 4].map(() => recordFailure(from("10.0.0.1"), { name: "alice", now: T0 }));
    expect(refusal(() => checkThrottle(from("10.0.0.1"), T0))).not.toBeNull();
    forgive[0]();
    expect(refusal(() => checkThrottle(from("10.0.0.1"), T0))).toBeNull();
    // taking one back twice takes back one
    forgive[0]();
    recordFailure(from("10.0.0.1"), { now: T0 });
    expect(refusal(() => checkThrottle(from("10.0.0.1"), T0))).not.toBeNull();
    // and from the name's count too
    forgetFailures();
    const byName = Array.from({ length: 10 }, (_, i) => recordFailure(from(`10.1.0.${i}`), { name: "alice", now: T0 }));
    expect(refusal(() => checkUserThrottle(from("10.1.0.0"), "alice", T0))).not.toBeNull();
    byName[9]();
    expect(refusal(() => checkUserThrottle(from("10.1.0.0"), "alice", T0))).toBeNull();
  });

  it("forgetFailures starts from a clean slate", () => {
    for (let i = 0; i < 5; i++) recordFailure(from("10.0.0.1"), { name: "alice", now: T0 });
    forgetFailures();
    expect(refusal(() => checkThrottle(from("10.0.0.1"), T0))).toBeNull();
  });

  it("a flood of made-up client addresses does not grow the memory without bound (the oldest client is forgotten)", () => {
    for (let i = 0; i < 5; i++) recordFailure(from("10.0.0.1"), { now: T0 });
    for (let i = 0; i < 10_001; i++) recordFailure(from(`fake-${i}`), { now: T0 });
    const state = (globalThis as unknown as { __draThrottle: { clients: Map<string, number[]> } }).__draThrottle;
    expect(state.clients.size).toBeLessThanOrEqual(10_001);
    expect(refusal(() => checkThrottle(from("10.0.0.1"), T0))).toBeNull();
    expect(refusal(() => checkThrottle(from("fake-10000"), T0))).toBeNull();
  });
});

describe("per user name", () => {
  it("10 wrong passwords for one name from 10 clients: those clients are refused for it, a client that did not fail is not", () => {
    for (let i = 0; i < 10; i++) recordFailure(from(`10.1.0.${i}`), { name: "alice", now: T0 + i });
    for (let i = 0; i < 10; i++) {
      const e = refusal(() => checkUserThrottle(from(`10.1.0.${i}`), "alice", T0 + 1000));
      expect(e?.status, `client ${i}`).toBe(429);
      expect(e?.code).toBe("too_many_requests:sign_in");
      expect(e?.message).toContain("alice");
      expect(e?.retryAfterSeconds).toBe(59);
    }
    // one wrong password each is under the per-client limit: only the name's throttle refuses them, and only for alice
    expect(refusal(() => checkThrottle(from("10.1.0.0"), T0 + 1000))).toBeNull();
    expect(refusal(() => checkUserThrottle(from("10.1.0.0"), "bob", T0 + 1000))).toBeNull();
    // alice herself, from her own address, still signs in
    expect(refusal(() => checkUserThrottle(from("192.0.2.10"), "alice", T0 + 1000))).toBeNull();
  });

  it("9 are not enough; the name is compared without case; the window slides", () => {
    for (let i = 0; i < 9; i++) recordFailure(from(`10.1.0.${i}`), { name: "Alice", now: T0 });
    expect(refusal(() => checkUserThrottle(from("10.1.0.0"), "alice", T0))).toBeNull();
    recordFailure(from("10.1.0.9"), { name: "ALICE", now: T0 + 30_000 });
    expect(refusal(() => checkUserThrottle(from("10.1.0.0"), "alice", T0 + 30_000))).not.toBeNull();
    expect(refusal(() => checkUserThrottle(from("10.1.0.9"), "aLiCe", T0 + 30_000))).not.toBeNull();
    // at 60 s the 9 first ones leave the window
    expect(refusal(() => checkUserThrottle(from("10.1.0.9"), "alice", T0 + 60_000))).toBeNull();
  });

  it("a client that failed only for another name is not refused for this one", () => {
    for (let i = 0; i < 10; i++) recordFailure(from(`10.1.0.${i}`), { name: "alice", now: T0 });
    recordFailure(from("10.2.0.1"), { name: "bob", now: T0 });
    expect(refusal(() => checkUserThrottle(from("10.2.0.1"), "alice", T0))).toBeNull();
  });

  it("wrong tokens and keys (no name) count against the client only", () => {
    for (let i = 0; i < 10; i++) recordFailure(from("10.3.0.1"), { now: T0 });
    expect(refusal(() => checkUserThrottle(from("10.3.0.1"), "alice", T0))).toBeNull();
    expect(refusal(() => checkThrottle(from("10.3.0.1"), T0))).not.toBeNull();
  });
});
