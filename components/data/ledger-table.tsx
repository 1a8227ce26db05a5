"use client";

import { useQuery } from "@tanstack/react-query";
import { Badge } from "@/components/ui/badges";
import { fmtDateTime, fmtInt } from "@/components/ui/format";
import { QueryState } from "@/components/ui/query-state";
import { datasetsQuery } from "@/lib/queries";

/** The ingestion ledger: one row per ingested file, newest first. */
export function LedgerTable() {
  const q = useQuery(datasetsQuery());
  return (
    <section className="card" aria-label="Ingestion ledger">
      <h2>Ingestion ledger</h2>
      <QueryState query={q} label="the ingestion ledger">
        {({ datasets }) =>
          datasets.length === 0 ? (
            <div className="empty">No files ingested yet. Upload CSVs above or drop them in the source folder and start a run.</div>
          ) : (
            <div className="table-wrap">
              <table data-testid="ledger" className="stack-on-phone">
                <thead>
                  <tr>
                    <th>File</th>
                    <th>Role</th>
                    <th className="num">Read</th>
                    <th className="num">Accepted</th>
                    <th className="num">Duplicates</th>
                    <th className="num">Rejected</th>
                    <th className="num">Imputed</th>
                    <th title="columns of the file that are not in the schema: read, not stored">Ignored columns</th>
                    <th>Ingested</th>
                    <th>sha256</th>
                  </tr>
                </thead>
                <tbody>
                  {[...datasets].reverse().map((d) => (
                    <tr key={d.id}>
                      <td data-label="File">{d.name}</td>
                      <td data-label="Role">
                        <Badge tone={d.role === "test" ? "info" : d.role === "upload" ? "warn" : "muted"}>{d.role}</Badge>
                      </td>
                      <td className="num" data-label="Read">{fmtInt(d.rowsRead)}</td>
                      <td className="num" data-label="Accepted">{fmtInt(d.rowsAccepted)}</td>
                      <td className="num" data-label="Duplicates">{fmtInt(d.duplicates)}</td>
                      <td className="num" data-label="Rejected">{d.rejected ? <span className="error">{fmtInt(d.rejected)}</span> : 0}</td>
                      <td className="num" data-label="Imputed">{fmtInt(d.imputed)}</td>
                      <td className="small" data-label="Ignored columns">
                        {d.ignoredColumns.length > 0 ? <span title="in the file, not in the schema: not stored">ignored: {d.ignoredColumns.join(", ")}</span> : <span className="muted">—</span>}
                      </td>
                      <td data-label="Ingested">{fmtDateTime(d.ingestedAt)}</td>
                      <td className="mono" data-label="sha256" title={d.sha256}>
                        {d.sha256.slice(0, 10)}…
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </QueryState>
    </section>
  );
}
