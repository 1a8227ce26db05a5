import { BatchCreatedResponse, BatchDetail, BatchIdParams, BatchJsonBody, BatchMultipartBody, BatchesQuery, BatchesResponse } from "./batches";
import { ErrorBody, OpenApiDocumentResponse } from "./common";
import { DeploymentsResponse, TimingsResponse } from "./dashboard";
import {
  DatasetsQuery,
  DatasetsResponse,
  HealthResponse,
  ModelDetailResponse,
  ModelIdParams,
  ModelsQuery,
  ModelsResponse,
  ScoresQuery,
  ScoresResponse,
  ScoringResponse,
  SummaryStatsQuery,
  SummaryStatsResponse,
} from "./core";
import { IngestMultipartBody, IngestResponse } from "./ingest";
import { DeployBody, DeploymentResponse, RollbackBody, TrainBody, TrainResponse } from "./models";
import {
  AlertIdParams,
  AlertResponse,
  AlertsQuery,
  AlertsResponse,
  DependenciesResponse,
  DiagnosticsResponse,
  DriftQuery,
  DriftResponse,
  QuarantineQuery,
  QuarantineResponse,
  ReportResponse,
  RunDetailResponse,
  RunIdParams,
  RunStartResponse,
  RunsQuery,
  RunsResponse,
  StabilityResponse,
  StartRunBody,
  TimingCheckBody,
  TimingCheckResponse,
} from "./monitoring";
import { PredictionJsonBody, PredictionMultipartBody, PredictionQuery, PredictionResponse } from "./prediction";
import { SchemaResponse } from "./schema";
import { SessionBody, SessionStatus } from "./session";
import { SetupInspectMultipartBody, SetupInspectResponse, SetupMultipartBody, SetupStateResponse } from "./setup";
import { z } from "./zod";

/*
 * The route table: every method and path of the HTTP API with the schemas its handler validates
 * its request with and types its answers by. The OpenAPI document (lib/validations/openapi.ts)
 * is generated from it, and the route tests (lib/testing/api.ts) check every JSON body they
 * receive against it, so the document, the handlers and the tests share one contract.
 */

export type Method = "get" | "post" | "delete";
export type Tag = "operations" | "models" | "prediction" | "data" | "session" | "classic";
type ZodObject = z.ZodObject<z.ZodRawShape>;

export type ErrorStatus = 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 422 | 429 | 503 | 507;

/** What each error status means, as the document says it. */
const ERROR_TEXT: Record<ErrorStatus, string> = {
  400: "malformed request (bad JSON, broken CSV or multipart, bad query parameter)",
  401: "ADMIN_TOKEN is set and the request has no (or a wrong) bearer token or session cookie",
  403: "forbidden:origin — a write signed by the session cookie came from another site's page (Origin is not this server)",
  404: "unknown id",
  405: "method_not_allowed:method — the route does not take this method; Allow lists those it takes",
  409: "conflict: no deployed model, no training or test data, a run in progress, nothing to roll back to",
  413: "body larger than MAX_UPLOAD_MB",
  415: "wrong Content-Type, or an upload that is not a UTF-8 CSV text file",
  422: "valid syntax but wrong content: missing columns, bad values (details list row, column, problem)",
  429: "too_many_requests:token — more than 5 wrong tokens from this client within 60 s; Retry-After says when to try again",
  503: "unavailable:database (the database cannot be reached) or unavailable:database_damaged (a query met a damaged database file; /api/health says so until a restart)",
  507: "insufficient_storage:disk_full — the database's volume is full; nothing of the request was stored (the message names the volume and what to free)",
};

/** What any route that reads the database may answer, and a write also when its volume is full (lib/db/storage-health.ts). */
const READ_STORAGE_ERRORS = [503] as const satisfies readonly ErrorStatus[];
const WRITE_STORAGE_ERRORS = [503, 507] as const satisfies readonly ErrorStatus[];

/** The errors every write route may answer before its handler runs (the token check of apiRoute). */
const WRITE_ERRORS = [401, 403, 429] as const satisfies readonly ErrorStatus[];

/** One documented answer: a JSON body of `schema`, or another content type (`schema` describes it). */
export interface RouteResponse {
  description: string;
  schema: z.ZodType;
  contentType?: "application/json" | "application/pdf" | "text/plain";
}

export interface RouteSpec {
  method: Method;
  path: string;
  summary: string;
  tag: Tag;
  /** needs the admin token when ADMIN_TOKEN is set (apiRoute's `write`); adds WRITE_ERRORS */
  write?: boolean;
  params?: ZodObject;
  query?: ZodObject;
  body?: { required: boolean; description?: string; json?: z.ZodType; multipart?: z.ZodType };
  responses: Partial<Record<number, RouteResponse>>;
  /** a write route (token-guarded) that writes nothing to the database: no 507 */
  storesNothing?: boolean;
  /** error statuses the handler answers (ErrorBody) besides WRITE_ERRORS */
  errors?: readonly ErrorStatus[];
}

const ok = (schema: z.ZodType, description: string): RouteResponse => ({ description, schema });

const scoring: Omit<RouteSpec, "path"> = {
  method: "get",
  summary: "Score of the deployed model on the test data (recorded once per model and test file)",
  tag: "models",
  responses: { 200: ok(ScoringResponse, "F1, precision, recall, accuracy and confusion counts of the deployed model on the test data") },
  errors: [409, 422],
};
const summaryStats: Omit<RouteSpec, "path"> = {
  method: "get",
  summary: "Summary statistics of the training or test data (as pandas describe())",
  tag: "data",
  query: SummaryStatsQuery,
  responses: { 200: ok(SummaryStatsResponse, "per numeric column: mean, median, sample std, min, max, missing fraction") },
  errors: [400, 409],
};
const diagnostics: Omit<RouteSpec, "path"> = {
  method: "get",
  summary: "Diagnostics: missing data per column, step timings, dependencies",
  tag: "operations",
  responses: { 200: ok(DiagnosticsResponse, "missing data, step timings and dependency status") },
};
const prediction: Omit<RouteSpec, "path"> = {
  storesNothing: true,
  method: "post",
  summary: "Predict exit probabilities with the deployed model (?explain=1: with each client's feature contributions)",
  tag: "prediction",
  write: true,
  query: PredictionQuery,
  body: {
    description: "JSON rows, or a CSV file in the multipart field `file` (header required, exited optional)",
    required: true,
    json: PredictionJsonBody,
    multipart: PredictionMultipartBody,
  },
  responses: { 200: ok(PredictionResponse, "predictions in input order (with a score when the input had labels)") },
  errors: [400, 409, 413, 415, 422],
};

/** The classic paths of the original project (rewrites of next.config.js to their /api twins). */
const classic = (path: string, twin: Omit<RouteSpec, "path">, twinPath: string): RouteSpec => ({
  ...twin,
  path,
  tag: "classic",
  summary: `Classic path of ${twin.method.toUpperCase()} ${twinPath}`,
});

export const ROUTES: readonly RouteSpec[] = [
  // ---- Read
  {
    method: "get",
    path: "/api/health",
    summary: "Liveness, database check and the deployed model",
    tag: "operations",
    responses: {
      200: ok(HealthResponse, "the server is up"),
      503: ok(HealthResponse, "the database cannot serve reads: status degraded, database error, `checks` names the failing table family"),
    },
  },
  {
    method: "get",
    path: "/api/schema",
    summary: "The data schema: id, label and its positive value, time, features with their types",
    tag: "data",
    responses: { 200: ok(SchemaResponse, "the stored schema (or the SCHEMA_FILE the first ingestion will store)") },
  },
  { ...scoring, path: "/api/scoring" },
  { ...summaryStats, path: "/api/summarystats" },
  { ...diagnostics, path: "/api/diagnostics" },
  // The list routes page with ?limit=&before=<id> and answer nextCursor (lib/validations/pagination.ts).
  {
    method: "get",
    path: "/api/scores",
    summary: "Recorded scores, a page at a time: the newest `limit` below `before`, listed oldest first",
    tag: "models",
    query: ScoresQuery,
    responses: { 200: ok(ScoresResponse, "score history") },
    errors: [400],
  },
  {
    method: "get",
    path: "/api/drift",
    summary: "Drift checks of the pipeline runs (score checks and per-feature KS/PSI), newest first, a page at a time",
    tag: "operations",
    query: DriftQuery,
    responses: { 200: ok(DriftResponse, "drift checks") },
    errors: [400],
  },
  {
    method: "get",
    path: "/api/models",
    summary: "Model versions with their latest test F1, a page at a time: the newest `limit` below `before`, listed oldest first",
    tag: "models",
    query: ModelsQuery,
    responses: { 200: ok(ModelsResponse, "model versions") },
    errors: [400],
  },
  {
    method: "get",
    path: "/api/models/{id}",
    summary: "One model version with its newest test score in full: ranking metrics, calibration table, ROC/PR/threshold curve points, coefficient table",
    tag: "models",
    params: ModelIdParams,
    responses: { 200: ok(ModelDetailResponse, "the model version") },
    errors: [404],
  },
  {
    method: "get",
    path: "/api/datasets",
    summary: "The ingestion ledger, a page at a time: the newest `limit` entries below `before`, listed oldest first",
    tag: "data",
    query: DatasetsQuery,
    responses: { 200: ok(DatasetsResponse, "ledger entries") },
    errors: [400],
  },
  {
    method: "get",
    path: "/api/runs",
    summary: "Pipeline runs (full process), newest first, a page at a time",
    tag: "operations",
    query: RunsQuery,
    responses: { 200: ok(RunsResponse, "runs") },
    errors: [400],
  },
  {
    method: "get",
    path: "/api/runs/{id}",
    summary: "One pipeline run with its step timings; poll it after POST /api/runs",
    tag: "operations",
    params: RunIdParams,
    responses: { 200: ok(RunDetailResponse, "the run") },
    errors: [404],
  },
  {
    method: "get",
    path: "/api/diagnostics/dependencies",
    summary: "Cached dependency status (declared, installed, latest)",
    tag: "operations",
    responses: { 200: ok(DependenciesResponse, "dependencies") },
  },
  {
    method: "post",
    path: "/api/diagnostics/dependencies",
    summary: "Refresh the dependency status now (npm, with a timeout; offline → unknown)",
    tag: "operations",
    write: true,
    responses: { 200: ok(DependenciesResponse, "refreshed dependencies") },
  },
  {
    method: "get",
    path: "/api/diagnostics/quarantine",
    summary: "Rows rejected at ingestion, newest first, a page at a time",
    tag: "operations",
    query: QuarantineQuery,
    responses: { 200: ok(QuarantineResponse, "quarantined rows") },
    errors: [400],
  },
  {
    method: "get",
    path: "/api/diagnostics/stability",
    summary: "Per-column statistics after each ingestion against the previous snapshot",
    tag: "operations",
    responses: { 200: ok(StabilityResponse, "snapshots") },
  },
  // dashboard reads beyond API.md (lib/validations/dashboard.ts)
  { method: "get", path: "/api/deployments", summary: "Deployment history, oldest first (the last is live)", tag: "models", responses: { 200: ok(DeploymentsResponse, "every deployment") } },
  { method: "get", path: "/api/diagnostics/timings", summary: "Step timings over time, oldest first", tag: "operations", responses: { 200: ok(TimingsResponse, "the newest step timings") } },
  {
    method: "post",
    path: "/api/diagnostics/timing-check",
    summary: "Time ingestion and training a few times on a copy of the source data",
    tag: "operations",
    write: true,
    body: { required: false, json: TimingCheckBody },
    responses: { 200: ok(TimingCheckResponse, "mean times per step") },
    errors: [400, 409, 413, 415, 422],
  },
  {
    method: "get",
    path: "/api/alerts",
    summary: "Alerts (drift, failed runs), newest first, a page at a time",
    tag: "operations",
    query: AlertsQuery,
    responses: { 200: ok(AlertsResponse, "alerts") },
    errors: [400],
  },
  {
    method: "post",
    path: "/api/alerts/{id}/acknowledge",
    summary: "Mark an alert as seen",
    tag: "operations",
    write: true,
    params: AlertIdParams,
    responses: { 200: ok(AlertResponse, "the alert") },
    errors: [404],
  },
  {
    method: "get",
    path: "/api/report",
    summary: "The newest model report (PDF download)",
    tag: "operations",
    responses: { 200: { description: "application/pdf", contentType: "application/pdf", schema: z.string().openapi({ format: "binary" }) } },
    errors: [404, 409],
  },
  {
    method: "post",
    path: "/api/report",
    summary: "Generate the report of the deployed model now",
    tag: "operations",
    write: true,
    responses: { 201: ok(ReportResponse, "the new report") },
    errors: [409],
  },
  {
    method: "get",
    path: "/api/metrics",
    summary: "Prometheus text exposition: deployed F1, drift flags, step latencies, prediction counts, data totals, last run",
    tag: "operations",
    responses: {
      200: { description: "text/plain; version=0.0.4", contentType: "text/plain", schema: z.string().openapi({ example: "dra_deployed_model_f1 0.61\n" }) },
    },
  },
  {
    method: "get",
    path: "/api/openapi.json",
    summary: "This document",
    tag: "operations",
    responses: { 200: ok(OpenApiDocumentResponse, "OpenAPI 3 document") },
  },

  // ---- Act
  { ...prediction, path: "/api/prediction" },
  {
    method: "get",
    path: "/api/batches",
    summary: "Monitored batches (clients scored before their labels arrived: estimate, drift, realized scores), newest first, a page at a time",
    tag: "prediction",
    query: BatchesQuery,
    responses: { 200: ok(BatchesResponse, "batches") },
    errors: [400],
  },
  {
    method: "get",
    path: "/api/batches/{id}",
    summary: "One monitored batch with its riskiest clients",
    tag: "prediction",
    params: BatchIdParams,
    responses: { 200: ok(BatchDetail, "the batch") },
    errors: [404],
  },
  {
    method: "post",
    path: "/api/batches",
    summary:
      "Store a batch of clients without labels as a monitored batch: predictions, feature drift vs the training data, estimated precision/recall/F1 with a 95 % band (CBPE, calibrated on the test data when needed); realized scores follow when labelled rows for its corporations are ingested",
    tag: "prediction",
    write: true,
    body: {
      description: "JSON { rows, name? }, or a CSV file in the multipart field `file` (header required, no exited column)",
      required: true,
      json: BatchJsonBody,
      multipart: BatchMultipartBody,
    },
    responses: {
      200: ok(BatchCreatedResponse, "the same content was monitored with the deployed model before (alreadyMonitored: true); nothing added"),
      201: ok(BatchCreatedResponse, "the new monitored batch (Location: /api/batches/{id})"),
    },
    errors: [400, 409, 413, 415, 422],
  },
  {
    method: "post",
    path: "/api/ingest",
    summary: "Upload labelled CSVs into the training set (idempotent by content hash; bad rows quarantined)",
    tag: "data",
    write: true,
    body: { required: true, multipart: IngestMultipartBody },
    responses: {
      200: ok(IngestResponse, "every file was ingested before (alreadyIngested: true), nothing added"),
      201: ok(IngestResponse, "at least one file was new and ingested"),
    },
    errors: [400, 413, 415, 422],
  },
  {
    method: "post",
    path: "/api/setup/inspect",
    summary: "Set-up of a first dataset, step 1: the column report, proposed schema, label values, leaking features and refusals of a CSV (stores nothing)",
    tag: "data",
    write: true,
    storesNothing: true,
    body: { required: true, multipart: SetupInspectMultipartBody },
    responses: { 200: ok(SetupInspectResponse, "the inspection; set-up is possible when `refusals` is empty") },
    errors: [400, 413, 415, 422],
  },
  {
    method: "post",
    path: "/api/setup",
    summary: "Set-up of a first dataset, step 2: store the confirmed schema, ingest the CSV (replayed by period with `by`), train and deploy the first model, in the background",
    tag: "data",
    write: true,
    body: { required: true, multipart: SetupMultipartBody },
    responses: { 202: ok(SetupStateResponse, "the set-up started (Location: /api/setup); poll GET /api/setup") },
    errors: [400, 409, 413, 415, 422],
  },
  {
    method: "get",
    path: "/api/setup",
    summary: "The set-up's state: whether a schema is stored, and the progress of the set-up this server ran last",
    tag: "data",
    responses: { 200: ok(SetupStateResponse, "the state (idle, running, done, failed) with the periods replayed so far") },
  },
  {
    method: "post",
    path: "/api/train",
    summary: 'Train a model version on all records and score it on the test data (not deployed); optional threshold (a number in (0, 1) or "max-f1")',
    tag: "models",
    write: true,
    body: { required: false, json: TrainBody },
    responses: { 201: ok(TrainResponse, "the new model version with its test F1") },
    errors: [400, 409, 413, 415, 422],
  },
  {
    method: "post",
    path: "/api/deploy",
    summary: "Deploy a model version (atomic switch, audited)",
    tag: "models",
    write: true,
    body: { required: true, json: DeployBody },
    responses: { 200: ok(DeploymentResponse, "the new deployment") },
    errors: [400, 404, 413, 415, 422],
  },
  {
    method: "post",
    path: "/api/rollback",
    summary: "Deploy again the previously deployed version",
    tag: "models",
    write: true,
    body: { required: false, json: RollbackBody },
    responses: { 200: ok(DeploymentResponse, "the rollback deployment") },
    errors: [400, 409, 413, 415, 422],
  },
  {
    method: "post",
    path: "/api/runs",
    summary: "Start the full process in the background; poll GET /api/runs/{id}",
    tag: "operations",
    write: true,
    body: { required: false, json: StartRunBody },
    responses: { 202: ok(RunStartResponse, "the run started (Location: /api/runs/{id})") },
    errors: [400, 409, 413, 415, 422],
  },

  // ---- Session (reachable without the token: it is how the dashboard gets one)
  {
    method: "get",
    path: "/api/session",
    summary: "Whether changes need the token, and whether this request carries it",
    tag: "session",
    responses: { 200: ok(SessionStatus, "session status") },
  },
  {
    method: "post",
    path: "/api/session",
    summary: "Sign in with the admin token: sets the httpOnly cookie dra_session",
    tag: "session",
    body: { required: true, json: SessionBody },
    responses: { 200: ok(SessionStatus, "signed in (Set-Cookie: dra_session)") },
    errors: [400, 401, 413, 415, 422, 429],
  },
  {
    method: "delete",
    path: "/api/session",
    summary: "Sign out: clears the session cookie",
    tag: "session",
    responses: { 200: ok(SessionStatus, "signed out") },
  },

  classic("/scoring", scoring, "/api/scoring"),
  classic("/summarystats", summaryStats, "/api/summarystats"),
  classic("/diagnostics", diagnostics, "/api/diagnostics"),
  classic("/prediction", prediction, "/api/prediction"),
];

/** Every answer a route may give: its responses, then ErrorBody for its error statuses (and WRITE_ERRORS when it writes). */
export function routeResponses(route: RouteSpec): Partial<Record<number, RouteResponse>> {
  const storage = route.write && !route.storesNothing ? WRITE_STORAGE_ERRORS : READ_STORAGE_ERRORS;
  const statuses = [...(route.write ? WRITE_ERRORS : []), ...storage, ...(route.errors ?? [])];
  const errors = Object.fromEntries(statuses.map((s) => [s, { description: ERROR_TEXT[s], schema: ErrorBody }]));
  // A route's own answer for a status (GET /api/health's 503 is its Health body) wins over the shared ErrorBody.
  return { ...errors, ...route.responses };
}

const patterns = ROUTES.map((route) => ({
  route,
  pattern: new RegExp("^" + route.path.replace(/[.]/g, "\\.").replace(/\{[^}]+\}/g, "[^/]+") + "/?$"),
}));

/** The route table's entry for a request's method and path, or undefined for one the table does not document. */
export function findRoute(method: string, pathname: string): RouteSpec | undefined {
  const m = method.toLowerCase();
  return patterns.find((p) => p.route.method === m && p.pattern.test(pathname))?.route;
}
