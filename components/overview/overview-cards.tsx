"use client";

import { useQuery, useQueryClient, type UseQueryResult } from "@tanstack/react-query";
import Link from "next/link";
import { useMemo, useState, type ReactNode } from "react";
import { useAdminSession } from "@/components/auth/admin-session";
import { useAccess, useRoleGate } from "@/components/auth/use-access";
import { Badge, CheckBadge, RunBadge } from "@/components/ui/badges";
import { ChartCard } from "@/components/ui/chart-card";
import { fmtDateTime, fmtInt, fmtScore } from "@/components/ui/format";
import { RelativeTime } from "@/components/ui/relative-time";
import { ErrorPanel } from "@/components/ui/query-state";
import { Skeleton } from "@/components/ui/skeleton";
import { splitReason } from "@/components/runs/reason-list";
import { ScoreHistoryChart } from "@/components/scores/score-history-chart";
import { shapeScoreHistory } from "@/components/scores/shape-score-history";
import { alertsQuery, deploymentsQuery, driftQuery, modelsQuery, qk, quarantineQuery, runsQuery, scoresQuery } from "@/lib/queries";
import { ApiError, apiSend, errorMessage } from "@/lib/queries/fetcher";
import type { AlertsResponse, DeploymentsResponse, DriftCheck, ModelEntry, Run } from "@/lib/queries/types";
import { SCORE_CHECK_IDS as SCORE_CHECKS } from "@/lib/vocabulary";

type Alert = AlertsResponse["alerts"][number];
type Deployment = DeploymentsResponse["deployments"][number];

type Verdict = { tone: "ok" | "warn" | "bad"; title: string; detail: string; runId?: number; setup?: boolean };

/**
 * The one-line answer to "is the model still good?": a failed last run first, then what the
 * newest drift check said and what its run decided, then open alerts.
 */
function verdictOf(deployed: ModelEntry | undefined, runs: readonly Run[], lastCheck: DriftCheck | undefined, openAlerts: number): Verdict {
  const lastRun = runs[0];
  if (!deployed) {
    if (runs.length === 0) return { tone: "bad", title: "No data and no model yet", detail: "Start with a first dataset: drop a CSV, confirm its columns, and the first model is trained and deployed.", setup: true };
    return { tone: "bad", title: "No model is deployed", detail: "Ingest data and train one: the Models page has “Train now”, the Runs page “Run now”." };
  }
  if (lastRun?.status === "failed") return { tone: "bad", title: `The last run (#${lastRun.id}) failed`, detail: lastRun.reason ?? "See the run for the error.", runId: lastRun.id };
  const drifted = lastCheck != null && (lastCheck.triggered || SCORE_CHECKS.some((c) => lastCheck.score[c]?.status === "drift"));
  if (lastCheck && drifted) {
    const run = runs.find((r) => r.id === lastCheck.runId);
    const where = lastCheck.runId != null ? `run #${lastCheck.runId}` : "the last check";
    if (run?.outcome === "redeployed") {
      return { tone: "ok", title: `Drift in ${where} was handled: model v${deployed.version} retrained and deployed (F1 ${fmtScore(deployed.f1)})`, detail: run.reason ?? "", runId: run.id };
    }
    if (run?.outcome === "gate-rejected") {
      return {
        tone: "warn",
        title: `Drift in ${where}: model v${lastCheck.modelVersion} scored F1 ${fmtScore(lastCheck.newScore)} on new data; the retrained challenger was not better, v${deployed.version} stays`,
        detail: run.reason ?? "",
        runId: run.id,
      };
    }
    return { tone: "warn", title: `Drift flagged in ${where} on model v${lastCheck.modelVersion}`, detail: run?.reason ?? "See the Drift page.", runId: run?.id };
  }
  if (openAlerts > 0) return { tone: "warn", title: `Model v${deployed.version} is live, ${openAlerts} open alert${openAlerts > 1 ? "s" : ""}`, detail: "See the alerts below." };
  return {
    tone: "ok",
    title: `Model v${deployed.version} looks healthy (F1 ${fmtScore(deployed.f1)})`,
    detail: lastRun ? `Last run (#${lastRun.id}, ${fmtDateTime(lastRun.finishedAt ?? lastRun.startedAt)}): ${lastRun.outcome ?? lastRun.status}. ${lastRun.reason ?? ""}` : "No pipeline run yet.",
    runId: lastRun?.id,
  };
}

/** Mark an alert as seen (no confirmation: it changes nothing but the alert list). */
function AcknowledgeButton({ id }: { id: number }) {
  const { runAsAdmin } = useAdminSession();
  const queryClient = useQueryClient();
  const gate = useRoleGate("operator");
  const [state, setState] = useState<"idle" | "busy" | string>("idle");
  return (
    <>
      <button
        type="button"
        className="link-button"
        disabled={state === "busy" || gate.denied}
        {...gate.describe}
        onClick={async () => {
          setState("busy");
          try {
            await runAsAdmin(() => apiSend(`/api/alerts/${id}/acknowledge`, {}));
            await queryClient.invalidateQueries({ queryKey: qk.alerts() });
            setState("idle");
          } catch (e) {
            setState(errorMessage(e));
          }
        }}
      >
        acknowledge
      </button>
      {gate.note ? <span className="sr-only">{gate.note}</span> : null}
      {state !== "idle" && state !== "busy" ? <span className="error small"> {state}</span> : null}
    </>
  );
}

/** The first clause of a pipeline reason, at most ~200 characters (the run page has the rest). */
function shortReason(reason: string): string {
  const first = splitReason(reason)[0] ?? "";
  const cut = first.length > 200 ? `${first.slice(0, 197)}…` : first;
  return cut.length < reason.length && !cut.endsWith("…") ? `${cut} …` : cut;
}

/** The overview's queries; the morning screen stays current by itself: a refresh every minute (runs poll faster while one is running). */
function useOverviewQueries() {
  const models = useQuery({ ...modelsQuery(), refetchInterval: 60_000 });
  const runs = useQuery(runsQuery());
  const drift = useQuery({ ...driftQuery(), refetchInterval: 60_000 });
  const alerts = useQuery({ ...alertsQuery(), refetchInterval: 60_000 });
  const scores = useQuery({ ...scoresQuery(), refetchInterval: 60_000 });
  const deploymentHistory = useQuery({ ...deploymentsQuery(), refetchInterval: 60_000 });
  const quarantine = useQuery({ ...quarantineQuery(), refetchInterval: 60_000 });
  return { models, runs, drift, alerts, scores, deploymentHistory, quarantine };
}

export function OverviewCards() {
  const { models, runs, drift, alerts, scores, deploymentHistory, quarantine } = useOverviewQueries();
  const deployments = deploymentHistory.data?.deployments;

  const deployed = models.data?.models.find((m) => m.deployed);
  const live = deployments?.at(-1);
  const lastRun = runs.data?.runs[0];
  const lastCheck = drift.data?.checks.at(-1);
  const openAlerts = (alerts.data?.alerts ?? []).filter((a) => !a.acknowledged);
  const shape = useMemo(
    () => (scores.data && deployments ? shapeScoreHistory(scores.data.scores, { deployments, drift: drift.data?.checks ?? [], kind: "all", runs: runs.data?.runs }) : null),
    [scores.data, drift.data, deployments, runs.data],
  );
  const verdict = models.data ? verdictOf(deployed, runs.data?.runs ?? [], lastCheck, openAlerts.length) : null;

  return (
    <>
      <OpenServerBanner />
      {verdict ? <VerdictBanner verdict={verdict} /> : null}
      <div className="grid">
        <QueryStatCard testId="deployed-model" label="Deployed model" query={models} loading="Loading the deployed model" what="the models">
          <DeployedModelStat deployed={deployed} live={live} />
        </QueryStatCard>
        <div className="card stat">
          <div className="label">F1 on test data</div>
          <div className="value" data-testid="deployed-f1">
            {deployed?.f1 != null ? deployed.f1.toFixed(3) : "—"}
          </div>
          <div className="sub" data-testid="deploy-reason">{live ? `live because: ${live.reason}` : ""}</div>
        </div>
        <QueryStatCard testId="last-run" label="Last run" query={runs} loading="Loading the last run" what="the runs">
          <LastRunStat lastRun={lastRun} />
        </QueryStatCard>
        <QueryStatCard testId="last-drift" label="Drift at the last check" query={drift} loading="Loading drift" what="drift">
          <LastDriftStat lastCheck={lastCheck} />
        </QueryStatCard>
        <div className="card stat" data-testid="quarantined">
          <div className="label">Quarantined rows</div>
          <div className="value">
            <Link href="/data#quarantine">{quarantine.data ? fmtInt(quarantine.data.total) : "—"}</Link>
          </div>
          <div className="sub">rows rejected at ingestion (bad label or feature)</div>
        </div>
      </div>
      <div className="two-col wide-left">
        <ChartCard
          title="F1 history"
          testId="chart-overview-scores"
          description={<Link href="/scores">Scores page: band, fence and details →</Link>}
          empty={
            scores.isError
              ? `Could not load the scores: ${errorMessage(scores.error)}`
              : deploymentHistory.isError
                ? `Could not load the deployments: ${errorMessage(deploymentHistory.error)}`
                : shape && shape.points.length === 0 ? "No scores recorded yet." : null}
        >
          {shape ? <ScoreHistoryChart shape={shape} height={220} compact /> : <Skeleton height={220} label="Loading scores" />}
        </ChartCard>
        <OpenAlertsCard alerts={alerts} openAlerts={openAlerts} />
      </div>
    </>
  );
}

/** A server without users and without ADMIN_TOKEN lets anyone change anything: say so, and how to end it. */
function OpenServerBanner() {
  if (useAccess().mode !== "open") return null;
  return (
    <p className="notice warn open-banner" role="status" data-testid="open-banner">
      <strong>This server is open:</strong> anyone who can reach it can read and change everything. Add the first admin with <code>npm run users -- add NAME --role admin</code>.
    </p>
  );
}

function VerdictBanner({ verdict }: { verdict: Verdict }) {
  return (
    <div className={`verdict ${verdict.tone}`} role="status" data-testid="verdict">
      <strong>{verdict.title}</strong>
      <span>
        {shortReason(verdict.detail)}
        {verdict.setup ? (
          <>
            {" "}
            <Link href="/setup" data-testid="setup-link">
              Set up a first dataset →
            </Link>
          </>
        ) : null}
        {verdict.runId != null ? (
          <>
            {" "}
            <Link href={`/runs/${verdict.runId}`}>Why, step by step: run #{verdict.runId} →</Link>
          </>
        ) : null}
      </span>
    </div>
  );
}

/** A stat card over one query: a skeleton while it loads, an error panel with a retry if it failed, else the children. */
function QueryStatCard<T>({ testId, label, query, loading, what, children }: { testId: string; label: string; query: UseQueryResult<T>; loading: string; what: string; children: ReactNode }) {
  return (
    <div className="card stat" data-testid={testId}>
      <div className="label">{label}</div>
      {query.isPending ? (
        <Skeleton height={48} label={loading} />
      ) : query.isError ? (
        <ErrorPanel label={what} message={errorMessage(query.error)} onRetry={() => void query.refetch()} />
      ) : (
        children
      )}
    </div>
  );
}

function DeployedModelStat({ deployed, live }: { deployed: ModelEntry | undefined; live: Deployment | undefined }) {
  return deployed ? (
    <>
      <div className="value">v{deployed.version}</div>
      <div className="sub">
        since {live ? <RelativeTime iso={live.deployedAt} /> : "—"} · {fmtInt(deployed.trainedRows)} training rows
      </div>
    </>
  ) : (
    <>
      <div className="value">none</div>
      <div className="sub">No model is deployed yet: add CSV files to the source folder and run the full process.</div>
    </>
  );
}

function LastRunStat({ lastRun }: { lastRun: Run | undefined }) {
  return lastRun ? (
    <>
      <div className="value">
        <Link href={`/runs/${lastRun.id}`}>#{lastRun.id}</Link> <RunBadge run={lastRun} />
      </div>
      <div className="sub">
        <RelativeTime iso={lastRun.startedAt} /> · {lastRun.trigger} · {lastRun.reason ? shortReason(lastRun.reason) : lastRun.status === "running" ? "in progress…" : ""}
      </div>
    </>
  ) : (
    <>
      <div className="value">none</div>
      <div className="sub">No full-process run yet. Start one on the Runs page.</div>
    </>
  );
}

function LastDriftStat({ lastCheck }: { lastCheck: DriftCheck | undefined }) {
  return lastCheck ? (
    <>
      <div className="value">{lastCheck.triggered ? <Badge tone="bad">retrain triggered</Badge> : <Badge tone="ok">no retrain needed</Badge>}</div>
      <div className="sub checks-inline">
        {SCORE_CHECKS.map((c) => (
          <span key={c}>
            {c} <CheckBadge check={lastCheck.score[c]} />
          </span>
        ))}
      </div>
    </>
  ) : (
    <>
      <div className="value">—</div>
      <div className="sub">No drift check yet: runs with new data check for drift.</div>
    </>
  );
}

/** The eight newest unacknowledged alerts, each with its acknowledge button; "not available" when the server has no alerts route. */
function OpenAlertsCard({ alerts, openAlerts }: { alerts: UseQueryResult<AlertsResponse>; openAlerts: Alert[] }) {
  const denied = useAccess().denial("operator");
  return (
    <section className="card" aria-label="Open alerts" data-testid="alerts">
      <h2>Open alerts</h2>
      {denied && openAlerts.length > 0 ? <p className="role-note">Acknowledging: {denied}</p> : null}
      {alerts.isPending ? (
        <Skeleton height={80} label="Loading alerts" />
      ) : alerts.isError ? (
        alerts.error instanceof ApiError && alerts.error.status === 404 ? (
          <div className="empty">Alerts are not available on this server.</div>
        ) : (
          <ErrorPanel label="alerts" message={errorMessage(alerts.error)} onRetry={() => void alerts.refetch()} />
        )
      ) : openAlerts.length === 0 ? (
        <div className="empty">No open alerts.</div>
      ) : (
        <ul className="alerts">
          {openAlerts.slice(0, 8).map((a) => (
            <AlertItem key={a.id} alert={a} />
          ))}
        </ul>
      )}
    </section>
  );
}

function AlertItem({ alert: a }: { alert: Alert }) {
  return (
    <li>
      <Badge tone={a.kind === "run-failed" ? "bad" : "warn"}>{a.kind}</Badge> {a.message}{" "}
      <AcknowledgeButton id={a.id} />{" "}
      <span className="muted small">
        <RelativeTime iso={a.createdAt} />
        {a.runId != null ? (
          <>
            {" "}· <Link href={`/runs/${a.runId}`}>run #{a.runId}</Link>
          </>
        ) : null}
      </span>
    </li>
  );
}
