"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ActionButton, type ActionResult } from "@/components/ui/action-button";
import { Badge } from "@/components/ui/badges";
import { fmtDateTime } from "@/components/ui/format";
import { QueryState } from "@/components/ui/query-state";
import { RelativeTime } from "@/components/ui/relative-time";
import { hasRole, type Role } from "@/lib/auth/roles";
import { apiSend } from "@/lib/queries/fetcher";
import { keysKey, keysQuery, usersKey, usersQuery } from "@/lib/queries/people";
import type { CreatedKey, KeyEntry, UserEntry } from "@/lib/queries/types";
import { FormError, OneTimeSecret, useAdminForm } from "./admin-only";
import { RoleSelect } from "./people-admin";

/*
 * API keys (GET /api/keys, POST /api/users/{id}/keys, DELETE /api/keys/{id}): a script's way in,
 * as `Authorization: Bearer <key>`. A key belongs to a user and has at most their role; the key
 * itself is shown once, at creation; a revoked key is refused at its next request.
 */

const STATUS_TONE = { active: "ok", revoked: "bad", expired: "muted", "user-disabled": "muted" } as const;

function useAfterKeyChange() {
  const queryClient = useQueryClient();
  // the users' "active keys" count changes with them
  return () => Promise.all([queryClient.invalidateQueries({ queryKey: keysKey() }), queryClient.invalidateQueries({ queryKey: usersKey() })]);
}

export function KeysCard() {
  const q = useQuery(keysQuery());
  const [created, setCreated] = useState<CreatedKey | null>(null);
  const [notice, setNotice] = useState<ActionResult>(null);
  return (
    <section className="card" aria-labelledby="keys-title" data-testid="api-keys">
      <h2 id="keys-title">API keys</h2>
      <p className="small muted">
        For scripts and other services: send the key as <code>Authorization: Bearer &lt;key&gt;</code>. A key acts as its user, with at most the user&apos;s role.
      </p>
      <NewKeyForm onCreated={setCreated} />
      {created ? (
        <OneTimeSecret title={`API key “${created.apiKey.name}” of ${created.apiKey.userName} (${created.apiKey.role})`} secret={created.key} testId="new-key" onDismiss={() => setCreated(null)}>
          Store it where the script reads its secrets; the server keeps only a hash of it.
        </OneTimeSecret>
      ) : null}
      {notice ? (
        <p className={`notice ${notice.tone}`} role={notice.tone === "ok" ? "status" : "alert"} data-testid="keys-notice">
          {notice.message}
        </p>
      ) : null}
      <QueryState query={q} label="the API keys">
        {({ keys }) => <KeysTable keys={keys} onResult={setNotice} />}
      </QueryState>
    </section>
  );
}

/** The end of the chosen day, in the browser's time zone, as the API's ISO date-time. */
function endOfDay(date: string): string | undefined {
  if (!date) return undefined;
  const d = new Date(`${date}T23:59:59`);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

function NewKeyForm({ onCreated }: { onCreated: (created: CreatedKey) => void }) {
  const users = (useQuery(usersQuery()).data?.users ?? []).filter((u) => !u.disabled);
  const after = useAfterKeyChange();
  const [userId, setUserId] = useState<number | null>(null);
  const [name, setName] = useState("");
  // null: the user's own role
  const [roleChoice, setRoleChoice] = useState<Role | null>(null);
  const [expires, setExpires] = useState("");
  const { busy, error, submit: send } = useAdminForm();
  const user: UserEntry | undefined = users.find((u) => u.id === userId) ?? users[0];
  // a key has at most its user's role
  const role: Role = user && roleChoice && hasRole(user.role, roleChoice) ? roleChoice : (user?.role ?? "viewer");

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    if (!user) return;
    const expiresAt = endOfDay(expires);
    void send(
      () => apiSend<CreatedKey>(`/api/users/${user.id}/keys`, { name: name.trim(), role, ...(expiresAt ? { expiresAt } : {}) }),
      async (created) => {
        onCreated(created);
        setName("");
        setExpires("");
        await after();
      },
    );
  };
  return (
    <form className="inline-form" onSubmit={submit} aria-label="New API key" data-testid="new-key-form">
      <label className="field">
        User
        <select value={user?.id ?? ""} onChange={(e) => {
            setUserId(Number(e.target.value));
            setRoleChoice(null);
          }} disabled={busy || users.length === 0}>
          {users.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name} ({u.role})
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        Key name (what it is for)
        <input type="text" value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} placeholder="e.g. nightly-export" autoComplete="off" disabled={busy} />
      </label>
      <label className="field">
        Key role
        <RoleSelect value={role} onChange={setRoleChoice} max={user?.role ?? "viewer"} disabled={busy || !user} />
      </label>
      <label className="field">
        Expires (optional)
        <input type="date" value={expires} onChange={(e) => setExpires(e.target.value)} min={new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)} disabled={busy} />
      </label>
      <button type="submit" disabled={busy || !user || name.trim() === ""}>
        {busy ? "Creating…" : "Create key"}
      </button>
      <FormError error={error} />
    </form>
  );
}

function KeysTable({ keys, onResult }: { keys: KeyEntry[]; onResult: (r: ActionResult) => void }) {
  const after = useAfterKeyChange();
  if (keys.length === 0) return <div className="empty">No API keys yet.</div>;
  return (
    <div className="table-wrap">
      <table className="stack-on-phone" data-testid="keys-table">
        <thead>
          <tr>
            <th>User</th>
            <th>Name</th>
            <th>Key</th>
            <th>Role</th>
            <th>Created</th>
            <th>Last used</th>
            <th>Expires</th>
            <th>Status</th>
            <th>Actions</th>
          </tr>
        </thead>
        <tbody>
          {keys.map((k) => (
            <tr key={k.id} data-testid={`key-${k.name}`}>
              <td data-label="User">{k.userName}</td>
              <td data-label="Name">{k.name}</td>
              <td data-label="Key">
                <code>{k.prefix}…</code>
              </td>
              <td data-label="Role">{k.role}</td>
              <td data-label="Created">{fmtDateTime(k.createdAt)}</td>
              <td data-label="Last used">{k.lastUsedAt ? <RelativeTime iso={k.lastUsedAt} /> : <span className="muted">never</span>}</td>
              <td data-label="Expires">{k.expiresAt ? fmtDateTime(k.expiresAt) : <span className="muted">never</span>}</td>
              <td data-label="Status">
                <Badge tone={STATUS_TONE[k.status]}>{k.status}</Badge>
              </td>
              <td data-label="">
                {k.status === "active" ? (
                  <ActionButton
                    label="Revoke"
                    secondary
                    tone="danger"
                    needs="admin"
                    title={`Revoke the key “${k.name}” of ${k.userName}?`}
                    description={`Every request with ${k.prefix}… is refused (401) from now on. This cannot be undone: make a new key if it is needed again.`}
                    confirmLabel="Revoke"
                    action={() => apiSend<{ key: KeyEntry }>(`/api/keys/${k.id}`, undefined, "DELETE")}
                    successMessage={(r) => `Revoked ${r.key.name} (${r.key.prefix}…) of ${r.key.userName}.`}
                    onSuccess={() => void after()}
                    onResult={onResult}
                    testId={`revoke-${k.name}`}
                  />
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
