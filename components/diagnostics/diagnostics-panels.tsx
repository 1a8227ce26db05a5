"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from "recharts";
import { ActionButton } from "@/components/ui/action-button";
import { Badge } from "@/components/ui/badges";
import { ChartCard } from "@/components/ui/chart-card";
import { legendText, stepColor } from "@/components/ui/chart-utils";
import { fmtDateTime, fmtMs } from "@/components/ui/format";
import { QueryState } from "@/components/ui/query-state";
import { diagnosticsQuery, qk, timingsQuery } from "@/lib/queries";
import { apiSend } from "@/lib/queries/fetcher";
import type { TimingEntry } from "@/lib/queries/types";
import { shapeLatency, shapePercentiles } from "./shape-timings";

function logDomain(values: number[]): [number, number] {
  const v = values.filter((x) => x > 0);
  if (v.length === 0) return [0.1, 1000];
  return [Math.min(...v) / 1.6, Math.max(...v) * 1.6];
}

function timeTick(span: number): (v: number) => string {
  return (v: number) => {
    const iso = new Date(v).toISOString();
    if (span < 3 * 3600_000) return iso.slice(11, 19);
    if (span < 2 * 86400_000) return iso.slice(11, 16);
    return `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
  };
}

/** Step latency over time: one line per step, log scale (steps range from milliseconds to seconds). */
export function LatencyChart() {
  const q = useQuery(timingsQuery());
  return <QueryState query={q} label="the step timings">{({ timings }) => <LatencyScatter timings={timings} />}</QueryState>;
}

function LatencyScatter({ timings }: { timings: TimingEntry[] }) {
  const series = shapeLatency(timings);
  const ts = series.flatMap((s) => s.points.map((p) => p.t));
  const t0 = ts.length ? Math.min(...ts) : 0;
  const t1 = ts.length ? Math.max(...ts) : 1;
  const pad = Math.max((t1 - t0) * 0.03, 1000);
  const span = t1 - t0;
  return (
    <ChartCard
      title="Step latency over time"
      testId="chart-latency"
      description="Every recorded step (runs, API calls, CLI, timing checks); one line per step. Log scale: steps range from milliseconds to seconds."
      empty={series.length === 0 ? "No step timings recorded yet: they appear after the first ingestion, training or prediction." : null}
    >
      <ResponsiveContainer width="100%" height={300}>
        <ScatterChart margin={{ top: 8, right: 16, bottom: 22, left: 8 }}>
          <CartesianGrid stroke="#e7ebf0" />
          <XAxis
            dataKey="t"
            type="number"
            scale="time"
            domain={[t0 - pad, t1 + pad]}
            tickFormatter={timeTick(span)}
            tickCount={6}
            tick={{ fontSize: 11 }}
            label={{ value: "time (UTC)", position: "insideBottom", offset: -12, fontSize: 12, fill: "#5b6673" }}
          />
          <YAxis
            dataKey="ms"
            type="number"
            scale="log"
            domain={logDomain(series.flatMap((s) => s.points.map((p) => p.ms)))}
            allowDataOverflow
            tickFormatter={(v: number) => fmtMs(v)}
            tick={{ fontSize: 11 }}
            width={64}
            label={{ value: "duration (log)", angle: -90, position: "insideLeft", fontSize: 12, fill: "#5b6673" }}
          />
          <Tooltip
            formatter={(v, name) => (name === "ms" || name === "duration" ? fmtMs(Number(v)) : typeof v === "number" && v > 1e12 ? fmtDateTime(new Date(v).toISOString()) : String(v))}
          />
          <Legend verticalAlign="top" height={30} wrapperStyle={{ fontSize: 12 }} formatter={legendText} />
          {series.map((s, i) => (
            <Scatter key={s.step} name={s.step} data={s.points} fill={stepColor(s.step, i)} line={{ stroke: stepColor(s.step, i), strokeWidth: 1.5 }} lineType="joint" isAnimationActive={false} />
          ))}
        </ScatterChart>
      </ResponsiveContainer>
    </ChartCard>
  );
}

/** p50 and p95 per step, as bars and a table. */
export function PercentilesCard() {
  const q = useQuery(diagnosticsQuery());
  const timings = useQuery(timingsQuery()).data?.timings ?? [];
  const queryClient = useQueryClient();
  const rows = shapePercentiles(q.data?.timings, timings);
  return (
    <ChartCard
      actions={
        <ActionButton
          label="Run timing check"
          secondary
          testId="timing-check"
          title="Run a timing check?"
          description="Times ingestion and training 3 times on a copy of the source data (the live data is not touched) and records the means. It takes a few seconds per iteration."
          confirmLabel="Run check"
          action={() => apiSend<{ timingCheck?: unknown }>("/api/diagnostics/timing-check", { iterations: 3 })}
          successMessage={() => "Timing check recorded."}
          onSuccess={async () => {
            await queryClient.invalidateQueries({ queryKey: qk.diagnostics() });
          }}
        />
      }
      title="p50 and p95 per step"
      testId="chart-percentiles"
      description={q.data ? "From /api/diagnostics." : "Computed from the recorded timings."}
      empty={rows.length === 0 ? "No step timings recorded yet." : null}
    >
      <div className="chart-and-table">
      <ResponsiveContainer width="100%" height={260}>
        <BarChart data={rows} margin={{ top: 8, right: 12, bottom: 18, left: 8 }}>
          <CartesianGrid stroke="#e7ebf0" vertical={false} />
          <XAxis dataKey="step" tick={{ fontSize: 11 }} interval={0} label={{ value: "step", position: "insideBottom", offset: -10, fontSize: 12, fill: "#5b6673" }} />
          <YAxis scale="log" domain={logDomain(rows.flatMap((r) => [r.p50Ms ?? 0, r.p95Ms ?? 0]))} allowDataOverflow tickFormatter={(v: number) => fmtMs(v)} tick={{ fontSize: 11 }} width={64} label={{ value: "duration (log)", angle: -90, position: "insideLeft", fontSize: 12, fill: "#5b6673" }} />
          <Tooltip formatter={(v) => fmtMs(Number(v))} />
          <Legend verticalAlign="top" height={26} wrapperStyle={{ fontSize: 12 }} formatter={legendText} />
          <Bar dataKey="p50Ms" name="p50" fill="#8fa8d8" isAnimationActive={false} />
          <Bar dataKey="p95Ms" name="p95" fill="#2457c5" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th>Step</th>
              <th className="num">Last</th>
              <th className="num">p50</th>
              <th className="num">p95</th>
              <th className="num">Count</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.step}>
                <td data-label="Step">{r.step}</td>
                <td className="num" data-label="Last">{fmtMs(r.lastMs)}</td>
                <td className="num" data-label="p50">{fmtMs(r.p50Ms)}</td>
                <td className="num" data-label="p95">{fmtMs(r.p95Ms)}</td>
                <td className="num" data-label="Count">{r.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      </div>
    </ChartCard>
  );
}

const STATUS_TONE = { current: "ok", outdated: "warn", unknown: "muted" } as const;
const STATUS_ORDER = { outdated: 0, unknown: 1, current: 2 } as const;

export function DependenciesCard() {
  const q = useQuery(diagnosticsQuery());
  const queryClient = useQueryClient();
  return (
    <section className="card" aria-label="Dependencies">
      <div className="card-head">
        <h2>Dependencies</h2>
        <ActionButton
          label="Check now"
          testId="check-dependencies"
          secondary
          title="Check the dependencies now?"
          description="Asks the npm registry for the latest version of every declared package (with a timeout; offline answers “unknown”). It can take a few seconds."
          confirmLabel="Check"
          action={() => apiSend<unknown>("/api/diagnostics/dependencies", {})}
          successMessage={() => "Checked."}
          onSuccess={async () => {
            await queryClient.invalidateQueries({ queryKey: qk.diagnostics() });
          }}
        />
      </div>
      <QueryState query={q} label="the dependency status">
        {(d) => (
          <>
            <p className="muted small">
              {(["outdated", "unknown", "current"] as const).map((s) => `${d.dependencies.filter((p) => p.status === s).length} ${s}`).join(" · ")} — last checked{" "}
              {d.dependenciesCheckedAt
                ? fmtDateTime(d.dependenciesCheckedAt)
                : d.dependencies.length
                  ? fmtDateTime(d.checkedAt)
                  : "never: press “Check now”"}
            </p>
            {d.dependencies.length === 0 ? (
              <div className="empty">No dependency check recorded yet.</div>
            ) : (
              <div className="table-wrap">
                <table data-testid="dependencies">
                  <thead>
                    <tr>
                      <th>Package</th>
                      <th>Status</th>
                      <th>Installed</th>
                      <th>Latest</th>
                      <th>Declared</th>
                    </tr>
                  </thead>
                  <tbody>
                    {[...d.dependencies].sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || a.name.localeCompare(b.name)).map((p) => (
                      <tr key={p.name}>
                        <td className="mono">{p.name}</td>
                        <td>
                          <Badge tone={STATUS_TONE[p.status]} title={p.reason ?? undefined}>
                            {p.status}
                          </Badge>
                        </td>
                        <td className="mono">{p.installed ?? "—"}</td>
                        <td className="mono">{p.latest ?? "—"}</td>
                        <td className="mono">{p.declared}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </>
        )}
      </QueryState>
    </section>
  );
}
