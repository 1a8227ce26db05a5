"use client";

import { useState, type ReactNode } from "react";
import { useAdminSession } from "@/components/auth/admin-session";
import { useRoleGate } from "@/components/auth/use-access";
import type { Role } from "@/lib/auth/roles";
import { errorMessage } from "@/lib/queries/fetcher";
import { ConfirmDialog } from "./confirm-dialog";

export type ActionResult = { tone: "ok" | "bad"; message: ReactNode } | null;

/**
 * A button that asks for confirmation in a dialog, signs in with the admin token when the
 * server needs it, runs the action and shows its result (or error) next to the button. With
 * people signed in, it is disabled for a role below `needs`, and says why.
 */
export function ActionButton<T>({
  label,
  title,
  description,
  confirmLabel,
  action,
  onSuccess,
  successMessage,
  tone = "primary",
  secondary,
  disabled,
  testId,
  onResult,
  needs = "operator",
  quietReason,
}: {
  label: string;
  title: string;
  description: ReactNode;
  confirmLabel: string;
  action: () => Promise<T>;
  onSuccess?: (result: T) => void;
  successMessage: (result: T) => ReactNode;
  tone?: "primary" | "danger";
  secondary?: boolean;
  disabled?: boolean;
  testId?: string;
  /** when given, the result is handed up (e.g. because this button disappears on success) instead of shown beside it */
  onResult?: (result: ActionResult) => void;
  /** the role the action needs (the route's role in lib/validations/routes.ts) */
  needs?: Role;
  /** a role too low is said in the button's title and description only (the page says it once, e.g. above a table of such buttons) */
  quietReason?: boolean;
}) {
  const { runAsAdmin } = useAdminSession();
  const gate = useRoleGate(needs);
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ActionResult>(null);

  const confirm = async () => {
    setBusy(true);
    setResult(null);
    try {
      const r = await runAsAdmin(action);
      const ok: ActionResult = { tone: "ok", message: successMessage(r) };
      if (onResult) onResult(ok);
      else setResult(ok);
      onSuccess?.(r);
    } catch (e) {
      const bad: ActionResult = { tone: "bad", message: errorMessage(e) };
      if (onResult) onResult(bad);
      else setResult(bad);
    } finally {
      setBusy(false);
      setOpen(false);
    }
  };

  return (
    <span className="action">
      <button
        type="button"
        className={[secondary ? "secondary" : "", tone === "danger" ? "danger" : ""].join(" ").trim() || undefined}
        onClick={() => setOpen(true)}
        disabled={disabled || busy || gate.denied}
        data-testid={testId}
        {...gate.describe}
      >
        {busy ? `${label}…` : label}
      </button>
      {gate.note && quietReason ? <span className="sr-only">{gate.note}</span> : gate.note}
      <ConfirmDialog open={open} title={title} confirmLabel={confirmLabel} busy={busy} tone={tone} onConfirm={confirm} onCancel={() => setOpen(false)}>
        {description}
      </ConfirmDialog>
      {result ? (
        <span className={`result ${result.tone}`} role={result.tone === "bad" ? "alert" : "status"}>
          {result.message}
        </span>
      ) : null}
    </span>
  );
}
