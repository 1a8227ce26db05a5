import { keepPreviousData, queryOptions } from "@tanstack/react-query";
import { ApiError, apiGet } from "./fetcher";
import type { AuditResponse, KeysResponse, SessionStatus, UsersResponse } from "./types";

/*
 * Who is signed in (GET /api/session, public) and the admin's reads: people, API keys and the
 * audit trail. The root layout fills the session key on the server (app/layout.tsx), so the nav
 * and the action buttons know the role at the first render.
 */

export const sessionKey = () => ["api", "session"] as const;
export const usersKey = () => ["api", "users"] as const;
export const keysKey = () => ["api", "keys"] as const;
const auditKey = (before: number | null) => ["api", "audit", before] as const;

/** The audit page's page size. */
export const AUDIT_PAGE = 50;

export const sessionQuery = () =>
  queryOptions({
    queryKey: sessionKey(),
    queryFn: async ({ signal }): Promise<SessionStatus> => {
      try {
        return await apiGet<SessionStatus>("/api/session", { signal });
      } catch (e) {
        // a server without the session route has nobody to sign in
        if (e instanceof ApiError && e.status === 404) return { authRequired: false, authenticated: true };
        throw e;
      }
    },
    staleTime: 30_000,
  });

export const usersQuery = () => queryOptions({ queryKey: usersKey(), queryFn: ({ signal }) => apiGet<UsersResponse>("/api/users", { signal }) });

export const keysQuery = () => queryOptions({ queryKey: keysKey(), queryFn: ({ signal }) => apiGet<KeysResponse>("/api/keys", { signal }) });

/** One page of the audit trail, newest first: the newest page (`before` null) or the one below a cursor. */
export const auditQuery = (before: number | null) =>
  queryOptions({
    queryKey: auditKey(before),
    queryFn: ({ signal }) => apiGet<AuditResponse>(`/api/audit?limit=${AUDIT_PAGE}${before !== null ? `&before=${before}` : ""}`, { signal }),
    placeholderData: keepPreviousData,
  });
