"use client";

import { createContext, useCallback, useContext, useEffect, useId, useRef, useState, type ReactNode } from "react";
import { ApiError, apiGet, apiSend, errorMessage } from "@/lib/queries/fetcher";
import type { SessionStatus } from "@/lib/queries/types";

/*
 * ADMIN_TOKEN in the browser: before an action, ask GET /api/session whether a token is
 * needed; if so, prompt once for it and POST it to /api/session, which sets an httpOnly
 * cookie (the token never sits in page state after that). Read-only pages never ask.
 */

interface AdminSession {
  /** Resolve true when actions may proceed (no token needed, or signed in), false if the user cancelled. */
  ensureAdmin: () => Promise<boolean>;
  /** Run an action; a 401 answer prompts for the token and retries once. */
  runAsAdmin: <T>(action: () => Promise<T>) => Promise<T>;
}

const Ctx = createContext<AdminSession | null>(null);

export class ActionCancelled extends Error {
  constructor() {
    super("Cancelled: the admin token is needed for this action.");
    this.name = "ActionCancelled";
  }
}

export function useAdminSession(): AdminSession {
  const ctx = useContext(Ctx);
  if (!ctx) throw new Error("useAdminSession must be used inside <AdminSessionProvider>");
  return ctx;
}

async function sessionStatus(): Promise<SessionStatus> {
  try {
    return await apiGet<SessionStatus>("/api/session");
  } catch (e) {
    // A server without the session route has no token to ask for.
    if (e instanceof ApiError && e.status === 404) return { authRequired: false, authenticated: true };
    throw e;
  }
}

export function AdminSessionProvider({ children }: { children: ReactNode }) {
  const [prompting, setPrompting] = useState(false);
  const waiters = useRef<((ok: boolean) => void)[]>([]);
  const known = useRef<SessionStatus | null>(null);

  const prompt = useCallback(
    () =>
      new Promise<boolean>((resolve) => {
        waiters.current.push(resolve);
        setPrompting(true);
      }),
    [],
  );

  const ensureAdmin = useCallback(async () => {
    if (known.current && (!known.current.authRequired || known.current.authenticated)) return true;
    const s = await sessionStatus();
    known.current = s;
    if (!s.authRequired || s.authenticated) return true;
    return prompt();
  }, [prompt]);

  const runAsAdmin = useCallback(
    async <T,>(action: () => Promise<T>): Promise<T> => {
      if (!(await ensureAdmin())) throw new ActionCancelled();
      try {
        return await action();
      } catch (e) {
        if (!(e instanceof ApiError && e.status === 401)) throw e;
        known.current = { authRequired: true, authenticated: false };
        if (!(await prompt())) throw new ActionCancelled();
        return action();
      }
    },
    [ensureAdmin, prompt],
  );

  const settle = (ok: boolean) => {
    if (ok) known.current = { authRequired: true, authenticated: true };
    setPrompting(false);
    const ws = waiters.current;
    waiters.current = [];
    for (const w of ws) w(ok);
  };

  return (
    <Ctx.Provider value={{ ensureAdmin, runAsAdmin }}>
      {children}
      <TokenDialog open={prompting} onDone={settle} />
    </Ctx.Provider>
  );
}

/** The one-time sign-in prompt: a labelled password field, errors shown in place. */
function TokenDialog({ open, onDone }: { open: boolean; onDone: (ok: boolean) => void }) {
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
      await apiSend("/api/session", { token });
      setToken("");
      onDone(true);
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
        onDone(false);
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
          <button type="button" className="secondary" onClick={() => onDone(false)} disabled={busy}>
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
