"use client";

import { useQuery } from "@tanstack/react-query";
import { fmtDateTime } from "@/components/ui/format";
import { QueryState } from "@/components/ui/query-state";
import { quarantineQuery } from "@/lib/queries";
import type { QuarantineEntry } from "@/lib/queries/types";

function rawText(raw: unknown): string {
  let o = raw;
  if (typeof raw === "string") {
    try {
      o = JSON.parse(raw);
    } catch {
      return raw;
    }
  }
  if (o && typeof o === "object") return Object.entries(o as Record<string, unknown>).map(([k, v]) => `${k}=${v === "" || v == null ? "∅" : String(v)}`).join(", ");
  return String(raw ?? "");
}

/** Rows rejected at ingestion (the newest page of GET /api/diagnostics/quarantine), with file, row number, column and reason. */
export function QuarantineTable() {
  const q = useQuery(quarantineQuery());
  return <QueryState query={q} label="the quarantine">{({ rows, total }) => <QuarantineList rows={rows} total={total} />}</QueryState>;
}

function QuarantineList({ rows, total }: { rows: QuarantineEntry[]; total: number }) {
  return (
    <section className="card" aria-label="Quarantine" id="quarantine">
      <h2>
        Quarantine <span className="muted small">({total} rows{total > rows.length ? `, newest ${rows.length} shown` : ""})</span>
      </h2>
      {rows.length === 0 ? (
        <div className="empty">No rejected rows. Rows with a missing or invalid label, or a numeric feature that is not a number or outside its bounds, land here.</div>
      ) : (
        <div className="table-wrap scroll-y">
          <table data-testid="quarantine" className="stack-on-phone">
            <thead>
              <tr>
                <th>File</th>
                <th className="num">Row</th>
                <th>Column</th>
                <th>Problem</th>
                <th>Row as read</th>
                <th>When</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <td data-label="File">{r.dataset}</td>
                  <td className="num" data-label="Row">{r.row}</td>
                  <td data-label="Column">{r.column ?? "—"}</td>
                  <td className="wrap" data-label="Problem">{r.problem}</td>
                  <td className="mono wrap" data-label="Row as read">{rawText(r.raw)}</td>
                  <td data-label="When">{fmtDateTime(r.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
