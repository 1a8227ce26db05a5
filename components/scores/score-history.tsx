"use client";

import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { Badge } from "@/components/ui/badges";
import { ChartCard } from "@/components/ui/chart-card";
import { fmtDateTime, fmtScore } from "@/components/ui/format";
import { periodText } from "@/components/ui/period-axis";
import { QueryState } from "@/components/ui/query-state";
import { useUrlParam } from "@/components/ui/use-url-param";
import { SCORE_CHECKS } from "@/lib/drift/score-checks";
import { deploymentsQuery, driftQuery, runsQuery, scoresQuery } from "@/lib/queries";
import { ScoreHistoryChart } from "./score-history-chart";
import { shapeScoreHistory, type ScoreHistoryShape, type ScoreKindFilter } from "./shape-score-history";

const KINDS: readonly ScoreKindFilter[] = ["all", "test", "new-data"];
const KIND_LABEL: Record<ScoreKindFilter, string> = { all: "all scores", test: "test data only", "new-data": "new data only" };

export function ScoreHistory() {
  const scores = useQuery(scoresQuery());
  const drift = useQuery(driftQuery());
  const deploymentHistory = useQuery(deploymentsQuery());
  // where the runs' test scores sit on the time axis; without it they keep their own period
  const runs = useQuery(runsQuery());
  // without the history (its fetch failed) every score is shown, with no deployment markers
  const deployments = deploymentHistory.isError ? [] : deploymentHistory.data?.deployments;
  const [kind, setKind] = useUrlParam<ScoreKindFilter>("kind", "all", KINDS);
  const shape = useMemo(
    () => (scores.data && deployments ? shapeScoreHistory(scores.data.scores, { deployments, drift: drift.data?.checks ?? [], kind, runs: runs.data?.runs }) : null),
    [scores.data, drift.data, deployments, kind, runs.data],
  );
  return (
    <>
      <KindToolbar kind={kind} onKind={setKind} driftFailed={drift.isError} deploymentsFailed={deploymentHistory.isError} />
      <QueryState query={scores} label="the score history">
        {() =>
          shape ? (
            <>
              <ChartCard
                title="F1 history of the deployed models"
                testId="chart-scores"
                description={
                  <>
                    Each point is an F1 recorded for a model that was deployed, placed at the end of the period of data it is
                    about (by position when a score has no period). Shaded: the parametric band (mean ± 2·SD); dashed
                    orange: the IQR fence (Q1 − 1.5·IQR); red diamonds: scores whose run flagged drift; green ▲: deployments.
                  </>
                }
                empty={
                  shape.points.length === 0
                    ? "No scores recorded yet. Scores appear when a model is scored on the test data or a run scores new data."
                    : null
                }
              >
                <ScoreHistoryChart shape={shape} />
              </ChartCard>
              <ScoreStats shape={shape} />
              <ScoreList shape={shape} />
            </>
          ) : null
        }
      </QueryState>
    </>
  );
}

/** Which scores to show (?kind=), and which markers are missing because their history failed to load. */
function KindToolbar({
  kind,
  onKind,
  driftFailed,
  deploymentsFailed,
}: {
  kind: ScoreKindFilter;
  onKind: (kind: ScoreKindFilter) => void;
  driftFailed: boolean;
  deploymentsFailed: boolean;
}) {
  return (
    <div className="toolbar">
      <label htmlFor="kind-filter">Show</label>
      <select id="kind-filter" value={kind} onChange={(e) => onKind(e.target.value as ScoreKindFilter)}>
        {KINDS.map((k) => (
          <option key={k} value={k}>
            {KIND_LABEL[k]}
          </option>
        ))}
      </select>
      {driftFailed ? <span className="muted small">Drift markers unavailable: the drift history could not be loaded.</span> : null}
      {deploymentsFailed ? <span className="muted small">Deployment markers unavailable: the deployment history could not be loaded.</span> : null}
    </div>
  );
}

/** The latest F1 and the two score checks' limits (parametric band, IQR fence) over the scores shown. */
function ScoreStats({ shape }: { shape: ScoreHistoryShape }) {
  return (
    <div className="grid">
      <div className="card stat">
        <div className="label">Latest F1</div>
        <div className="value">{fmtScore(shape.points.at(-1)?.f1)}</div>
        <div className="sub">{shape.points.length} scores shown{shape.excluded ? `, ${shape.excluded} of never-deployed models or other kinds hidden` : ""}</div>
      </div>
      <div className="card stat">
        <div className="label">Parametric band (mean ± 2·SD)</div>
        <div className="value">{shape.band ? `${fmtScore(shape.band.lower)} – ${fmtScore(shape.band.upper)}` : "—"}</div>
        <div className="sub">{shape.band ? `mean ${fmtScore(shape.band.mean)}, SD ${fmtScore(shape.band.sd, 4)}` : `needs at least ${SCORE_CHECKS.parametric.minHistory} scores`}</div>
      </div>
      <div className="card stat">
        <div className="label">IQR fence (Q1 − 1.5·IQR)</div>
        <div className="value">{shape.fence ? fmtScore(shape.fence.value) : "—"}</div>
        <div className="sub">{shape.fence ? `Q1 ${fmtScore(shape.fence.q1)}, Q3 ${fmtScore(shape.fence.q3)}` : `needs at least ${SCORE_CHECKS.nonparametric.minHistory} scores`}</div>
      </div>
    </div>
  );
}

/** The 30 newest scores shown, newest first, with the period of data each is about. */
function ScoreList({ shape: { points, axis } }: { shape: ScoreHistoryShape }) {
  return (
    <section className="card" aria-label="Score list">
      <h2>Recorded scores</h2>
      {points.length === 0 ? (
        <div className="empty">No scores match this filter.</div>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th className="num">#</th>
                <th>Model</th>
                <th>Data</th>
                <th className="num">F1</th>
                {axis.kind === "time" ? <th>Data period</th> : null}
                <th>Recorded</th>
                <th>Drift</th>
              </tr>
            </thead>
            <tbody>
              {[...points].reverse().slice(0, 30).map((p) => (
                <tr key={p.n}>
                  <td className="num">{p.n}</td>
                  <td>v{p.modelVersion}</td>
                  <td className="wrap">
                    {p.dataset} <span className="muted">({p.kind})</span>
                  </td>
                  <td className="num">{fmtScore(p.f1, 4)}</td>
                  {axis.kind === "time" ? (
                    <td>
                      {periodText(p.period, axis.by)}
                      {p.periodOf === "run" ? <span className="muted"> (its run&apos;s)</span> : null}
                    </td>
                  ) : null}
                  <td>{fmtDateTime(p.createdAt)}</td>
                  <td>{p.driftF1 != null ? <Badge tone="bad">drift</Badge> : ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
