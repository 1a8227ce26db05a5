import { queryOptions } from "@tanstack/react-query";
import { apiGet } from "./fetcher";
import type {
  AlertsResponse,
  DatasetsResponse,
  DeploymentsResponse,
  Diagnostics,
  DriftResponse,
  ModelDetail,
  ModelsResponse,
  QuarantineResponse,
  Run,
  RunsResponse,
  SchemaResponse,
  Scoring,
  ScoresResponse,
  StabilityResponse,
  SummaryStatsResponse,
  TimingsResponse,
} from "./types";

/*
 * queryOptions factories, one per API read: the browser's useQuery fetches with them, and pages
 * fill the same keys on the server from the functions the route handlers call (app/hydrate.tsx).
 * Each returns the route's response as it is (its type is the zod schema's), except where a
 * named transform says otherwise (driftOldestFirst), which the server applies too.
 */

export const qk = {
  all: ["api"] as const,
  scoring: () => ["api", "scoring"] as const,
  models: () => ["api", "models"] as const,
  model: (id: number) => ["api", "models", id] as const,
  deployments: () => ["api", "deployments"] as const,
  datasets: () => ["api", "datasets"] as const,
  scores: () => ["api", "scores"] as const,
  drift: () => ["api", "drift"] as const,
  diagnostics: () => ["api", "diagnostics"] as const,
  timings: () => ["api", "diagnostics", "timings"] as const,
  stability: () => ["api", "diagnostics", "stability"] as const,
  runs: () => ["api", "runs"] as const,
  run: (id: number) => ["api", "runs", id] as const,
  alerts: () => ["api", "alerts"] as const,
  quarantine: () => ["api", "quarantine"] as const,
  schema: () => ["api", "schema"] as const,
  summaryStats: (dataset: SummaryStatsResponse["dataset"]) => ["api", "summarystats", dataset] as const,
};

/**
 * The data schema every page is built from (id, label and its values, features with their
 * types). Once stored it never changes (a different schema needs a new database), so it stays
 * fresh for the session; before the first ingestion (`stored: false`) it is the SCHEMA_FILE's
 * and is refetched like any other read.
 */
export const schemaQuery = () =>
  queryOptions({
    queryKey: qk.schema(),
    queryFn: ({ signal }) => apiGet<SchemaResponse>("/api/schema", { signal }),
    staleTime: (q) => (q.state.data?.stored ? Infinity : 15_000),
  });

/** Per-column statistics of the training records (or the test file): numeric summaries, and each categorical feature's most frequent levels. */
export const summaryStatsQuery = (dataset: SummaryStatsResponse["dataset"] = "training") =>
  queryOptions({
    queryKey: qk.summaryStats(dataset),
    queryFn: ({ signal }) => apiGet<SummaryStatsResponse>(`/api/summarystats?dataset=${dataset}`, { signal }),
    staleTime: 60_000,
  });

export const scoringQuery = () =>
  queryOptions({ queryKey: qk.scoring(), queryFn: ({ signal }) => apiGet<Scoring>("/api/scoring", { signal }), retry: false });

export const modelsQuery = () => queryOptions({ queryKey: qk.models(), queryFn: ({ signal }) => apiGet<ModelsResponse>("/api/models", { signal }) });

/** One version with its newest test score in full (confusion, ranking, curves); `id` is the version's id, not its number. */
export const modelDetailQuery = (id: number) =>
  queryOptions({ queryKey: qk.model(id), queryFn: ({ signal }) => apiGet<ModelDetail>(`/api/models/${id}`, { signal }) });

/** Every deployment, oldest first: the last one is live. */
export const deploymentsQuery = () =>
  queryOptions({ queryKey: qk.deployments(), queryFn: ({ signal }) => apiGet<DeploymentsResponse>("/api/deployments", { signal }) });

export const datasetsQuery = () =>
  queryOptions({ queryKey: qk.datasets(), queryFn: ({ signal }) => apiGet<DatasetsResponse>("/api/datasets", { signal }) });

export const scoresQuery = () => queryOptions({ queryKey: qk.scores(), queryFn: ({ signal }) => apiGet<ScoresResponse>("/api/scores", { signal }) });

/** The drift checks OLDEST first (the route sends them newest first); pages apply it to their server read too. */
export function driftOldestFirst<T extends { checks: readonly { createdAt: string; runId: number | null }[] }>(body: T): T {
  const checks = [...body.checks].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || (a.runId ?? 0) - (b.runId ?? 0));
  return { ...body, checks };
}

/** Drift checks, oldest first (driftOldestFirst). */
export const driftQuery = () =>
  queryOptions({ queryKey: qk.drift(), queryFn: async ({ signal }) => driftOldestFirst(await apiGet<DriftResponse>("/api/drift", { signal })) });

export const diagnosticsQuery = () =>
  queryOptions({ queryKey: qk.diagnostics(), queryFn: ({ signal }) => apiGet<Diagnostics>("/api/diagnostics", { signal }) });

/** Step timings over time, oldest first. */
export const timingsQuery = () =>
  queryOptions({ queryKey: qk.timings(), queryFn: ({ signal }) => apiGet<TimingsResponse>("/api/diagnostics/timings", { signal }) });

/** Per-column statistics after each ingestion against the previous snapshot, oldest first. */
export const stabilityQuery = () =>
  queryOptions({ queryKey: qk.stability(), queryFn: ({ signal }) => apiGet<StabilityResponse>("/api/diagnostics/stability", { signal }) });

/** Run history; polls every 2 s while a run is in progress so "running" rows turn into outcomes by themselves. */
export const runsQuery = () =>
  queryOptions({
    queryKey: qk.runs(),
    queryFn: ({ signal }) => apiGet<RunsResponse>("/api/runs", { signal }),
    refetchInterval: (q) => (q.state.data?.runs.some((r) => r.status === "running") ? 2000 : false),
  });

/** One run; polls every second until it has finished. */
export const runQuery = (id: number) =>
  queryOptions({
    queryKey: qk.run(id),
    queryFn: ({ signal }) => apiGet<Run>(`/api/runs/${id}`, { signal }),
    refetchInterval: (q) => (q.state.data && q.state.data.status !== "running" ? false : 1000),
  });

/** Alerts, newest first (the route's default page). */
export const alertsQuery = () => queryOptions({ queryKey: qk.alerts(), queryFn: ({ signal }) => apiGet<AlertsResponse>("/api/alerts", { signal }) });

/** Rejected rows, newest first (the route's default page), with the total. */
export const quarantineQuery = () =>
  queryOptions({ queryKey: qk.quarantine(), queryFn: ({ signal }) => apiGet<QuarantineResponse>("/api/diagnostics/quarantine", { signal }) });
