"use client";

import { useQuery } from "@tanstack/react-query";
import { useId, useMemo } from "react";
import type { Role } from "@/lib/auth/roles";
import { sessionQuery } from "@/lib/queries/people";
import { accessOf, type Access } from "./access-of";

/** Who is signed in and what they may do (GET /api/session; the root layout fills it on the server). */
export function useAccess(): Access {
  const { data } = useQuery(sessionQuery());
  return useMemo(() => accessOf(data), [data]);
}

/**
 * A control that needs a role: `denied` (disable it), the props that name the reason on it
 * (title and aria-describedby), and the visible reason to render next to it.
 */
export function useRoleGate(needed: Role) {
  const reason = useAccess().denial(needed);
  const id = useId();
  return {
    denied: reason !== null,
    describe: reason !== null ? { title: reason, "aria-describedby": id } : {},
    note: reason !== null ? (
      <span className="role-note" id={id} data-testid="role-note">
        {reason}
      </span>
    ) : null,
  };
}
