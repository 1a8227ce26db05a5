"use client";

import { useState, type ReactNode } from "react";
import { withArticle } from "@/components/auth/access-of";
import { useAdminSession } from "@/components/auth/admin-session";
import { useAccess } from "@/components/auth/use-access";
import { errorMessage } from "@/lib/queries/fetcher";

/** The admin's pages: their content for an admin (an open server's visitor is one), else what the page needs. */
export function AdminOnly({ children }: { children: ReactNode }) {
  const { role, mode, user } = useAccess();
  if (role === "admin") return <>{children}</>;
  return (
    <div className="error-panel" role="alert" data-testid="needs-admin">
      <strong>This page needs the admin role.</strong>
      <p>
        {user
          ? `You are signed in as ${user.name}, ${withArticle(user.role)}. Ask an admin if you need to manage people or read the audit trail.`
          : mode === "token"
            ? "This server protects changes with its admin token: an action on another page asks for it, and this page opens after that."
            : mode === "users"
              ? "Sign in as an admin to manage people and read the audit trail."
              : "Checking who you are…"}
      </p>
    </div>
  );
}

/**
 * A form of the admin's pages that sends one change: `submit(send, done)` runs `send` (signing in
 * first if needed), then `done` with its answer; `busy` meanwhile, and `error` (render it with
 * FormError) when it failed.
 */
export function useAdminForm() {
  const { runAsAdmin } = useAdminSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async <T,>(send: () => Promise<T>, done: (answer: T) => unknown) => {
    setBusy(true);
    setError(null);
    try {
      await done(await runAsAdmin(send));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, submit };
}

export function FormError({ error }: { error: string | null }) {
  return error ? (
    <p className="error-panel form-error" role="alert">
      {error}
    </p>
  ) : null;
}

/**
 * A secret shown once (a one-time password, an API key): a highlighted box with the value, a
 * copy button and what to do with it; it stays until dismissed, and is never shown again.
 */
export function OneTimeSecret({ title, secret, children, testId, onDismiss }: { title: string; secret: string; children: ReactNode; testId: string; onDismiss: () => void }) {
  const [copied, setCopied] = useState<"no" | "yes" | "failed">("no");
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied("yes");
    } catch {
      setCopied("failed");
    }
  };
  return (
    <div className="secret-box" role="status" data-testid={testId}>
      <strong>{title}</strong>
      <div className="secret-row">
        <code className="secret-value" data-testid={`${testId}-value`}>
          {secret}
        </code>
        <button type="button" className="secondary" onClick={() => void copy()}>
          {copied === "yes" ? "Copied" : "Copy"}
        </button>
      </div>
      <p className="small">
        {children} <strong>It is shown only this once</strong>: copy it now{copied === "failed" ? " (the browser refused the clipboard: select the text and copy it)" : ""}.
      </p>
      <button type="button" className="link-button" onClick={onDismiss}>
        I have copied it — hide
      </button>
    </div>
  );
}
