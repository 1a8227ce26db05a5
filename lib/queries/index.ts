import { queryOptions } from "@tanstack/react-query";
import { apiGet } from "./fetcher";
import type {
  AlertEntry,
  DatasetsResponse,
  Diagnostics,
  DriftResponse,
  Health,
  ModelsResponse,
  QuarantineEntry,
  Run,
  RunsResponse,
  Scoring,
  ScoresResponse,
  SessionStatus,
  SummaryStats,
} from "./types";

/*
 * queryOptions factories: one per API read, shared by server prefetch (pages) and client
 * useQuery (widgets), so a key and its fetcher are never written twice.
 */

export const qk = {
  all: ["api"] as const,
  health: () => ["api", "health"] as const,
  scoring: () => ["api", "scoring"] as const,
  models: () => ["api", "models"] as const,
  datasets: () => ["api", "datasets"] as const,
  scores: () => ["api", "scores"] as const,
  drift: () => ["api", "drift"] as const,
  diagnostics: () => ["api", "diagnostics"] as const,
  runs: () => ["api", "runs"] as const,
  run: (id: number) => ["api", "runs", id] as const,
  summary: (dataset: "training" | "test") => ["api", "summarystats", dataset] as const,
  alerts: () => ["api", "alerts"] as const,
  quarantine: () => ["api", "quarantine"] as const,
  session: () => ["api", "session"] as const,
};

export const healthQuery = () => queryOptions({ queryKey: qk.health(), queryFn: ({ signal }) => apiGet<Health>("/api/health", { signal }) });

export const scoringQuery = () =>
  queryOptions({ queryKey: qk.scoring(), queryFn: ({ signal }) => apiGet<Scoring>("/api/scoring", { signal }), retry: false });

export const modelsQuery = () => queryOptions({ queryKey: qk.models(), queryFn: ({ signal }) => apiGet<ModelsResponse>("/api/models", { signal }) });

export const datasetsQuery = () =>
  queryOptions({ queryKey: qk.datasets(), queryFn: ({ signal }) => apiGet<DatasetsResponse>("/api/datasets", { signal }) });

export const scoresQuery = () => queryOptions({ queryKey: qk.scores(), queryFn: ({ signal }) => apiGet<ScoresResponse>("/api/scores", { signal }) });

/** Drift checks, normalised to OLDEST first whatever order the route sends (it sends newest first). */
export const driftQuery = () =>
  queryOptions({
    queryKey: qk.drift(),
    queryFn: async ({ signal }): Promise<DriftResponse> => {
      const body = await apiGet<DriftResponse>("/api/drift", { signal });
      const checks = [...body.checks].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || (a.runId ?? 0) - (b.runId ?? 0));
      return { ...body, checks };
    },
  });

export const diagnosticsQuery = () =>
  queryOptions({ queryKey: qk.diagnostics(), queryFn: ({ signal }) => apiGet<Diagnostics>("/api/diagnostics", { signal }) });

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

export const summaryQuery = (dataset: "training" | "test" = "training") =>
  queryOptions({
    queryKey: qk.summary(dataset),
    queryFn: ({ signal }) => apiGet<SummaryStats>(`/api/summarystats?dataset=${dataset}`, { signal }),
  });

export const alertsQuery = () =>
  queryOptions({
    queryKey: qk.alerts(),
    queryFn: async ({ signal }) => normaliseAlerts(await apiGet<unknown>("/api/alerts", { signal })),
  });

export const quarantineQuery = () =>
  queryOptions({
    queryKey: qk.quarantine(),
    queryFn: async ({ signal }) => normaliseQuarantine(await apiGet<unknown>("/api/diagnostics/quarantine", { signal })),
  });

export const sessionQuery = () =>
  queryOptions({ queryKey: qk.session(), queryFn: ({ signal }) => apiGet<SessionStatus>("/api/session", { signal }), staleTime: 0 });

/** Accept `{ alerts: [...] }` or a bare array; keep the fields the pages show. */
export function normaliseAlerts(body: unknown): AlertEntry[] {
  const list = Array.isArray(body) ? body : ((body as { alerts?: unknown[] } | null)?.alerts ?? []);
  return list.map((a) => {
    const o = a as Record<string, unknown>;
    return {
      id: Number(o.id),
      kind: String(o.kind ?? "alert"),
      message: String(o.message ?? ""),
      runId: o.runId == null ? null : Number(o.runId),
      createdAt: String(o.createdAt ?? ""),
      acknowledged: Boolean(o.acknowledged),
    };
  });
}

/** Accept `{ rows | rejected | quarantine: [...] }` or a bare array; rowNumber or row. */
export function normaliseQuarantine(body: unknown): QuarantineEntry[] {
  const b = body as Record<string, unknown> | null;
  const list = Array.isArray(body) ? body : ((b?.rows ?? b?.rejected ?? b?.quarantine ?? b?.items ?? []) as unknown[]);
  return list.map((r) => {
    const o = r as Record<string, unknown>;
    const ds = o.dataset as unknown;
    return {
      id: o.id == null ? undefined : Number(o.id),
      datasetId: o.datasetId == null ? undefined : Number(o.datasetId),
      dataset: typeof ds === "string" ? ds : typeof ds === "object" && ds ? String((ds as { name?: string }).name ?? "") : (o.file as string | undefined),
      row: Number(o.row ?? o.rowNumber),
      column: (o.column as string | null | undefined) ?? null,
      problem: String(o.problem ?? ""),
      raw: (o.raw as QuarantineEntry["raw"]) ?? null,
      createdAt: o.createdAt == null ? undefined : String(o.createdAt),
    };
  });
}
