"use client";

import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartCard } from "@/components/ui/chart-card";
import { fmtScore } from "@/components/ui/format";
import { labelValueText } from "@/components/ui/schema-text";
import { useSchema } from "@/components/ui/use-schema";
import type { RankingSeries, XY } from "./shape-ranking";

/*
 * The Models page's comparison of two versions on the test data: ROC and precision–recall
 * curves and the calibration plot (both versions on the same axes, so the better one is the one
 * above), the ranking metrics side by side, and precision / recall / F1 against the threshold
 * per version. Data arrives shaped (shape-ranking.ts).
 */

const UNIT_TICKS = [0, 0.2, 0.4, 0.6, 0.8, 1];
const DIAGONAL: XY[] = [
  { x: 0, y: 0 },
  { x: 1, y: 1 },
];
const axisLabel = { fontSize: 12, fill: "#5b6673" };
const fmt = (v: unknown) => (typeof v === "number" ? v.toFixed(3) : String(v));

function UnitChart({
  series,
  pick,
  xLabel,
  yLabel,
  diagonal,
  dots = false,
}: {
  series: RankingSeries[];
  pick: (s: RankingSeries) => XY[];
  xLabel: string;
  yLabel: string;
  diagonal?: string;
  dots?: boolean;
}) {
  return (
    <ResponsiveContainer width="100%" height={260}>
      <LineChart margin={{ top: 8, right: 12, bottom: 22, left: 4 }}>
        <CartesianGrid stroke="#e7ebf0" />
        <XAxis type="number" dataKey="x" domain={[0, 1]} ticks={UNIT_TICKS} tick={{ fontSize: 11 }} label={{ value: xLabel, position: "insideBottom", offset: -12, ...axisLabel }} />
        <YAxis type="number" dataKey="y" domain={[0, 1]} ticks={UNIT_TICKS} tick={{ fontSize: 11 }} width={40} label={{ value: yLabel, angle: -90, position: "insideLeft", ...axisLabel }} />
        <Tooltip formatter={fmt} labelFormatter={(v) => `${xLabel} ${fmt(v)}`} />
        <Legend verticalAlign="top" height={24} wrapperStyle={{ fontSize: 12 }} />
        {diagonal ? <Line data={DIAGONAL} dataKey="y" name={diagonal} stroke="#9aa5b1" strokeDasharray="4 4" dot={false} isAnimationActive={false} legendType="plainline" /> : null}
        {series.map((s) => (
          <Line
            key={s.key}
            data={pick(s)}
            dataKey="y"
            name={s.label}
            stroke={s.color}
            strokeWidth={2}
            dot={dots ? { r: 3, fill: s.color } : false}
            isAnimationActive={false}
          />
        ))}
      </LineChart>
    </ResponsiveContainer>
  );
}

const noCurves = (series: RankingSeries[], pick: (s: RankingSeries) => unknown[]) =>
  series.length === 0
    ? "No model version has been scored on the test data yet."
    : series.every((s) => pick(s).length === 0)
      ? "No curve stored: the test score predates curves, or the test data holds one class only. Train a new version."
      : null;

export function RankingComparison({ series }: { series: RankingSeries[] }) {
  const schema = useSchema().data;
  const positive = schema ? labelValueText(schema, 1) : "the positive label";
  return (
    <div data-testid="ranking-comparison">
      <section className="card" aria-label="Ranking metrics">
        <h2>How well the probabilities rank and fit, on the test data</h2>
        <p className="muted small">↑ higher is better, ↓ lower is better. A max-F1 threshold maximises F1 on the test data.</p>
        {series.length === 0 ? (
          <div className="empty">No model version has been scored on the test data yet.</div>
        ) : (
          <div className="table-wrap">
            <table data-testid="ranking-metrics">
              <thead>
                <tr>
                  <th>Metric</th>
                  {series.map((s) => (
                    <th key={s.key} className="num" style={{ color: s.color }}>
                      {s.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {(
                  [
                    ["ROC AUC ↑", (s) => fmtScore(s.metrics.rocAuc, 4)],
                    ["Average precision ↑", (s) => fmtScore(s.metrics.averagePrecision, 4)],
                    ["Brier score ↓", (s) => fmtScore(s.metrics.brierScore, 4)],
                    ["Log loss ↓", (s) => fmtScore(s.metrics.logLoss, 4)],
                    ["Threshold", (s) => `${fmtScore(s.threshold, 3)} ${s.thresholdRule === "max-f1" ? "(max F1)" : "(fixed)"}`],
                    ["F1 at the threshold", (s) => fmtScore(s.metrics.f1, 4)],
                  ] as [string, (s: RankingSeries) => string][]
                ).map(([name, value]) => (
                  <tr key={name}>
                    <td>{name}</td>
                    {series.map((s) => (
                      <td key={s.key} className="num">
                        {value(s)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <div className="three-col">
        <ChartCard title="ROC curve" testId="chart-roc" description="True-positive rate against false-positive rate; dashed: a coin." empty={noCurves(series, (s) => s.roc)}>
          <UnitChart series={series} pick={(s) => s.roc} xLabel="false-positive rate" yLabel="true-positive rate" diagonal="random" />
        </ChartCard>
        <ChartCard title="Precision–recall curve" testId="chart-pr" description="Precision against recall, from the riskiest client down." empty={noCurves(series, (s) => s.pr)}>
          <UnitChart series={series} pick={(s) => s.pr} xLabel="recall" yLabel="precision" />
        </ChartCard>
        <ChartCard
          title="Calibration"
          testId="chart-calibration"
          description={`Observed share of ${positive} against mean predicted probability, 10 quantile bins; on the dashed line the probabilities are honest.`}
          empty={noCurves(series, (s) => s.calibration)}
        >
          <UnitChart series={series} pick={(s) => s.calibration} xLabel="mean predicted probability" yLabel={`observed share of ${positive}`} diagonal="perfect" dots />
        </ChartCard>
      </div>
      <div className="two-col">
        {series.map((s) => (
          <ThresholdChart key={s.key} series={s} positive={positive} />
        ))}
      </div>
    </div>
  );
}

function ThresholdChart({ series, positive }: { series: RankingSeries; positive: string }) {
  return (
    <ChartCard
      title={`Precision, recall and F1 against the threshold — ${series.label}`}
      testId={`chart-threshold-${series.version}`}
      description={`Predict ${positive} at probability ≥ threshold; the vertical line is this version's threshold (${fmtScore(series.threshold, 3)}).`}
      empty={series.byThreshold.length === 0 ? "No threshold curve stored for this version." : null}
    >
      <ResponsiveContainer width="100%" height={240}>
        <LineChart data={series.byThreshold} margin={{ top: 8, right: 12, bottom: 22, left: 4 }}>
          <CartesianGrid stroke="#e7ebf0" />
          <XAxis type="number" dataKey="threshold" domain={[0, 1]} ticks={UNIT_TICKS} tick={{ fontSize: 11 }} label={{ value: "threshold (probability)", position: "insideBottom", offset: -12, ...axisLabel }} />
          <YAxis domain={[0, 1]} ticks={UNIT_TICKS} tick={{ fontSize: 11 }} width={40} />
          <Tooltip formatter={fmt} labelFormatter={(v) => `threshold ${fmt(v)}`} />
          <Legend verticalAlign="top" height={24} wrapperStyle={{ fontSize: 12 }} />
          <ReferenceLine x={series.threshold} stroke={series.color} strokeDasharray="3 3" />
          <Line dataKey="precision" name="precision" stroke="#2b5fb8" dot={false} isAnimationActive={false} />
          <Line dataKey="recall" name="recall" stroke="#b26b00" dot={false} isAnimationActive={false} />
          <Line dataKey="f1" name="F1" stroke="#1f7a3a" strokeWidth={2} dot={false} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </ChartCard>
  );
}
