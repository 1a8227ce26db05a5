import { describe, expect, it } from "vitest";
import { accessOf } from "./access-of";
import { safeNext, signInPath } from "./next-path";

describe("safeNext", () => {
  it("keeps a path of this site, with its query", () => {
    expect(safeNext("/models?version=3")).toBe("/models?version=3");
    expect(safeNext("/runs/12")).toBe("/runs/12");
  });
  it("sends anything else to the Overview", () => {
    for (const bad of [null, undefined, "", "models", "//evil.example/x", "/\\evil.example", "https://evil.example/", "javascript:alert(1)", "/a\nb", "/signin", "/signin?next=/x"]) {
      expect(safeNext(bad), String(bad)).toBe("/");
    }
  });
  it("round-trips through signInPath", () => {
    expect(signInPath("/")).toBe("/signin");
    const href = signInPath("/models?version=2");
    expect(safeNext(new URL(href, "http://x").searchParams.get("next"))).toBe("/models?version=2");
  });
});

describe("accessOf", () => {
  const users = { authRequired: true, mode: "users" as const, readsOpen: false, via: "session" as const };
  it("offers everything on an open or token server, and before the session is known", () => {
    expect(accessOf(undefined).can("admin")).toBe(true);
    expect(accessOf({ authRequired: false, authenticated: true, mode: "open", role: "admin", user: null }).can("admin")).toBe(true);
    expect(accessOf({ authRequired: true, authenticated: false, mode: "token", role: "viewer", user: null }).can("operator")).toBe(true);
  });
  it("with people, the role decides and the reason names it", () => {
    const viewer = accessOf({ ...users, authenticated: true, role: "viewer", user: { id: 2, name: "vic", role: "viewer" } });
    expect(viewer.can("viewer")).toBe(true);
    expect(viewer.denial("operator")).toBe("Needs the operator role; you are a viewer.");
    const operator = accessOf({ ...users, authenticated: true, role: "operator", user: { id: 3, name: "op", role: "operator" } });
    expect(operator.can("operator")).toBe(true);
    expect(operator.denial("admin")).toBe("Needs the admin role; you are an operator.");
  });
  it("with people and nobody signed in (PUBLIC_READ), asks to sign in", () => {
    const anonymous = accessOf({ ...users, readsOpen: true, authenticated: false, role: "viewer", user: null, via: "none" });
    expect(anonymous.denial("operator")).toBe("Needs the operator role: sign in first.");
  });
});
