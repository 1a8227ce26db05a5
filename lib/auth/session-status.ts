import { loadConfig } from "../config";
import { getDb } from "../db/client";
import { accessMode, identify, readsOpen, type AccessMode, type Principal } from "./access";
import type { Role } from "./roles";

/*
 * What GET /api/session answers, and what the root layout puts in the page so that the nav and
 * every action button know the role at the first render: the access mode, and who this request is.
 */

export interface SessionState {
  authRequired: boolean;
  authenticated: boolean;
  mode: AccessMode;
  readsOpen: boolean;
  role: Role | null;
  user: { id: number; name: string; role: Role } | null;
  via: "session" | "key" | "token" | "proxy" | "none";
}

const VIA = { user: "session", proxy: "proxy", key: "key", token: "token", anonymous: "none" } as const;

/** The session state of a request; `principal` when the caller already knows it (null: nobody). A question: nothing is counted against the throttle. */
export async function sessionStatus(request: Request, principal?: Principal | null): Promise<SessionState> {
  const config = loadConfig();
  const db = getDb();
  const mode = await accessMode(db, config);
  const p = principal !== undefined ? principal : await identify(request, db, config, { attempt: false }).catch(() => null);
  const open = readsOpen(mode, config);
  return {
    authRequired: mode !== "open",
    authenticated: mode === "open" || (p !== null && p.kind !== "anonymous"),
    mode,
    readsOpen: open,
    role: p?.role ?? (mode === "open" ? "admin" : open ? "viewer" : null),
    user: p && p.userId !== undefined && p.role ? { id: p.userId, name: p.name, role: p.role } : null,
    via: p ? VIA[p.kind] : "none",
  };
}
