"use client";

import { useMemo } from "react";
import { CartesianGrid, ComposedChart, Line, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartCard } from "@/components/ui/chart-card";
import { niceTicks, tickFormatter } from "@/components/ui/chart-utils";
import { fmtNum, fmtP } from "@/components/ui/format";
import { periodTickFormatter, type PeriodAxis } from "@/components/ui/period-axis";
import { PeriodLines, periodTooltip } from "@/components/ui/period-tooltip";
import type { DriftCheck } from "@/lib/queries/types";
import { shapeFeatureDriftHistory, type FeatureDriftHistory, type FeatureDriftPoint } from "./shape-drift-history";

const COLORS = { primary: "#2457c5", psi: "#a15c00", drifted: "#b42318" };

/** A dot, red and larger where its method called the feature drifted. */
function DriftDot(flag: "primaryDrifted" | "psiDrifted", color: string) {
  function Dot({ cx, cy, payload }: { cx?: number; cy?: number; payload?: FeatureDriftPoint }) {
    if (cx == null || cy == null || !payload) return null;
    const drifted = payload[flag];
    return <circle cx={cx} cy={cy} r={drifted ? 4 : 2.5} fill={drifted ? COLORS.drifted : color} stroke="#fff" strokeWidth={drifted ? 1 : 0} data-drifted={drifted ? "true" : undefined} />;
  }
  return Dot;
}
const PrimaryDot = DriftDot("primaryDrifted", COLORS.primary);
const PsiDot = DriftDot("psiDrifted", COLORS.psi);

/** The hovered check: the period, rows and run, each method's figure and verdict. */
function driftHistoryTooltip(history: FeatureDriftHistory) {
  return periodTooltip<FeatureDriftPoint>((p, period) => (
    <>
      <strong>{history.feature}</strong>
      <PeriodLines period={period} rows={p.rows} runId={p.runId} />
      <div className={p.primaryDrifted ? "error" : undefined}>
        {history.primaryName} {fmtNum(p.primary, 3)}
        {p.chi2 ? ` · ${p.chi2}` : ""} · p {fmtP(p.pValue)}
        {p.primaryDrifted ? " · drifted" : ""}
      </div>
      <div className={p.psiDrifted ? "error" : undefined}>
        PSI {fmtNum(p.psi, 3)}
        {p.psiDrifted ? " · drifted" : ""}
      </div>
    </>
  ));
}

/** One feature's small chart: KS statistic or JS distance (left axis) and PSI (right axis) over periods. */
function FeatureDriftMultiple({ history, axis }: { history: FeatureDriftHistory; axis: PeriodAxis }) {
  const Tip = useMemo(() => driftHistoryTooltip(history), [history]);
  const left = niceTicks(0, Math.max(0.2, history.primaryMax) * 1.05, 3);
  const right = niceTicks(0, Math.max(0.3, history.psiMax) * 1.05, 3);
  return (
    <figure className="multiple" data-testid={`drift-history-${history.feature}`}>
      <figcaption>
        <span>{history.feature}</span>
        <span className={history.driftedCount > 0 ? "error" : "muted"}>{history.driftedCount > 0 ? `drifted in ${history.driftedCount}` : "no drift"}</span>
      </figcaption>
      <ResponsiveContainer width="100%" height={170}>
        <ComposedChart data={history.points} margin={{ top: 8, right: 0, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="#e7ebf0" />
          <XAxis dataKey="x" type="number" domain={axis.domain} allowDataOverflow ticks={axis.ticks} tickFormatter={periodTickFormatter(axis)} tick={{ fontSize: 10 }} interval="preserveStartEnd" />
          <YAxis yAxisId="primary" domain={[0, left[left.length - 1]]} ticks={left} tickFormatter={tickFormatter(left)} tick={{ fontSize: 10, fill: COLORS.primary }} width={34} allowDataOverflow />
          <YAxis yAxisId="psi" orientation="right" domain={[0, right[right.length - 1]]} ticks={right} tickFormatter={tickFormatter(right)} tick={{ fontSize: 10, fill: COLORS.psi }} width={34} allowDataOverflow />
          {history.primaryThreshold !== null ? <ReferenceLine yAxisId="primary" y={history.primaryThreshold} stroke={COLORS.primary} strokeDasharray="4 4" /> : null}
          {history.psiThreshold !== null ? <ReferenceLine yAxisId="psi" y={history.psiThreshold} stroke={COLORS.psi} strokeDasharray="4 4" /> : null}
          <Tooltip content={<Tip by={axis.by} />} />
          <Line yAxisId="primary" type="linear" dataKey="primary" name={history.primaryName} stroke={COLORS.primary} strokeWidth={1.5} dot={PrimaryDot} activeDot={{ r: 4 }} isAnimationActive={false} />
          <Line yAxisId="psi" type="linear" dataKey="psi" name="PSI" stroke={COLORS.psi} strokeWidth={1.5} strokeDasharray="5 3" dot={PsiDot} activeDot={{ r: 4 }} isAnimationActive={false} />
        </ComposedChart>
      </ResponsiveContainer>
    </figure>
  );
}

/** Drift page: every feature's drift statistics over the periods the checks were about, one small chart each. */
export function FeatureDriftHistoryCard({ checks }: { checks: readonly DriftCheck[] }) {
  // memoised: each small chart builds its tooltip component from its history
  const { axis, features } = useMemo(() => shapeFeatureDriftHistory(checks), [checks]);
  const kinds = new Set(features.map((f) => f.type));
  return (
    <ChartCard
      title="Feature drift over time"
      testId="chart-drift-history"
      description={
        <>
          Each check&apos;s statistics of each feature, at the end of the period of data it was about ({axis.kind === "time" ? `by ${axis.by}` : "by check #: some checks have no period"}).
          Solid blue, left axis: {kinds.has("numeric") ? "the KS statistic D (numeric features)" : null}
          {kinds.size === 2 ? " or " : null}
          {kinds.has("categorical") ? "the Jensen–Shannon distance (categorical; χ² and its p-value in the tooltip: its statistic grows with the rows compared)" : null}; dashed orange, right
          axis: PSI; dashed lines: thresholds; red points: the method called the feature drifted.
        </>
      }
      empty={features.length === 0 ? "No check has compared features yet: a run that ingests new data does." : null}
    >
      <div className="small-multiples">
        {features.map((h) => (
          <FeatureDriftMultiple key={h.feature} history={h} axis={axis} />
        ))}
      </div>
    </ChartCard>
  );
}
