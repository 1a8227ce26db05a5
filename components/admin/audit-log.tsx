"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Badge } from "@/components/ui/badges";
import { fmtDateTime } from "@/components/ui/format";
import { QueryState } from "@/components/ui/query-state";
import { AUDIT_PAGE, auditQuery } from "@/lib/queries/people";
import type { AuditEvent } from "@/lib/queries/types";

/*
 * The audit trail (GET /api/audit), newest first, a page at a time: "Older" follows the answer's
 * nextCursor, "Newer" goes back a page, "Newest" to the top. Who did what, to what, from where,
 * and whether it was refused.
 */

/** An event's details in one line: `key: value` pairs, values as JSON where they are not text. */
function detailText(detail: AuditEvent["detail"]): string {
  return Object.entries(detail)
    .map(([k, v]) => `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`)
    .join(" · ");
}

export function AuditLog() {
  // the cursors of the pages above the one shown (empty: the newest page)
  const [cursors, setCursors] = useState<number[]>([]);
  const before = cursors.at(-1) ?? null;
  const q = useQuery(auditQuery(before));
  const page = cursors.length + 1;
  return (
    <section className="card" aria-labelledby="audit-title" data-testid="audit">
      <div className="card-head">
        <h2 id="audit-title">
          Audit trail <span className="muted small">(page {page}, {AUDIT_PAGE} events a page, newest first)</span>
        </h2>
        <div className="toolbar actions-bar">
          <button type="button" className="secondary" onClick={() => setCursors([])} disabled={cursors.length === 0}>
            Newest
          </button>
          <button type="button" className="secondary" onClick={() => setCursors((c) => c.slice(0, -1))} disabled={cursors.length === 0}>
            Newer
          </button>
          <button
            type="button"
            className="secondary"
            onClick={() => {
              const next = q.data?.nextCursor;
              if (next != null) setCursors((c) => [...c, next]);
            }}
            disabled={q.data?.nextCursor == null || q.isPlaceholderData}
            data-testid="audit-older"
          >
            Older
          </button>
        </div>
      </div>
      <QueryState query={q} label="the audit trail">
        {({ events }) => (events.length === 0 ? <div className="empty">Nothing recorded yet.</div> : <AuditTable events={events} />)}
      </QueryState>
    </section>
  );
}

function AuditTable({ events }: { events: AuditEvent[] }) {
  return (
    <div className="table-wrap">
      <table className="stack-on-phone" data-testid="audit-table">
        <thead>
          <tr>
            <th>Time</th>
            <th>Who</th>
            <th>Action</th>
            <th>Target</th>
            <th>Outcome</th>
            <th>Client</th>
            <th>Details</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.id} className={e.outcome === "refused" ? "refused" : undefined}>
              <td data-label="Time">{fmtDateTime(e.at)}</td>
              <td data-label="Who">
                {e.actor} <span className="muted small">{e.actorKind}</span>
              </td>
              <td data-label="Action">{e.action}</td>
              <td data-label="Target" className="wrap">{e.target ?? "—"}</td>
              <td data-label="Outcome">{e.outcome === "refused" ? <Badge tone="bad">refused</Badge> : <Badge tone="ok">ok</Badge>}</td>
              <td data-label="Client" className="mono">{e.client ?? "—"}</td>
              <td data-label="Details" className="wrap small muted">{detailText(e.detail) || "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
