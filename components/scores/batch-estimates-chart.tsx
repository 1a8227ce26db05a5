"use client";

import { Area, CartesianGrid, ComposedChart, ErrorBar, Legend, Line, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { legendText, niceTicks } from "@/components/ui/chart-utils";
import { fmtDateTime, fmtInt, fmtScore } from "@/components/ui/format";
import { periodTickFormatter, type PeriodAxis } from "@/components/ui/period-axis";
import { PeriodLines, periodTooltip } from "@/components/ui/period-tooltip";
import { f1YAxisProps } from "./f1-axis";
import type { BatchPoint } from "./shape-batch-estimates";

const BATCH_COLORS = { estimated: "#7a3bb4", band: "#c9b3e6", realized: "#1f7a3a", outside: "#b42318", test: "#5b6673" };

const BatchTooltip = periodTooltip<BatchPoint>((p, period) => (
  <>
    <strong>{p.name}</strong>
    <PeriodLines period={period} rows={p.rows} />
    <div>
      estimated F1 {fmtScore(p.estimated)} (95 % band {fmtScore(p.lower)} – {fmtScore(p.upper)}){p.calibrated ? ", calibrated" : ""}
    </div>
    <div>{p.realized === null ? "labels not arrived yet" : `realized F1 ${fmtScore(p.realized)} on ${fmtInt(p.labelledRows)} of ${fmtInt(p.rows)} clients`}</div>
    <div>
      model v{p.modelVersion} · {fmtDateTime(p.createdAt)}
    </div>
  </>
));

/** Estimated F1 per monitored batch (dashed, with its 95 % band) beside the realized F1 once labels arrived. */
export function BatchEstimatesChart({ points, axis, testF1, height = 300 }: { points: BatchPoint[]; axis: PeriodAxis; testF1?: number | null; height?: number }) {
  const values = points.flatMap((p) => [p.lower, p.upper, ...(p.realized === null ? [] : [p.realized])]).concat(testF1 == null ? [] : [testF1]);
  const yTicks = niceTicks(Math.max(0, Math.min(...values) - 0.05), Math.min(1, Math.max(...values) + 0.05), 5).filter((t) => t >= 0 && t <= 1);
  // drawn left to right: on the time axis a batch of an older period may have been stored later
  const data = [...points].sort((a, b) => a.x - b.x || a.n - b.n).map((p) => ({ ...p, whisker: [p.estimated - p.lower, p.upper - p.estimated] as [number, number] }));
  return (
    <ResponsiveContainer width="100%" height={height}>
      <ComposedChart data={data} margin={{ top: 18, right: 16, bottom: 22, left: 8 }}>
        <CartesianGrid stroke="#e7ebf0" />
        <XAxis
          dataKey="x"
          type="number"
          domain={axis.domain}
          allowDataOverflow
          // no allowDecimals={false}: it rounds the domain's upper end up to a whole number (2.5 → 3), a blank strip on the right;
          // one tick per period (or batch #), thinned by periodAxis
          ticks={axis.ticks}
          tickFormatter={periodTickFormatter(axis)}
          label={{ value: axis.title, position: "insideBottom", offset: -12, fill: "#5b6673", fontSize: 12 }}
          tick={{ fontSize: 11 }}
        />
        <YAxis {...f1YAxisProps(yTicks, 56)} />
        {testF1 != null ? (
          <ReferenceLine
            y={testF1}
            stroke={BATCH_COLORS.test}
            strokeDasharray="2 4"
            ifOverflow="extendDomain"
            label={{ value: `deployed test F1 ${testF1.toFixed(3)}`, position: "insideTopRight", fill: BATCH_COLORS.test, fontSize: 11 }}
          />
        ) : null}
        <Area type="linear" dataKey="band" name="95 % band" stroke="none" fill={BATCH_COLORS.band} fillOpacity={0.45} isAnimationActive={false} legendType="square" />
        <Tooltip content={<BatchTooltip by={axis.by} />} />
        <Legend verticalAlign="top" height={26} wrapperStyle={{ fontSize: 12 }} formatter={legendText} />
        <Line
          type="linear"
          dataKey="estimated"
          name="estimated F1"
          stroke={BATCH_COLORS.estimated}
          strokeWidth={2}
          strokeDasharray="6 4"
          dot={{ r: 3 }}
          isAnimationActive={false}
        >
          <ErrorBar dataKey="whisker" width={6} stroke={BATCH_COLORS.estimated} direction="y" />
        </Line>
        <Line
          type="linear"
          dataKey="realized"
          name="realized F1"
          stroke={BATCH_COLORS.realized}
          strokeWidth={2}
          dot={{ r: 4 }}
          connectNulls={false}
          isAnimationActive={false}
        />
      </ComposedChart>
    </ResponsiveContainer>
  );
}
