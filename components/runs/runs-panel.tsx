"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ActionButton } from "@/components/ui/action-button";
import { RunBadge } from "@/components/ui/badges";
import { ChartCard } from "@/components/ui/chart-card";
import { legendText, stepColor } from "@/components/ui/chart-utils";
import { fmtDateTime, fmtMs } from "@/components/ui/format";
import { QueryState } from "@/components/ui/query-state";
import { qk, runQuery, runsQuery } from "@/lib/queries";
import { apiSend } from "@/lib/queries/fetcher";
import type { Run, RunStarted } from "@/lib/queries/types";
import { ReasonList } from "./reason-list";
import { RunSteps } from "./run-steps";
import { shapeRunDurations } from "./shape-run-durations";

export function runDurationMs(r: Run): number | null {
  if (!r.finishedAt) return null;
  return new Date(r.finishedAt).getTime() - new Date(r.startedAt).getTime();
}

/** "Run now": starts the full process, then follows it step by step until it finishes. */
export function RunNow() {
  const [runId, setRunId] = useState<number | null>(null);
  return (
    <section className="card" aria-label="Run the full process">
      <div className="card-head">
        <h2>Full process</h2>
        <ActionButton
          label="Run now"
          testId="run-now"
          title="Start the full process now?"
          description="Ingests new files from the source folder, scores the deployed model on them, checks for drift, and retrains and redeploys only if the checks say so. Only one run can run at a time."
          confirmLabel="Start run"
          action={() => apiSend<RunStarted>("/api/runs", { trigger: "ui" })}
          successMessage={(r) => `Run #${r.run.id} started.`}
          onSuccess={(r) => setRunId(r.run.id)}
        />
      </div>
      {runId != null ? <LiveRun id={runId} /> : <p className="muted small">Start a run to follow its steps here as they happen.</p>}
    </section>
  );
}

function LiveRun({ id }: { id: number }) {
  const q = useQuery(runQuery(id));
  const queryClient = useQueryClient();
  const finished = q.data != null && q.data.status !== "running";
  const done = useRef(false);
  useEffect(() => {
    if (finished && !done.current) {
      done.current = true;
      void queryClient.invalidateQueries({ queryKey: qk.all });
    }
  }, [finished, queryClient]);
  return (
    <div className="live-run" data-testid="live-run">
      <QueryState query={q} label={`run ${id}`}>
        {(run) => (
          <>
            <p>
              <Link href={`/runs/${run.id}`}>Run #{run.id}</Link> <RunBadge run={run} />{" "}
              {run.status === "running" ? <span className="muted small">polling every second…</span> : <span className="muted small">took {fmtMs(runDurationMs(run))}</span>}
            </p>
            <RunSteps run={run} />
            {run.reason ? (
              <div data-testid="live-run-reason">
                <strong>Why:</strong>
                <ReasonList reason={run.reason} />
              </div>
            ) : null}
          </>
        )}
      </QueryState>
    </div>
  );
}

export function RunsTable() {
  const q = useQuery(runsQuery());
  return (
    <QueryState query={q} label="the run history">
      {({ runs }) => (
        <>
          <RunDurationsChart runs={runs} />
          <section className="card" aria-label="Run history">
            <h2>Run history</h2>
            {runs.length === 0 ? (
              <div className="empty">No runs yet. “Run now” starts one; cron or the scheduler start them too.</div>
            ) : (
              <div className="table-wrap">
                <table data-testid="runs-table" className="stack-on-phone">
                  <thead>
                    <tr>
                      <th>Run</th>
                      <th>Started</th>
                      <th>Trigger</th>
                      <th>By</th>
                      <th>Outcome</th>
                      <th className="num">Duration</th>
                      <th>Reason</th>
                    </tr>
                  </thead>
                  <tbody>
                    {runs.map((r) => (
                      <tr key={r.id}>
                        <td data-label="Run">
                          <Link href={`/runs/${r.id}`}>#{r.id}</Link>
                        </td>
                        <td data-label="Started">{fmtDateTime(r.startedAt)}</td>
                        <td data-label="Trigger">{r.trigger}</td>
                        <td data-label="By">{r.actor ?? "—"}</td>
                        <td data-label="Outcome">
                          <RunBadge run={r} />
                        </td>
                        <td className="num" data-label="Duration">{fmtMs(runDurationMs(r))}</td>
                        <td className="wrap reason-cell" data-label="Reason">{r.reason ? (r.reason.length > 240 ? `${r.reason.slice(0, 237)}…` : r.reason) : r.status === "running" ? "in progress…" : "—"}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        </>
      )}
    </QueryState>
  );
}

/** Time spent per step in the last 20 runs, stacked, by the period of data each run was about (run # when one has none). */
function RunDurationsChart({ runs }: { runs: Run[] }) {
  const { rows, steps, axis } = shapeRunDurations(runs);
  const data = rows.map((r) => ({ ...r.seconds, label: r.label, runId: r.runId, period: r.period }));
  return (
    <ChartCard
      title="Time per step in recent runs"
      testId="chart-run-steps"
      description={`Seconds spent in each step of the last 20 runs, ${axis.kind === "time" ? `by the period of data each run was about (oldest left, by ${axis.by})` : "oldest left (by run #: some runs were about no new rows, so have no period)"}.`}
      empty={rows.length === 0 || steps.length === 0 ? "No finished steps recorded yet." : null}
    >
      <ResponsiveContainer width="100%" height={240}>
        <BarChart data={data} margin={{ top: 8, right: 12, bottom: 18, left: 8 }}>
          <CartesianGrid stroke="#e7ebf0" vertical={false} />
          <XAxis dataKey="label" tick={{ fontSize: 11 }} interval="preserveStartEnd" label={{ value: axis.kind === "time" ? `period of the run's data (by ${axis.by})` : "run", position: "insideBottom", offset: -10, fontSize: 12, fill: "#5b6673" }} />
          <YAxis tick={{ fontSize: 11 }} width={48} unit=" s" label={{ value: "seconds", angle: -90, position: "insideLeft", fontSize: 12, fill: "#5b6673" }} />
          <Tooltip
            formatter={(v) => (typeof v === "number" ? `${v.toFixed(3)} s` : String(v))}
            labelFormatter={(_, payload) => {
              const row = payload?.[0]?.payload as { runId: number; period: string | null } | undefined;
              return row ? `run #${row.runId}${row.period ? ` · data of ${row.period}` : ""}` : "";
            }}
          />
          <Legend verticalAlign="top" wrapperStyle={{ fontSize: 12, paddingBottom: 6 }} formatter={legendText} />
          {steps.map((s, i) => (
            <Bar key={s} dataKey={s} stackId="steps" fill={stepColor(s, i)} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </ChartCard>
  );
}
