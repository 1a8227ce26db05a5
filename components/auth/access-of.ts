import { hasRole, type Role } from "@/lib/auth/roles";
import type { SessionStatus } from "@/lib/queries/types";

/*
 * What the browser may offer, from GET /api/session (pure, so it is tested without a browser).
 * The server decides every request; this only disables what it would refuse and says why.
 */

export type AccessMode = NonNullable<SessionStatus["mode"]>;
export type SessionUser = NonNullable<SessionStatus["user"]>;

export interface Access {
  /** null until the session is known (or on a server without the session route) */
  mode: AccessMode | null;
  role: Role | null;
  user: SessionUser | null;
  /** whether an action that needs `needed` is offered */
  can: (needed: Role) => boolean;
  /** why an action that needs `needed` is not offered; null when it is */
  denial: (needed: Role) => string | null;
}

/** "a viewer", "an operator", "an admin" */
export const withArticle = (role: Role) => (role === "viewer" ? "a viewer" : role === "operator" ? "an operator" : "an admin");

/**
 * Open server: anyone may do anything. Token server: an action asks for ADMIN_TOKEN when it is
 * needed (the token dialog of admin-session.tsx), so nothing is disabled. With users: the role
 * decides; nobody signed in may only read (with PUBLIC_READ) and must sign in first.
 */
export function accessOf(status: SessionStatus | undefined): Access {
  const mode = status?.mode ?? null;
  const role = status?.role ?? null;
  const user = status?.user ?? null;
  const denial = (needed: Role): string | null => {
    if (mode !== "users") return null;
    if (role === null || status?.authenticated !== true) return `Needs the ${needed} role: sign in first.`;
    return hasRole(role, needed) ? null : `Needs the ${needed} role; you are ${withArticle(role)}.`;
  };
  return { mode, role, user, denial, can: (needed) => denial(needed) === null };
}
