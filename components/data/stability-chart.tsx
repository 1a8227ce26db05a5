"use client";

import { useQuery } from "@tanstack/react-query";
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartCard } from "@/components/ui/chart-card";
import { niceTicks, tickFormatter } from "@/components/ui/chart-utils";
import { fmtDateTime, fmtNum } from "@/components/ui/format";
import { QueryState } from "@/components/ui/query-state";
import { stabilityQuery } from "@/lib/queries";
import { shapeStability } from "./shape-stability";

export interface StabilityPoint {
  n: number;
  createdAt: string;
  rows: number;
  mean: number | null;
  median: number | null;
  std: number | null;
}

export interface StabilitySeries {
  column: string;
  points: StabilityPoint[];
  /** relative change of the mean against the previous snapshot, % */
  lastChangePct: number | null;
}

const COLORS = ["#2457c5", "#1f7a3a", "#a15c00", "#7a3bb4"];

/** The Data page's stability card: the snapshots of GET /api/diagnostics/stability, shaped per column. */
export function Stability() {
  const q = useQuery(stabilityQuery());
  return <QueryState query={q} label="the stability snapshots">{({ snapshots }) => <StabilityChart {...shapeStability(snapshots)} />}</QueryState>;
}

/** Mean per column across training-set snapshots: one small chart per column (their scales differ by orders of magnitude). */
function StabilityChart({ series, withoutMean }: { series: StabilitySeries[]; withoutMean: string[] }) {
  const count = series[0]?.points.length ?? 0;
  return (
    <ChartCard
      title="Stability: mean per column after each ingestion"
      testId="chart-stability"
      description={`One point per snapshot of the training set (after every ingestion); the figure on the right is the change of the mean against the previous snapshot.${withoutMean.length > 0 ? ` Categorical columns have no mean (${withoutMean.join(", ")}): their level shares are compared on the Drift page.` : ""}`}
      empty={count === 0 ? "No snapshots yet: one is taken after every ingestion." : null}
    >
      <div className="small-multiples">
        {series.map((s, i) => {
          const means = s.points.map((p) => p.mean).filter((m): m is number => m != null);
          const lo = Math.min(...means);
          const hi = Math.max(...means);
          const pad = (hi - lo) * 0.15 || Math.abs(hi) * 0.02 || 0.01;
          const ticks = niceTicks(lo - pad, hi + pad, 4);
          return (
          <figure key={s.column} className="multiple">
            <figcaption>
              <span>{s.column}</span>
              <span className={s.lastChangePct != null && Math.abs(s.lastChangePct) >= 5 ? "error" : "muted"}>
                {s.lastChangePct == null ? "" : `${s.lastChangePct >= 0 ? "+" : ""}${s.lastChangePct.toFixed(1)} %`}
              </span>
            </figcaption>
            <ResponsiveContainer width="100%" height={150}>
              <LineChart data={s.points} margin={{ top: 6, right: 10, bottom: 16, left: 0 }}>
                <CartesianGrid stroke="#e7ebf0" />
                <XAxis dataKey="n" tick={{ fontSize: 10 }} allowDecimals={false} label={{ value: "snapshot #", position: "insideBottom", offset: -8, fontSize: 10, fill: "#5b6673" }} />
                <YAxis domain={[ticks[0], ticks[ticks.length - 1]]} ticks={ticks} tick={{ fontSize: 10 }} width={48} tickFormatter={tickFormatter(ticks)} label={{ value: "mean", angle: -90, position: "insideLeft", fontSize: 10, fill: "#5b6673" }} />
                <Tooltip
                  formatter={(v) => (typeof v === "number" ? fmtNum(v, 3) : String(v))}
                  labelFormatter={(_, p) => {
                    const pt = p?.[0]?.payload as StabilityPoint | undefined;
                    return pt ? `snapshot ${pt.n} · ${pt.rows} rows · ${fmtDateTime(pt.createdAt)}` : "";
                  }}
                />
                <Line type="linear" dataKey="mean" name="mean" stroke={COLORS[i % COLORS.length]} strokeWidth={2} dot={{ r: 2 }} isAnimationActive={false} connectNulls />
              </LineChart>
            </ResponsiveContainer>
          </figure>
          );
        })}
      </div>
    </ChartCard>
  );
}
