"use client";

import { useQueryClient } from "@tanstack/react-query";
import { createContext, useCallback, useContext, useEffect, useId, useRef, useState, type ReactNode } from "react";
import { ApiError, apiSend, errorMessage } from "@/lib/queries/fetcher";
import { sessionKey, sessionQuery } from "@/lib/queries/people";
import type { SessionStatus } from "@/lib/queries/types";
import { signInPath } from "./next-path";

/*
 * Signing in for an action. On a server with ADMIN_TOKEN (no users): before an action, ask
 * GET /api/session whether a token is needed; if so, prompt once for it and POST it to
 * /api/session, which sets an httpOnly cookie (the token never sits in page state after that).
 * On a server with users: an action without a valid session (never signed in, or the session
 * ended) opens the sign-in page, which comes back here afterwards. Read-only pages never ask.
 */

interface AdminSession {
  /** Resolve true when actions may proceed (no token needed, or signed in), false if the user cancelled. */
  ensureAdmin: () => Promise<boolean>;
  /** Run an action; a 401 answer prompts for the token (or, with users, opens the sign-in page) and retries once. */
  runAsAdmin: <T>(action: () => Promise<T>) => Promise<T>;
}

const Ctx = createContext<AdminSession | null>(null);

export class ActionCancelled extends Error {
  constructor(message = "Cancelled: the admin token is needed for this action.") {
    super(message);
    this.name = "ActionCancelled";
  }
}

export function useAdminSession(): AdminSession {
  const ctx = useContext(Ctx);
  if (!ctx) throw new Error("useAdminSession must be used inside <AdminSessionProvider>");
  return ctx;
}

/** Open the sign-in page, coming back to this page afterwards. */
function goSignIn(): never {
  window.location.assign(signInPath(`${window.location.pathname}${window.location.search}`));
  throw new ActionCancelled("Sign in first: opening the sign-in page…");
}

export function AdminSessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [prompting, setPrompting] = useState(false);
  const waiters = useRef<((ok: boolean) => void)[]>([]);

  const prompt = useCallback(
    () =>
      new Promise<boolean>((resolve) => {
        waiters.current.push(resolve);
        setPrompting(true);
      }),
    [],
  );

  /** The session as the server sees it now (an action asks first: the page's copy may be old, the session may have ended). */
  const status = useCallback(() => queryClient.fetchQuery({ ...sessionQuery(), staleTime: 0 }), [queryClient]);

  const ensureAdmin = useCallback(async () => {
    const s = await status();
    if (!s.authRequired || s.authenticated) return true;
    if (s.mode === "users") goSignIn();
    return prompt();
  }, [prompt, status]);

  const runAsAdmin = useCallback(
    async <T,>(action: () => Promise<T>): Promise<T> => {
      if (!(await ensureAdmin())) throw new ActionCancelled();
      try {
        return await action();
      } catch (e) {
        if (!(e instanceof ApiError && e.status === 401)) throw e;
        // signed out, or the session ended since the page loaded
        const s = await status().catch(() => null);
        if (s?.mode === "users" || (s === null && e.code !== "unauthorized:token")) goSignIn();
        if (!(await prompt())) throw new ActionCancelled();
        return action();
      }
    },
    [ensureAdmin, prompt, status],
  );

  const settle = (signedIn: SessionStatus | null) => {
    if (signedIn) queryClient.setQueryData(sessionKey(), signedIn);
    setPrompting(false);
    const ws = waiters.current;
    waiters.current = [];
    for (const w of ws) w(signedIn !== null);
  };

  return (
    <Ctx.Provider value={{ ensureAdmin, runAsAdmin }}>
      {children}
      <TokenDialog open={prompting} onDone={settle} />
    </Ctx.Provider>
  );
}

/** The one-time sign-in prompt: a labelled password field, errors shown in place. */
function TokenDialog({ open, onDone }: { open: boolean; onDone: (signedIn: SessionStatus | null) => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const [token, setToken] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      setToken("");
      setError(null);
      d.showModal();
    }
    if (!open && d.open) d.close();
  }, [open]);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const signedIn = await apiSend<SessionStatus>("/api/session", { token });
      setToken("");
      onDone(signedIn);
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? "That token is not right. Try again." : errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={`${id}-title`}
      onCancel={(e) => {
        e.preventDefault();
        onDone(null);
      }}
      data-testid="token-dialog"
    >
      <form onSubmit={submit}>
        <h2 id={`${id}-title`}>Admin token needed</h2>
        <p className="dialog-body">This server protects changes with an admin token. Enter it once; this browser stays signed in.</p>
        <label htmlFor={`${id}-token`}>Admin token</label>
        <input
          id={`${id}-token`}
          type="password"
          autoComplete="current-password"
          value={token}
          onChange={(e) => setToken(e.target.value)}
          required
          autoFocus
        />
        {error ? (
          <p className="error" role="alert">
            {error}
          </p>
        ) : null}
        <div className="dialog-actions">
          <button type="button" className="secondary" onClick={() => onDone(null)} disabled={busy}>
            Cancel
          </button>
          <button type="submit" disabled={busy || token.length === 0}>
            {busy ? "Signing in…" : "Sign in"}
          </button>
        </div>
      </form>
    </dialog>
  );
}
