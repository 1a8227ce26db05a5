"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import type { ReactNode } from "react";
import { Bar, BarChart, CartesianGrid, Cell, LabelList, Legend, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { Badge, CheckBadge } from "@/components/ui/badges";
import { ChartCard } from "@/components/ui/chart-card";
import { legendText, niceTicks, tickFormatter } from "@/components/ui/chart-utils";
import { fmtDateTime, fmtInt, fmtNum, fmtP, fmtPct, fmtScore } from "@/components/ui/format";
import { QueryState } from "@/components/ui/query-state";
import { useUrlParam } from "@/components/ui/use-url-param";
import { driftQuery } from "@/lib/queries";
import type { CategoricalFeatureDrift, DriftCheck, NumericFeatureDrift } from "@/lib/queries/types";
import { granularityOf, periodLabel, type PeriodGranularity } from "@/lib/time/periods";
import { SCORE_CHECK_IDS as SCORE_CHECKS } from "@/lib/vocabulary";
import { periodSpanOf, periodText, type PeriodSpan } from "@/components/ui/period-axis";
import { DecisionCard } from "./decision-card";
import { FeatureDriftHistoryCard } from "./feature-drift-history";
import { featureDrifted, featuresByType, isCategorical, shapeFeatureBars, shapeHistogram, shapeLevelShares, type FeatureBar } from "./shape-drift";

/** Drift page body: every run's score checks, and the per-feature drift of the selected run (?run=). */
export function DriftOverview() {
  const drift = useQuery(driftQuery());
  const [runParam, setRun] = useUrlParam<string>("run", "");
  return (
    <QueryState query={drift} label="the drift history">
      {({ checks }) => {
        const newestFirst = [...checks].reverse();
        const selected = newestFirst.find((c) => String(c.runId ?? "") === runParam) ?? newestFirst[0];
        return (
          <>
            <ScoreChecksCard newestFirst={newestFirst} selected={selected} onSelect={(c) => setRun(String(c.runId ?? ""))} />
            <FeatureDriftHistoryCard checks={checks} />
            {selected ? <DecisionCard check={selected} /> : null}
            {selected ? <FeatureDrift check={selected} /> : null}
          </>
        );
      }}
    </QueryState>
  );
}

/** Every run's score checks, newest first; a run's "Features" button selects it. */
function ScoreChecksCard({ newestFirst, selected, onSelect }: { newestFirst: DriftCheck[]; selected: DriftCheck | undefined; onSelect: (c: DriftCheck) => void }) {
  // the periods' granularity names each row's period as the charts do ("Mar 2024")
  const spans = newestFirst.map(periodSpanOf).filter((p): p is PeriodSpan => p !== null);
  const by = spans.length ? granularityOf(spans) : null;
  return (
    <section className="card" aria-label="Score checks per run">
      <h2>Score checks per run</h2>
      <p className="muted small">
        Each run scores the deployed model on its new data and compares with the score history. Pass / drift / insufficient
        history per check; the configured trigger decides whether a run retrains.
      </p>
      {newestFirst.length === 0 ? (
        <div className="empty">
          No drift checks yet. A run that ingests new data checks for drift; start one on the <Link href="/runs">Runs</Link> page.
        </div>
      ) : (
        <div className="table-wrap">
          <table data-testid="drift-table" className="stack-on-phone">
            <thead>
              <tr>
                <th>Run</th>
                <th>Data period</th>
                <th>When</th>
                <th>Model</th>
                <th className="num">New F1</th>
                {SCORE_CHECKS.map((id) => (
                  <th key={id}>{id}</th>
                ))}
                <th>Retrain triggered</th>
                <th>Features</th>
              </tr>
            </thead>
            <tbody>
              {newestFirst.map((c, i) => (
                <ScoreCheckRow key={`${c.runId}-${i}`} check={c} by={by} selected={c === selected} onSelect={() => onSelect(c)} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** The check's data period by the granularity's label ("Oct 2024"), its dates on hover. */
function PeriodCell({ span, by }: { span: PeriodSpan | null; by: PeriodGranularity | null }) {
  return (
    <td data-label="Data period" title={periodText(span, "day") ?? undefined}>
      {span ? periodLabel(span.end, by ?? "day") : "—"}
    </td>
  );
}

function ScoreCheckRow({ check: c, by, selected, onSelect }: { check: DriftCheck; by: PeriodGranularity | null; selected: boolean; onSelect: () => void }) {
  return (
    <tr className={selected ? "selected" : undefined}>
      <td data-label="Run">{c.runId != null ? <Link href={`/runs/${c.runId}`}>#{c.runId}</Link> : "—"}</td>
      <PeriodCell span={periodSpanOf(c)} by={by} />
      <td data-label="When">{fmtDateTime(c.createdAt)}</td>
      <td data-label="Model">v{c.modelVersion}</td>
      <td className="num" data-label="New F1">{fmtScore(c.newScore, 4)}</td>
      {SCORE_CHECKS.map((id) => (
        <td key={id} data-label={id} title={c.score[id]?.threshold != null ? `threshold ${c.score[id]?.threshold?.toFixed(4)}` : undefined}>
          <CheckBadge check={c.score[id]} />
        </td>
      ))}
      <td data-label="Retrain">{c.triggered ? <Badge tone="bad">yes</Badge> : <Badge tone="ok">no</Badge>}</td>
      <td data-label="Features">
        <button type="button" className="link-button" aria-pressed={selected} onClick={onSelect}>
          {featureSummary(c)}
        </button>
      </td>
    </tr>
  );
}

function featureSummary(c: DriftCheck): string {
  const fs = Object.values(c.features);
  if (fs.length === 0) return "no feature data";
  return `${fs.filter(featureDrifted).length} of ${fs.length} drifted`;
}

function FeatureDrift({ check }: { check: DriftCheck }) {
  const { numeric, categorical } = featuresByType(check);
  const ks = shapeFeatureBars(check, "ks");
  const psi = shapeFeatureBars(check, "psi");
  const js = shapeFeatureBars(check, "js");
  const features = Object.entries(check.features);
  const charts = [
    numeric.length > 0 ? (
      <FeatureBarChart
        key="ks"
        shaped={ks}
        floor={0.2}
        title="Kolmogorov–Smirnov statistic per numeric feature"
        testId="chart-ks"
        description="Largest gap between the reference and current distributions (0 = identical, 1 = disjoint); red bars drifted (p below threshold)."
        axisLabel="KS statistic D (0–1)"
        name="KS statistic"
      />
    ) : null,
    categorical.length > 0 ? (
      <FeatureBarChart
        key="js"
        shaped={js}
        floor={0.2}
        title="Jensen–Shannon distance per categorical feature"
        testId="chart-js"
        description={`Distance between the reference and current level shares (base 2: 0 = identical, 1 = disjoint); red bars drifted${js.threshold !== null ? ` (above ${js.threshold}, the dashed line)` : ""}.`}
        axisLabel="JS distance (0–1)"
        name="JS distance"
      />
    ) : null,
    <FeatureBarChart
      key="psi"
      shaped={psi}
      floor={0.3}
      title="Population stability index per feature"
      testId="chart-psi"
      description={`PSI over 10 quantile bins of the reference${categorical.length > 0 ? " (numeric) or over the levels (categorical)" : ""}; red bars drifted${psi.threshold !== null ? ` (PSI above ${psi.threshold}, the dashed line)` : ""}. Rule of thumb: below 0.1 stable, 0.1–0.25 moderate shift.`}
      axisLabel="PSI"
      name="PSI"
    />,
  ].filter((c) => c !== null);
  return (
    <>
      <h2 className="section-title">
        Feature drift {check.runId != null ? `of run #${check.runId}` : ""} <span className="muted small">(reference = the deployed model&apos;s training data, current = the run&apos;s new rows)</span>
      </h2>
      <div className={charts.length === 3 ? "three-col" : "two-col"}>{charts}</div>
      {features.length === 0 ? (
        <section className="card" aria-label="Feature drift table">
          <h2>Per feature</h2>
          <div className="empty">No per-feature drift was recorded for this run.</div>
        </section>
      ) : null}
      {numeric.length > 0 ? <FeatureMethodsTable title="Numeric features" testId="numeric-drift-table" features={numeric} columns={NUMERIC_COLUMNS} /> : null}
      {categorical.length > 0 ? (
        <FeatureMethodsTable
          title="Categorical features"
          testId="categorical-drift-table"
          intro="Chi-square test of homogeneity of the level counts (drift when p is below its threshold), Jensen–Shannon distance and PSI between the level shares (drift above their thresholds), and the share of current rows in levels the training data never had."
          features={categorical}
          columns={CATEGORICAL_COLUMNS}
        />
      ) : null}
      <div className="three-col">
        {features.map(([name, f]) => (isCategorical(f) ? <LevelShareChart key={name} name={name} feature={f} /> : <FeatureHistogram key={name} name={name} feature={f} />))}
      </div>
    </>
  );
}

/** One bar per feature of a drift statistic, red where the run called it drifted, with its threshold line if any. */
function FeatureBarChart({
  shaped: { bars, threshold },
  floor,
  title,
  testId,
  description,
  axisLabel,
  name,
}: {
  shaped: { bars: FeatureBar[]; threshold: number | null };
  /** the axis reaches at least this far, so small values do not look large */
  floor: number;
  title: string;
  testId: string;
  description: string;
  axisLabel: string;
  name: string;
}) {
  const ticks = niceTicks(0, Math.max(floor, threshold ?? 0, ...bars.map((b) => b.value)) * 1.05, 4);
  return (
    <ChartCard title={title} testId={testId} description={description} empty={bars.length === 0 ? "This check recorded no per-feature data (no new rows to compare)." : null}>
      <ResponsiveContainer width="100%" height={Math.max(150, 44 * bars.length + 60)}>
        <BarChart data={bars} layout="vertical" margin={{ top: 4, right: 48, bottom: 18, left: 8 }}>
          <CartesianGrid stroke="#e7ebf0" horizontal={false} />
          <XAxis type="number" domain={[ticks[0], ticks[ticks.length - 1]]} ticks={ticks} tickFormatter={tickFormatter(ticks)} tick={{ fontSize: 11 }} label={{ value: axisLabel, position: "insideBottom", offset: -10, fontSize: 12, fill: "#5b6673" }} />
          <YAxis type="category" dataKey="feature" width={labelWidth(bars.map((b) => b.feature), 11)} tick={{ fontSize: 11 }} />
          <Tooltip formatter={(v) => (typeof v === "number" ? v.toFixed(4) : String(v))} />
          {threshold !== null ? <ReferenceLine x={threshold} stroke="#b42318" strokeDasharray="4 4" /> : null}
          <Bar dataKey="value" name={name} isAnimationActive={false} fill="#2457c5" minPointSize={2}>
            {bars.map((b) => (
              <Cell key={b.feature} fill={b.drifted ? "#b42318" : "#2457c5"} />
            ))}
            <LabelList dataKey="value" position="right" formatter={(v: unknown) => (typeof v === "number" ? v.toFixed(3) : "")} style={{ fontSize: 11, fill: "#1b1f24" }} />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </ChartCard>
  );
}

/** Room for the longest category label on a vertical bar chart (about 0.6 em per character), within 60–150 px. */
function labelWidth(labels: string[], fontSize: number): number {
  return Math.min(150, Math.max(60, Math.ceil(0.6 * fontSize * Math.max(0, ...labels.map((l) => l.length))) + 12));
}

function DriftBadge({ drifted }: { drifted: boolean }) {
  return drifted ? <Badge tone="bad">drift</Badge> : <Badge tone="ok">pass</Badge>;
}

/** A column of a per-feature table: its header and each feature's cell; `num` right-aligns it. */
interface MethodColumn<F> {
  head: string;
  num?: boolean;
  cell: (f: F) => ReactNode;
}

/** A drift method as two columns: its number, then pass / drift. */
function method<F>(head: string, value: (f: F) => ReactNode, drifted: (f: F) => boolean, badgeHead = head.split(" ")[0]): MethodColumn<F>[] {
  return [
    { head, num: true, cell: value },
    { head: badgeHead, cell: (f) => <DriftBadge drifted={drifted(f)} /> },
  ];
}

const NUMERIC_COLUMNS: MethodColumn<NumericFeatureDrift>[] = [
  { head: "KS statistic", num: true, cell: (f) => fmtNum(f.ks.statistic, 4) },
  ...method<NumericFeatureDrift>("KS p-value", (f) => fmtP(f.ks.pValue), (f) => f.ks.drifted),
  ...method<NumericFeatureDrift>("PSI", (f) => fmtNum(f.psi.score, 4), (f) => f.psi.drifted),
];

const unseenCell = (f: CategoricalFeatureDrift) => {
  const n = f.unseen.levels.length;
  return (
    <span title={f.unseen.levels.join(", ")}>
      {fmtPct(f.unseen.share, 1)} ({fmtInt(f.unseen.count)} {f.unseen.count === 1 ? "row" : "rows"}
      {n > 0 ? `, ${n} ${n === 1 ? "level" : "levels"}` : ""})
    </span>
  );
};

const CATEGORICAL_COLUMNS: MethodColumn<CategoricalFeatureDrift>[] = [
  { head: "χ² (df)", num: true, cell: (f) => `${fmtNum(f.chi2.statistic, 1)} (${f.chi2.df})` },
  ...method<CategoricalFeatureDrift>("χ² p-value", (f) => fmtP(f.chi2.pValue), (f) => f.chi2.drifted),
  ...method<CategoricalFeatureDrift>("JS distance", (f) => fmtNum(f.js.distance, 4), (f) => f.js.drifted),
  ...method<CategoricalFeatureDrift>("PSI", (f) => fmtNum(f.psi.score, 4), (f) => f.psi.drifted),
  ...method<CategoricalFeatureDrift>("Unseen levels", unseenCell, (f) => f.unseen.drifted, "Unseen"),
];

/** One row per feature, one column pair per drift method. */
function FeatureMethodsTable<F>({ title, testId, intro, features, columns }: { title: string; testId: string; intro?: string; features: [string, F][]; columns: MethodColumn<F>[] }) {
  return (
    <section className="card" aria-label={`${title} drift table`}>
      <h2>{title}</h2>
      {intro ? <p className="muted small">{intro}</p> : null}
      <div className="table-wrap">
        <table className="stack-on-phone" data-testid={testId}>
          <thead>
            <tr>
              <th>Feature</th>
              {columns.map((c, i) => (
                <th key={i} className={c.num ? "num" : undefined}>
                  {c.head}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {features.map(([name, f]) => (
              <tr key={name}>
                <td data-label="Feature">{name}</td>
                {columns.map((c, i) => (
                  <td key={i} className={c.num ? "num" : undefined} data-label={c.head}>
                    {c.cell(f)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** A numeric feature's reference-vs-current histogram over the reference's decile bins. */
function FeatureHistogram({ name, feature }: { name: string; feature: NumericFeatureDrift }) {
  const hist = shapeHistogram(feature);
  return (
    <ChartCard
      title={`${name}: reference vs current`}
      testId={`chart-hist-${name}`}
      description={hist ? "Share of rows (%) in each decile bin of the reference: the reference fills each about equally; the current rows show where they moved." : undefined}
      empty={hist ? null : "The API did not send histogram bins for this check (older run)."}
    >
      {hist ? (
        <ResponsiveContainer width="100%" height={200}>
          <BarChart data={hist} margin={{ top: 4, right: 8, bottom: 4, left: 0 }} barGap={0}>
            <CartesianGrid stroke="#e7ebf0" vertical={false} />
            <XAxis dataKey="label" tick={{ fontSize: 9 }} interval="preserveStartEnd" />
            <YAxis tick={{ fontSize: 10 }} width={40} unit="%" label={{ value: "rows", angle: -90, position: "insideLeft", fontSize: 10, fill: "#5b6673" }} />
            <Tooltip formatter={(v) => (typeof v === "number" ? `${v.toFixed(1)} %` : String(v))} />
            <Legend verticalAlign="top" height={22} wrapperStyle={{ fontSize: 11 }} formatter={legendText} itemSorter={null} />
            <Bar dataKey="reference" name="reference (training)" fill="#8fa8d8" isAnimationActive={false} />
            <Bar dataKey="current" name="current (new rows)" fill="#b42318" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      ) : null}
    </ChartCard>
  );
}

/** A categorical feature's level shares, reference against current side by side; levels the reference never had are marked "(unseen)" and drawn darker. */
function LevelShareChart({ name, feature }: { name: string; feature: CategoricalFeatureDrift }) {
  const bars = shapeLevelShares(feature);
  const ticks = niceTicks(0, Math.max(1, ...bars.map((b) => Math.max(b.reference, b.current))), 4);
  return (
    <ChartCard
      title={`${name}: level shares, reference vs current`}
      testId={`chart-levels-${name}`}
      description="Share of rows (%) per level, most frequent reference levels first; a level only the current rows have is marked (unseen): the model learned nothing for it."
      empty={bars.length === 0 ? "No level counts were recorded for this feature." : null}
    >
      <ResponsiveContainer width="100%" height={Math.max(180, 34 * bars.length + 50)}>
        <BarChart data={bars} layout="vertical" margin={{ top: 4, right: 16, bottom: 4, left: 0 }} barGap={1}>
          <CartesianGrid stroke="#e7ebf0" horizontal={false} />
          <XAxis type="number" domain={[0, ticks[ticks.length - 1]]} ticks={ticks} tickFormatter={tickFormatter(ticks)} tick={{ fontSize: 10 }} unit="%" />
          <YAxis type="category" dataKey="label" width={labelWidth(bars.map((b) => b.label), 10)} tick={{ fontSize: 10 }} interval={0} />
          <Tooltip formatter={(v) => (typeof v === "number" ? `${v.toFixed(1)} %` : String(v))} />
          <Legend verticalAlign="top" height={22} wrapperStyle={{ fontSize: 11 }} formatter={legendText} itemSorter={null} />
          <Bar dataKey="reference" name="reference (training)" fill="#8fa8d8" isAnimationActive={false} />
          <Bar dataKey="current" name="current (new rows)" fill="#b42318" isAnimationActive={false} minPointSize={1}>
            {bars.map((b) => (
              <Cell key={b.level} fill={b.unseen ? "#5c0b05" : "#b42318"} />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </ChartCard>
  );
}
