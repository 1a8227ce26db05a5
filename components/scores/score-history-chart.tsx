"use client";

import {
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ReferenceArea,
  ReferenceLine,
  ResponsiveContainer,
  Scatter,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { legendText, niceTicks } from "@/components/ui/chart-utils";
import { fmtDateTime, fmtScore } from "@/components/ui/format";
import { periodTickFormatter } from "@/components/ui/period-axis";
import { PeriodLines, periodTooltip } from "@/components/ui/period-tooltip";
import { f1YAxisProps } from "./f1-axis";
import type { ScoreHistoryShape, ScorePoint } from "./shape-score-history";

const COLORS = {
  line: "#2457c5",
  band: "#9db8ef",
  fence: "#a15c00",
  drift: "#b42318",
  deploy: "#1f7a3a",
  mean: "#5b6673",
};

const ScoreTooltip = periodTooltip<ScorePoint>((p, period) => (
  <>
    <strong>F1 {fmtScore(p.f1, 4)}</strong>
    <PeriodLines period={period} rows={p.rows} runId={p.runId} what={p.periodOf === "run" ? "a test score of the run on data of" : "data of"} />
    <div>
      model v{p.modelVersion} · {p.kind} · {p.dataset}
    </div>
    <div className="muted">recorded {fmtDateTime(p.createdAt)}</div>
    {p.driftF1 != null ? <div className="error">flagged as drift</div> : null}
  </>
));

/** F1 history with the parametric band, the IQR fence, drift markers and deployment markers. */
export function ScoreHistoryChart({ shape, height = 320, compact = false }: { shape: ScoreHistoryShape; height?: number; compact?: boolean }) {
  const { points, band, fence, deployments } = shape;
  const yTicks = niceTicks(shape.domain[0], shape.domain[1], compact ? 4 : 6).filter((t) => t >= 0 && t <= 1);
  const domain: [number, number] = [yTicks[0], yTicks[yTicks.length - 1]];
  const { axis } = shape;
  // drawn left to right: on the time axis a score of an older period may have been recorded later
  const drawn = [...points].sort((a, b) => a.x - b.x || a.n - b.n);
  const driftPoints = drawn.filter((p) => p.driftF1 != null);
  return (
    <ResponsiveContainer width="100%" height={height}>
      <ComposedChart data={drawn} margin={{ top: 18, right: 16, bottom: 22, left: 8 }}>
        <CartesianGrid stroke="#e7ebf0" />
        <XAxis
          dataKey="x"
          type="number"
          domain={axis.domain}
          allowDataOverflow
          // no allowDecimals={false}: it rounds the domain's upper end up (3.5 → 4), a blank strip on the right;
          // the ticks are one per period (or score #), thinned by periodAxis: Recharts' own would fall between them
          // compact (the Overview's half-width card): every other tick, so the labels stay regular rather than dropped where they crowd
          ticks={compact ? axis.ticks.filter((_, i) => i % 2 === 0) : axis.ticks}
          tickFormatter={periodTickFormatter(axis)}
          label={{ value: axis.title, position: "insideBottom", offset: -12, fill: "#5b6673", fontSize: 12 }}
          tick={{ fontSize: 11 }}
        />
        <YAxis {...f1YAxisProps(yTicks, compact ? 48 : 56)} />
        {band ? (
          <ReferenceArea
            y1={Math.max(domain[0], band.lower)}
            y2={Math.min(domain[1], band.upper)}
            fill={COLORS.band}
            fillOpacity={0.25}
            stroke="none"
            ifOverflow="hidden"
            label={compact ? undefined : { value: "mean ± 2·SD", position: "insideTopRight", fill: "#2a4d91", fontSize: 11 }}
          />
        ) : null}
        {band ? <ReferenceLine y={band.mean} stroke={COLORS.mean} strokeDasharray="2 4" ifOverflow="hidden" /> : null}
        {fence ? (
          <ReferenceLine
            y={fence.value}
            stroke={COLORS.fence}
            strokeDasharray="6 4"
            strokeWidth={1.5}
            ifOverflow="extendDomain"
            label={compact ? undefined : { value: `IQR fence ${fence.value.toFixed(3)}`, position: "insideBottomLeft", fill: COLORS.fence, fontSize: 11 }}
          />
        ) : null}
        {deployments.map((d, i) => (
          <ReferenceLine
            key={`${d.n}-${i}`}
            x={d.x}
            stroke={COLORS.deploy}
            strokeDasharray="3 3"
            ifOverflow="hidden"
            label={{ value: `▲v${d.modelVersion}`, position: i % 2 === 0 ? "top" : "insideTop", fill: COLORS.deploy, fontSize: 11 }}
          />
        ))}
        <Tooltip content={<ScoreTooltip by={axis.by} />} />
        {compact ? null : <Legend verticalAlign="top" height={26} wrapperStyle={{ fontSize: 12 }} formatter={legendText} />}
        <Line type="linear" dataKey="f1" name="F1" stroke={COLORS.line} strokeWidth={2} dot={{ r: 3 }} isAnimationActive={false} />
        {/* An empty Scatter would fall back to the chart's data and mark every point: draw it only when there is drift. */}
        {driftPoints.length > 0 ? (
          <Scatter data={driftPoints} dataKey="f1" name="drift flagged" fill={COLORS.drift} shape="diamond" legendType="diamond" isAnimationActive={false} />
        ) : null}
      </ComposedChart>
    </ResponsiveContainer>
  );
}
