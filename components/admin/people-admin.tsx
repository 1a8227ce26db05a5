"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { withArticle } from "@/components/auth/access-of";
import { useAdminSession } from "@/components/auth/admin-session";
import { useAccess } from "@/components/auth/use-access";
import { ActionButton, type ActionResult } from "@/components/ui/action-button";
import { Badge } from "@/components/ui/badges";
import { QueryState } from "@/components/ui/query-state";
import { RelativeTime } from "@/components/ui/relative-time";
import { ROLES, type Role } from "@/lib/auth/roles";
import { apiSend, errorMessage } from "@/lib/queries/fetcher";
import { keysKey, usersKey, usersQuery } from "@/lib/queries/people";
import type { UserEntry, UserResponse, UserWithPassword } from "@/lib/queries/types";
import { FormError, OneTimeSecret, useAdminForm } from "./admin-only";

/*
 * People (GET/POST /api/users, PATCH /api/users/{id}, POST /api/users/{id}/password): who may
 * sign in, with which role. A new user, and a reset, get a one-time password shown once here:
 * the person's first sign-in replaces it with their own.
 */

type Shown = { name: string; password: string; reset: boolean } | null;

/** After a change to people: their list, and the keys (a disabled user's keys stop working). */
function useAfterPeopleChange() {
  const queryClient = useQueryClient();
  return () => Promise.all([queryClient.invalidateQueries({ queryKey: usersKey() }), queryClient.invalidateQueries({ queryKey: keysKey() })]);
}

export function PeopleCard() {
  const q = useQuery(usersQuery());
  const [shown, setShown] = useState<Shown>(null);
  const [notice, setNotice] = useState<ActionResult>(null);
  return (
    <section className="card" aria-labelledby="people-title" data-testid="people">
      <h2 id="people-title">People</h2>
      <p className="small muted">
        viewer: every page and predictions · operator: also upload, runs, train, deploy, roll back, checks · admin: also people, API keys, the audit trail and the set-up.
      </p>
      <AddUserForm onAdded={(r) => setShown({ name: r.user.name, password: r.password, reset: false })} />
      {shown ? (
        <OneTimeSecret title={`${shown.reset ? "New one-time password" : "One-time password"} for ${shown.name}`} secret={shown.password} testId="one-time-password" onDismiss={() => setShown(null)}>
          Give it to {shown.name} by a safe way (not the same channel as the name). Their first sign-in on /signin asks them to choose their own password, and this one stops working.
        </OneTimeSecret>
      ) : null}
      {notice ? (
        <p className={`notice ${notice.tone}`} role={notice.tone === "ok" ? "status" : "alert"} data-testid="people-notice">
          {notice.message}
        </p>
      ) : null}
      <QueryState query={q} label="the people">
        {({ users }) => <UsersTable users={users} onReset={(u, password) => setShown({ name: u.name, password, reset: true })} onResult={setNotice} />}
      </QueryState>
    </section>
  );
}

function AddUserForm({ onAdded }: { onAdded: (created: UserWithPassword) => void }) {
  const after = useAfterPeopleChange();
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("viewer");
  const { busy, error, submit: send } = useAdminForm();
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    void send(
      () => apiSend<UserWithPassword>("/api/users", { name: name.trim(), role }),
      async (created) => {
        onAdded(created);
        setName("");
        await after();
      },
    );
  };
  return (
    <form className="inline-form" onSubmit={submit} aria-label="Add a user" data-testid="add-user">
      <label className="field">
        Name of the new user
        <input type="text" value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} autoComplete="off" placeholder="e.g. alice or alice@example.com" disabled={busy} />
      </label>
      <label className="field">
        Role
        <RoleSelect value={role} onChange={setRole} disabled={busy} />
      </label>
      <button type="submit" disabled={busy || name.trim() === ""}>
        {busy ? "Adding…" : "Add user"}
      </button>
      <FormError error={error} />
    </form>
  );
}

export function RoleSelect({ value, onChange, disabled, max, label }: { value: Role; onChange: (role: Role) => void; disabled?: boolean; max?: Role; label?: string }) {
  const allowed = max ? ROLES.slice(0, ROLES.indexOf(max) + 1) : ROLES;
  return (
    <select value={value} onChange={(e) => onChange(e.target.value as Role)} disabled={disabled} aria-label={label}>
      {allowed.map((r) => (
        <option key={r} value={r}>
          {r}
        </option>
      ))}
    </select>
  );
}

function UsersTable({ users, onReset, onResult }: { users: UserEntry[]; onReset: (u: UserEntry, password: string) => void; onResult: (r: ActionResult) => void }) {
  if (users.length === 0) return <div className="empty">No users yet: add the first admin above (or with npm run users -- add NAME --role admin).</div>;
  return (
    <div className="table-wrap">
      <table className="stack-on-phone" data-testid="users-table">
        <thead>
          <tr>
            <th>Name</th>
            <th>Role</th>
            <th>State</th>
            <th>Last sign-in</th>
            <th className="num">Active keys</th>
            <th>Actions</th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <UserRow key={u.id} user={u} onReset={onReset} onResult={onResult} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function UserState({ user: u }: { user: UserEntry }) {
  if (u.disabled) return <Badge tone="bad">disabled</Badge>;
  if (u.mustChangePassword) return <Badge tone="warn" title="Has not signed in since the password was set: the first sign-in chooses their own">one-time password</Badge>;
  return <Badge tone="ok">active</Badge>;
}

function UserRow({ user: u, onReset, onResult }: { user: UserEntry; onReset: (u: UserEntry, password: string) => void; onResult: (r: ActionResult) => void }) {
  const { runAsAdmin } = useAdminSession();
  const me = useAccess().user;
  const after = useAfterPeopleChange();
  const [busy, setBusy] = useState(false);
  const changeRole = async (role: Role) => {
    setBusy(true);
    onResult(null);
    try {
      const r = await runAsAdmin(() => apiSend<UserResponse>(`/api/users/${u.id}`, { role }, "PATCH"));
      onResult({ tone: "ok", message: `${r.user.name} is now ${withArticle(r.user.role)}.` });
    } catch (e) {
      onResult({ tone: "bad", message: errorMessage(e) });
    } finally {
      setBusy(false);
      await after();
    }
  };
  return (
    <tr data-testid={`user-${u.name}`}>
      <td data-label="Name">
        <strong>{u.name}</strong> {me?.id === u.id ? <Badge tone="info">you</Badge> : null} {u.fromProxy ? <Badge tone="muted">via proxy</Badge> : null}
      </td>
      <td data-label="Role">
        <RoleSelect value={u.role} onChange={(r) => void changeRole(r)} disabled={busy} label={`Role of ${u.name}`} />
      </td>
      <td data-label="State">
        <UserState user={u} />
      </td>
      <td data-label="Last sign-in">{u.lastSignInAt ? <RelativeTime iso={u.lastSignInAt} /> : <span className="muted">never</span>}</td>
      <td className="num" data-label="Active keys">{u.activeKeys}</td>
      <td data-label="">
        <span className="row-actions">
          <ActionButton
            label={u.disabled ? "Enable" : "Disable"}
            secondary
            tone={u.disabled ? "primary" : "danger"}
            needs="admin"
            title={`${u.disabled ? "Enable" : "Disable"} ${u.name}?`}
            description={u.disabled ? `${u.name} can sign in again, and their API keys work again.` : `${u.name} is signed out at once, cannot sign in, and their API keys stop working until you enable them again.`}
            confirmLabel={u.disabled ? "Enable" : "Disable"}
            action={() => apiSend<UserResponse>(`/api/users/${u.id}`, { disabled: !u.disabled }, "PATCH")}
            successMessage={(r) => `${r.user.name} is ${r.user.disabled ? "disabled" : "enabled"}.`}
            onSuccess={() => void after()}
            onResult={onResult}
            testId={`toggle-${u.name}`}
          />
          {u.fromProxy ? null : (
            <ActionButton
              label="Reset password"
              secondary
              needs="admin"
              title={`Reset the password of ${u.name}?`}
              description={`${u.name} gets a new one-time password (shown once, here) and is signed out everywhere. Their API keys keep working.`}
              confirmLabel="Reset password"
              action={() => apiSend<UserWithPassword>(`/api/users/${u.id}/password`, {})}
              successMessage={(r) => `New one-time password for ${r.user.name} above.`}
              onSuccess={(r) => {
                onReset(r.user, r.password);
                void after();
              }}
              onResult={onResult}
              testId={`reset-${u.name}`}
            />
          )}
        </span>
      </td>
    </tr>
  );
}
