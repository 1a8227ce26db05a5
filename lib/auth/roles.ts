/*
 * The three roles, each one the one before plus more (Grafana's viewer / editor / admin):
 *   viewer   — every read and every page, predictions (they store nothing)
 *   operator — viewer + upload, batches, runs, train, deploy, rollback, acknowledge, checks
 *   admin    — operator + users, API keys, the audit trail, the set-up of a first dataset
 * A route needs one of them, or is `public` (reachable by anyone: liveness, sign-in).
 */

export const ROLES = ["viewer", "operator", "admin"] as const;
export type Role = (typeof ROLES)[number];
export type RouteRole = "public" | Role;

const RANK: Record<Role, number> = { viewer: 1, operator: 2, admin: 3 };

export function isRole(v: unknown): v is Role {
  return typeof v === "string" && (ROLES as readonly string[]).includes(v);
}

/** Whether `role` may do what `needed` allows. */
export function hasRole(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}

/** The lower of two roles (an API key never has more than its user). */
export function lowerRole(a: Role, b: Role): Role {
  return RANK[a] <= RANK[b] ? a : b;
}
