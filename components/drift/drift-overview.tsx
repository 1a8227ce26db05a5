"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Bar, BarChart, CartesianGrid, Cell, LabelList, Legend, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { Badge, CheckBadge } from "@/components/ui/badges";
import { ChartCard } from "@/components/ui/chart-card";
import { legendText, niceTicks, tickFormatter } from "@/components/ui/chart-utils";
import { fmtDateTime, fmtNum, fmtP, fmtScore } from "@/components/ui/format";
import { QueryState } from "@/components/ui/query-state";
import { useUrlParam } from "@/components/ui/use-url-param";
import { driftQuery } from "@/lib/queries";
import type { DriftCheck, FeatureDrift as FeatureDriftResult } from "@/lib/queries/types";
import { SCORE_CHECK_IDS as SCORE_CHECKS } from "@/lib/vocabulary";
import { DecisionCard } from "./decision-card";
import { shapeFeatureBars, shapeHistogram, type FeatureBar } from "./shape-drift";

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
                <ScoreCheckRow key={`${c.runId}-${i}`} check={c} selected={c === selected} onSelect={() => onSelect(c)} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function ScoreCheckRow({ check: c, selected, onSelect }: { check: DriftCheck; selected: boolean; onSelect: () => void }) {
  return (
    <tr className={selected ? "selected" : undefined}>
      <td data-label="Run">{c.runId != null ? <Link href={`/runs/${c.runId}`}>#{c.runId}</Link> : "—"}</td>
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
  const n = fs.filter((f) => f.ks.drifted || f.psi.drifted).length;
  return `${n} of ${fs.length} drifted`;
}

function FeatureDrift({ check }: { check: DriftCheck }) {
  const bars = shapeFeatureBars(check);
  const ksTicks = niceTicks(0, Math.max(0.2, ...bars.map((b) => b.ks)) * 1.05, 5);
  // Draw the threshold the run actually used, so the line and the red bars always agree.
  const psiThreshold = bars.find((b) => b.psiThreshold !== null)?.psiThreshold ?? null;
  const psiTicks = niceTicks(0, Math.max(0.3, psiThreshold ?? 0, ...bars.map((b) => b.psi)) * 1.05, 5);
  const features = Object.entries(check.features);
  return (
    <>
      <h2 className="section-title">
        Feature drift {check.runId != null ? `of run #${check.runId}` : ""} <span className="muted small">(reference = the deployed model&apos;s training data, current = the run&apos;s new rows)</span>
      </h2>
      <div className="two-col">
        <FeatureBarChart
          bars={bars}
          metric="ks"
          ticks={ksTicks}
          title="Kolmogorov–Smirnov statistic per feature"
          testId="chart-ks"
          description="Largest gap between the reference and current distributions (0 = identical, 1 = disjoint); red bars drifted (p below threshold)."
          axisLabel="KS statistic D (0–1)"
          name="KS statistic"
          threshold={null}
        />
        <FeatureBarChart
          bars={bars}
          metric="psi"
          ticks={psiTicks}
          title="Population stability index per feature"
          testId="chart-psi"
          description={`PSI over 10 quantile bins of the reference; red bars drifted${psiThreshold !== null ? ` (PSI above ${psiThreshold}, the dashed line)` : ""}. Rule of thumb: below 0.1 stable, 0.1–0.25 moderate shift.`}
          axisLabel="PSI"
          name="PSI"
          threshold={psiThreshold}
        />
      </div>
      <FeatureDriftTable features={features} />
      <div className="three-col">
        {features.map(([name, f]) => (
          <FeatureHistogram key={name} name={name} feature={f} />
        ))}
      </div>
    </>
  );
}

/** One bar per feature of a drift statistic (KS or PSI), red where the run called it drifted, with its threshold line if any. */
function FeatureBarChart({
  bars,
  metric,
  ticks,
  title,
  testId,
  description,
  axisLabel,
  name,
  threshold,
}: {
  bars: FeatureBar[];
  metric: "ks" | "psi";
  ticks: number[];
  title: string;
  testId: string;
  description: string;
  axisLabel: string;
  name: string;
  threshold: number | null;
}) {
  const drifted = (b: FeatureBar) => (metric === "ks" ? b.ksDrifted : b.psiDrifted);
  return (
    <ChartCard title={title} testId={testId} description={description} empty={bars.length === 0 ? "This check recorded no per-feature data (no new rows to compare)." : null}>
      <ResponsiveContainer width="100%" height={Math.max(150, 44 * bars.length + 60)}>
        <BarChart data={bars} layout="vertical" margin={{ top: 4, right: 48, bottom: 18, left: 8 }}>
          <CartesianGrid stroke="#e7ebf0" horizontal={false} />
          <XAxis type="number" domain={[ticks[0], ticks[ticks.length - 1]]} ticks={ticks} tickFormatter={tickFormatter(ticks)} tick={{ fontSize: 11 }} label={{ value: axisLabel, position: "insideBottom", offset: -10, fontSize: 12, fill: "#5b6673" }} />
          <YAxis type="category" dataKey="feature" width={150} tick={{ fontSize: 11 }} />
          <Tooltip formatter={(v) => (typeof v === "number" ? v.toFixed(4) : String(v))} />
          {threshold !== null ? <ReferenceLine x={threshold} stroke="#b42318" strokeDasharray="4 4" /> : null}
          <Bar dataKey={metric} name={name} isAnimationActive={false} fill="#2457c5" minPointSize={2}>
            {bars.map((b) => (
              <Cell key={b.feature} fill={drifted(b) ? "#b42318" : "#2457c5"} />
            ))}
            <LabelList dataKey={metric} position="right" formatter={(v: unknown) => (typeof v === "number" ? v.toFixed(3) : "")} style={{ fontSize: 11, fill: "#1b1f24" }} />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </ChartCard>
  );
}

function DriftBadge({ drifted }: { drifted: boolean }) {
  return drifted ? <Badge tone="bad">drift</Badge> : <Badge tone="ok">pass</Badge>;
}

function FeatureDriftTable({ features }: { features: [string, FeatureDriftResult][] }) {
  return (
    <section className="card" aria-label="Feature drift table">
      <h2>Per feature</h2>
      {features.length === 0 ? (
        <div className="empty">No per-feature drift was recorded for this run.</div>
      ) : (
        <div className="table-wrap">
          <table className="stack-on-phone">
            <thead>
              <tr>
                <th>Feature</th>
                <th className="num">KS statistic</th>
                <th className="num">KS p-value</th>
                <th>KS</th>
                <th className="num">PSI</th>
                <th>PSI</th>
              </tr>
            </thead>
            <tbody>
              {features.map(([name, f]) => (
                <tr key={name}>
                  <td data-label="Feature">{name}</td>
                  <td className="num" data-label="KS statistic">{fmtNum(f.ks.statistic, 4)}</td>
                  <td className="num" data-label="KS p-value">{fmtP(f.ks.pValue)}</td>
                  <td data-label="KS"><DriftBadge drifted={f.ks.drifted} /></td>
                  <td className="num" data-label="PSI">{fmtNum(f.psi.score, 4)}</td>
                  <td data-label="PSI"><DriftBadge drifted={f.psi.drifted} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** A feature's reference-vs-current histogram over the reference's decile bins. */
function FeatureHistogram({ name, feature }: { name: string; feature: FeatureDriftResult }) {
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
            <Legend verticalAlign="top" height={22} wrapperStyle={{ fontSize: 11 }} formatter={legendText} />
            <Bar dataKey="reference" name="reference (training)" fill="#8fa8d8" isAnimationActive={false} />
            <Bar dataKey="current" name="current (new rows)" fill="#b42318" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      ) : null}
    </ChartCard>
  );
}
