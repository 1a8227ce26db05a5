"use client";

import { queryOptions, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { RunBadge } from "@/components/ui/badges";
import { QueryState } from "@/components/ui/query-state";
import { WithSchema } from "@/components/ui/use-schema";
import { qk } from "@/lib/queries";
import { apiGet } from "@/lib/queries/fetcher";
import type { SchemaResponse, SetupState } from "@/lib/queries/types";
import { SetupWizard } from "./setup-wizard";

const setupKey = ["api", "setup"] as const;
/** GET /api/setup, polled every second while a set-up runs. */
const setupQuery = () =>
  queryOptions({
    queryKey: setupKey,
    queryFn: ({ signal }) => apiGet<SetupState>("/api/setup", { signal }),
    refetchInterval: (q) => (q.state.data?.state === "running" ? 1000 : false),
  });

/**
 * The set-up page: with nothing stored, the wizard (file → columns → confirm); while a set-up
 * runs (or just ended), its progress; with a schema already stored, that schema, read-only.
 */
export function SetupPage() {
  const queryClient = useQueryClient();
  const q = useQuery(setupQuery());
  // a set-up this page saw running is followed to its end (then to the Overview); one that ended before is history
  const [watching, setWatching] = useState(false);
  useEffect(() => {
    if (q.data?.state === "running") setWatching(true);
  }, [q.data?.state]);
  return (
    <QueryState query={q} label="the set-up state">
      {(s) =>
        s.state === "running" || s.state === "failed" || (watching && s.state === "done") ? (
          <SetupProgress state={s} />
        ) : s.stored ? (
          <StoredSchema />
        ) : (
          <SetupWizard
            onStarted={(started) => {
              setWatching(true);
              queryClient.setQueryData(setupKey, started);
            }}
          />
        )
      }
    </QueryState>
  );
}

function SetupProgress({ state }: { state: SetupState }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const { done, total } = state.progress;
  const pct = total ? Math.round((100 * done) / total) : 0;
  useEffect(() => {
    if (state.state !== "done") return;
    void queryClient.invalidateQueries({ queryKey: qk.all }).then(() => router.push("/"));
  }, [state.state, queryClient, router]);
  return (
    <section className="card" aria-label="Set-up progress" data-testid="setup-progress">
      <h2>{state.state === "running" ? "Setting up…" : state.state === "done" ? "Set up: opening the Overview…" : "The set-up failed"}</h2>
      <p className="small muted">
        {state.file}
        {state.by ? `, replayed by ${state.by}` : ", as one period"}
      </p>
      <div className="progress-wrap">
        <div className="progress" role="progressbar" aria-label="Periods replayed" aria-valuemin={0} aria-valuemax={total ?? 0} aria-valuenow={done}>
          <div className="progress-fill" style={{ width: `${state.state === "done" ? 100 : pct}%` }} />
        </div>
        <span className="small" aria-live="polite">
          {total === null ? "counting the periods…" : `${done} of ${total} period${total === 1 ? "" : "s"}`}
        </span>
      </div>
      {state.state === "failed" ? (
        <div className="error-panel" role="alert" data-testid="setup-failed">
          <strong>The set-up stopped.</strong>
          <p>{state.message}</p>
          <p className="small">What was stored stays (see the Runs page). To start over with a corrected file, point DATABASE_URL at a new database file and restart.</p>
        </div>
      ) : (
        <p className="small">{state.message}</p>
      )}
      {state.runs.length > 0 ? (
        <ol className="small setup-runs">
          {state.runs.map((r) => (
            <li key={r.runId}>
              {state.periods.find((p) => p.key === r.period)?.label ?? r.period}: <RunBadge run={r} /> <Link href={`/runs/${r.runId}`}>run #{r.runId}</Link>
            </li>
          ))}
        </ol>
      ) : null}
    </section>
  );
}

/** A stored schema: read-only, with how to start over. */
function StoredSchema() {
  return (
    <WithSchema>
      {(schema: SchemaResponse) => (
        <section className="card" aria-label="The stored schema" data-testid="setup-stored">
          <h2>This database is set up</h2>
          <p className="small">
            Its schema is stored and every page is built from it; it cannot change. To set up other data, start over with a new database: point <code>DATABASE_URL</code> at a new file (e.g.{" "}
            <code>file:./data/other.db</code>) and restart the server.
          </p>
          <dl className="setup-schema">
            <dt>Label</dt>
            <dd>
              {schema.label} (“{schema.positive}” counts as 1, “{schema.negative}” as 0)
            </dd>
            <dt>Id</dt>
            <dd>{schema.id ?? "none (rows are keyed by their whole content)"}</dd>
            <dt>Time</dt>
            <dd>{schema.time ?? "none"}</dd>
          </dl>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>Feature</th>
                  <th>Type</th>
                  <th>Bounds</th>
                </tr>
              </thead>
              <tbody>
                {schema.features.map((f) => (
                  <tr key={f.name}>
                    <td>{f.name}</td>
                    <td>{f.type}</td>
                    <td className="small muted">{f.type === "numeric" ? [f.min != null ? `≥ ${f.min}` : null, f.max != null ? `≤ ${f.max}` : null].filter(Boolean).join(", ") || "none" : "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
    </WithSchema>
  );
}
