"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Bar, BarChart, CartesianGrid, LabelList, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { CheckBadge, RunBadge } from "@/components/ui/badges";
import { ChartCard } from "@/components/ui/chart-card";
import { fmtDateTime, fmtMs, fmtScore } from "@/components/ui/format";
import { QueryState } from "@/components/ui/query-state";
import { driftQuery, runQuery } from "@/lib/queries";
import type { DriftCheck, Run } from "@/lib/queries/types";
import { SCORE_CHECK_IDS as SCORE_CHECKS } from "@/lib/vocabulary";
import { ReasonList } from "./reason-list";
import { RunSteps } from "./run-steps";
import { runDurationMs } from "./runs-panel";

export function RunDetail({ id }: { id: number }) {
  const q = useQuery(runQuery(id));
  const drift = useQuery(driftQuery());
  return (
    <QueryState query={q} label={`run ${id}`}>
      {(run) => {
        const check = drift.data?.checks.find((c) => c.runId === run.id);
        return (
          <>
            <RunStats run={run} />
            <section className="card" aria-label="Reason">
              <h2>Why</h2>
              {run.reason ? (
                <ReasonList reason={run.reason} testId="run-reason" />
              ) : (
                <p className="reason" data-testid="run-reason">
                  {run.status === "running" ? "The run is still in progress." : "No reason was recorded."}
                </p>
              )}
            </section>
            <section className="card" aria-label="Steps">
              <h2>Steps</h2>
              {run.steps.length === 0 && run.status !== "running" ? <div className="empty">No step was recorded.</div> : <RunSteps run={run} />}
            </section>
            <StepTimesChart run={run} />
            <RunDriftChecks runId={run.id} check={check} driftFailed={drift.isError} />
            {run.status === "failed" && run.error ? (
              <section className="card error-panel" role="alert">
                <strong>Error</strong>
                <p>{run.error}</p>
              </section>
            ) : null}
          </>
        );
      }}
    </QueryState>
  );
}

function RunStats({ run }: { run: Run }) {
  return (
    <div className="grid">
      <div className="card stat">
        <div className="label">Outcome</div>
        <div className="value">
          <RunBadge run={run} />
        </div>
        <div className="sub">
          trigger: {run.trigger} · by {run.actor ?? "—"}
        </div>
      </div>
      <div className="card stat">
        <div className="label">Started</div>
        <div className="value small-value">{fmtDateTime(run.startedAt)}</div>
        <div className="sub">{run.finishedAt ? `finished ${fmtDateTime(run.finishedAt)}` : "still running"}</div>
      </div>
      <div className="card stat">
        <div className="label">Duration</div>
        <div className="value">{fmtMs(runDurationMs(run))}</div>
        <div className="sub">{run.steps.length} steps</div>
      </div>
    </div>
  );
}

/** Seconds spent in each step of the run, one bar per step. */
function StepTimesChart({ run }: { run: Run }) {
  const stepData = run.steps.map((s, i) => ({ step: s.name, key: `${i + 1}. ${s.name}`, seconds: s.ms / 1000 }));
  return (
    <ChartCard title="Time per step" testId="chart-run-detail" description="Seconds spent in each step of this run." empty={stepData.length === 0 ? "No finished steps yet." : null}>
      <ResponsiveContainer width="100%" height={Math.max(120, 40 * stepData.length + 40)}>
        <BarChart data={stepData} layout="vertical" margin={{ top: 4, right: 64, bottom: 18, left: 8 }}>
          <CartesianGrid stroke="#e7ebf0" horizontal={false} />
          <XAxis type="number" tick={{ fontSize: 11 }} unit=" s" label={{ value: "seconds", position: "insideBottom", offset: -10, fontSize: 12, fill: "#5b6673" }} />
          <YAxis type="category" dataKey="key" width={150} tick={{ fontSize: 11 }} />
          <Tooltip formatter={(v) => (typeof v === "number" ? `${v.toFixed(3)} s` : String(v))} />
          <Bar dataKey="seconds" name="seconds" fill="#2457c5" isAnimationActive={false} minPointSize={2}>
            <LabelList dataKey="seconds" position="right" formatter={(v: unknown) => (typeof v === "number" ? `${v.toFixed(2)} s` : "")} style={{ fontSize: 11 }} />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </ChartCard>
  );
}

/** The score checks of the run's drift check, if it recorded one. */
function RunDriftChecks({ runId, check, driftFailed }: { runId: number; check: DriftCheck | undefined; driftFailed: boolean }) {
  return (
    <section className="card" aria-label="Drift checks of this run">
      <h2>Drift checks of this run</h2>
      {check ? (
        <>
          <p>
            New score <strong>{fmtScore(check.newScore, 4)}</strong> for model v{check.modelVersion}; retrain {check.triggered ? "triggered" : "not triggered"}.{" "}
            <Link href={`/drift?run=${runId}`}>Feature drift of this run →</Link>
          </p>
          <ul className="inline-list">
            {SCORE_CHECKS.map((id) => (
              <li key={id}>
                {id}: <CheckBadge check={check.score[id]} />
              </li>
            ))}
          </ul>
        </>
      ) : (
        <div className="empty">{driftFailed ? "The drift history could not be loaded." : "This run recorded no drift check (no new data, or it stopped before)."}</div>
      )}
    </section>
  );
}
