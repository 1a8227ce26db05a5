"use client";

import Link from "next/link";
import { useId, useState } from "react";
import { ApiError, apiSend, errorMessage } from "@/lib/queries/fetcher";
import type { SessionStatus } from "@/lib/queries/types";
import { safeNext } from "./next-path";
import { useAccess } from "./use-access";

/*
 * The sign-in page's form (POST /api/session with a name and a password). A user an admin has
 * just added has a one-time password: the server answers 403 forbidden:password_change, and the
 * form asks for the person's own password, then sends both. On success, a full page load of
 * `next` (a path of this site) or the Overview, so every page renders as the signed-in person.
 */

/** The server's rules (lib/auth/passwords.ts), said before it is asked. */
const MIN_LENGTH = 12;

function passwordProblems(name: string, password: string, repeat: string): string[] {
  const problems: string[] = [];
  if (password.length < MIN_LENGTH) problems.push(`The new password must be at least ${MIN_LENGTH} characters.`);
  const local = name.split("@")[0];
  const lower = password.toLowerCase();
  if ((name.length >= 3 && lower.includes(name.toLowerCase())) || (local.length >= 3 && lower.includes(local.toLowerCase()))) {
    problems.push("The new password must not contain your name.");
  }
  if (password !== repeat) problems.push("The two new passwords are not the same.");
  return problems;
}

/** What a refused sign-in says in place: the server's words, except where a plainer one fits. */
function signInError(e: unknown): string {
  if (e instanceof ApiError && e.code === "unauthorized:credentials") return "The name or the password is wrong (or this user is disabled). Check both and try again.";
  return errorMessage(e);
}

export function SignInForm({ next }: { next: string | null }) {
  const { mode, user } = useAccess();
  return (
    <div className="signin">
      <h1>Sign in</h1>
      <p className="muted small">Dynamic Risk Assessment keeps the client-attrition model honest: its scores, drift, data and runs. Sign in with the name and password an admin gave you.</p>
      {user ? (
        <p className="notice ok" role="status" data-testid="signin-current">
          You are signed in as <strong>{user.name}</strong> ({user.role}). <Link href={safeNext(next)}>Continue</Link>, or sign in as someone else below.
        </p>
      ) : null}
      {mode === "open" ? (
        <p className="notice warn" role="status">
          This server has no users yet: anyone can use it without signing in. Add the first admin with <code>npm run users -- add NAME --role admin</code>. <Link href="/">Go to the Overview</Link>
        </p>
      ) : mode === "token" ? (
        <p className="notice warn" role="status">
          This server has no users: reading needs nothing, and a change asks for its admin token. <Link href="/">Go to the Overview</Link>
        </p>
      ) : (
        <SignInSteps next={next} />
      )}
    </div>
  );
}

function SignInSteps({ next }: { next: string | null }) {
  const id = useId();
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [newPassword, setNewPassword] = useState("");
  const [repeat, setRepeat] = useState("");
  // "choose": the password was a one-time password; the person picks their own
  const [step, setStep] = useState<"credentials" | "choose">("credentials");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const send = async (body: { name: string; password: string; newPassword?: string }) => {
    setBusy(true);
    setError(null);
    try {
      await apiSend<SessionStatus>("/api/session", body);
      window.location.assign(safeNext(next));
    } catch (e) {
      setBusy(false);
      if (e instanceof ApiError && e.code === "forbidden:password_change") {
        setStep("choose");
        return;
      }
      setError(signInError(e));
    }
  };

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    if (step === "credentials") return void send({ name: name.trim(), password });
    const problems = passwordProblems(name.trim(), newPassword, repeat);
    if (problems.length > 0) return setError(problems.join(" "));
    void send({ name: name.trim(), password, newPassword });
  };

  return (
    <form className="card signin-card" onSubmit={submit} aria-labelledby={`${id}-title`} data-testid="signin-form">
      {step === "credentials" ? (
        <>
          <h2 id={`${id}-title`}>Your name and password</h2>
          <label className="field">
            Name
            <input type="text" name="username" autoComplete="username" value={name} onChange={(e) => setName(e.target.value)} required autoFocus disabled={busy} />
          </label>
          <label className="field">
            Password
            <input type="password" name="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required disabled={busy} />
          </label>
        </>
      ) : (
        <ChoosePassword id={id} name={name.trim()} newPassword={newPassword} repeat={repeat} setNewPassword={setNewPassword} setRepeat={setRepeat} busy={busy} />
      )}
      {error ? (
        <p className="error-panel" role="alert" data-testid="signin-error">
          {error}
        </p>
      ) : null}
      <div className="form-row">
        <button type="submit" disabled={busy}>
          {busy ? "Signing in…" : step === "credentials" ? "Sign in" : "Save password and sign in"}
        </button>
        {step === "choose" ? (
          <button
            type="button"
            className="secondary"
            disabled={busy}
            onClick={() => {
              setStep("credentials");
              setError(null);
            }}
          >
            Back
          </button>
        ) : null}
      </div>
      {step === "credentials" ? <p className="small muted">No account yet, or forgot the password? An admin adds people and resets passwords on the People page.</p> : null}
    </form>
  );
}

function ChoosePassword(props: {
  id: string;
  name: string;
  newPassword: string;
  repeat: string;
  setNewPassword: (v: string) => void;
  setRepeat: (v: string) => void;
  busy: boolean;
}) {
  const { id, name, newPassword, repeat, busy } = props;
  const local = name.split("@")[0];
  return (
    <>
      <h2 id={`${id}-title`}>Choose your password</h2>
      <p className="small" data-testid="signin-choose">
        <strong>{name}</strong> has a one-time password, given by an admin. Choose your own now: from then on only yours works.
      </p>
      <ul className="small password-rules" id={`${id}-rules`}>
        <li>at least {MIN_LENGTH} characters (a few words make a good one)</li>
        <li>
          must not contain your name ({local.length >= 3 && local !== name ? `${name} or ${local}` : name})
        </li>
      </ul>
      {/* the name, for password managers that store the new password under it */}
      <input type="text" name="username" autoComplete="username" value={name} readOnly hidden />
      <label className="field">
        New password
        <input type="password" autoComplete="new-password" value={newPassword} onChange={(e) => props.setNewPassword(e.target.value)} required aria-describedby={`${id}-rules`} autoFocus disabled={busy} />
      </label>
      <label className="field">
        Repeat the new password
        <input type="password" autoComplete="new-password" value={repeat} onChange={(e) => props.setRepeat(e.target.value)} required disabled={busy} />
      </label>
    </>
  );
}
