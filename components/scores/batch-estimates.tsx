"use client";

import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { Badge } from "@/components/ui/badges";
import { ChartCard } from "@/components/ui/chart-card";
import { fmtDateTime, fmtInt, fmtScore } from "@/components/ui/format";
import { QueryState } from "@/components/ui/query-state";
import { scoringQuery } from "@/lib/queries";
import { batchesQuery, type BatchEntry } from "@/lib/queries/batches";
import { BatchEstimatesChart } from "./batch-estimates-chart";
import { shapeBatchEstimates, type BatchPoint } from "./shape-batch-estimates";

/** Scores page: performance before labels arrive — estimated F1 per monitored batch beside the realized F1. */
export function BatchEstimates() {
  const batches = useQuery(batchesQuery());
  const scoring = useQuery(scoringQuery());
  const shaped = useMemo(() => (batches.data ? shapeBatchEstimates(batches.data.batches) : null), [batches.data]);
  const points = shaped?.points ?? [];
  return (
    <QueryState query={batches} label="the monitored batches">
      {({ batches: list }) => (
        <>
          <ChartCard
            title="Estimated vs realized F1 of monitored batches"
            testId="chart-batch-estimates"
            description={
              <>
                Batches of clients scored before their labels arrived (Predict page, or POST /api/batches), at the end of the period of
                their rows (by position when a batch has none). Dashed purple: the F1 estimated
                from the model&apos;s probabilities, with its 95 % band (shaded and whiskers); green: the realized F1 once labels for the
                batch&apos;s clients were ingested. The <code>estimated</code> check flags drift when a band lies wholly below the deployed
                model&apos;s test F1 (dotted).
              </>
            }
            empty={points.length === 0 ? "No monitored batches yet. Upload a CSV without labels on the Predict page (\"Monitor as a batch\") to get an estimate." : null}
          >
            {shaped ? <BatchEstimatesChart points={points} axis={shaped.axis} testF1={scoring.data?.f1 ?? null} /> : null}
          </ChartCard>
          {points.length > 0 ? <BatchesTable points={points} batches={list} /> : null}
        </>
      )}
    </QueryState>
  );
}

/** The monitored batches, newest first: estimate with its band, realized F1 once labelled, feature drift. */
function BatchesTable({ points, batches }: { points: BatchPoint[]; batches: BatchEntry[] }) {
  return (
    <section className="card" aria-label="Monitored batches">
      <h2>Monitored batches</h2>
      <div className="table-wrap">
        <table data-testid="batches-table">
          <thead>
            <tr>
              <th className="num">#</th>
              <th>Batch</th>
              <th>Model</th>
              <th className="num">Clients</th>
              <th className="num">Estimated F1 (95 % band)</th>
              <th className="num">Realized F1</th>
              <th>Feature drift</th>
              <th>Scored</th>
            </tr>
          </thead>
          <tbody>
            {[...points].reverse().map((p) => {
              const b = batches.find((x) => x.id === p.id)!;
              return (
                <tr key={p.id}>
                  <td className="num">{p.n}</td>
                  <td>
                    {p.name} {p.calibrated ? <span className="muted small">(calibrated)</span> : null}
                  </td>
                  <td>v{p.modelVersion}</td>
                  <td className="num">{fmtInt(p.rows)}</td>
                  <td className="num">
                    {fmtScore(p.estimated)} <span className="muted">({fmtScore(p.lower)} – {fmtScore(p.upper)})</span>
                  </td>
                  <td className="num">
                    {p.realized === null ? (
                      <span className="muted">awaiting labels</span>
                    ) : (
                      <>
                        {fmtScore(p.realized)} <span className="muted small">on {fmtInt(p.labelledRows)}</span>{" "}
                        {p.outside ? <Badge tone="bad">outside band</Badge> : null}
                      </>
                    )}
                  </td>
                  <td>{b.driftedFeatures.length > 0 ? <Badge tone="bad">{b.driftedFeatures.join(", ")}</Badge> : <Badge tone="ok">none</Badge>}</td>
                  <td>{fmtDateTime(p.createdAt)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
