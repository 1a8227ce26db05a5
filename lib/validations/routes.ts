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
import type { RouteRole } from "../auth/roles";
import {
  AuditQuery,
  AuditResponse,
  ChangePasswordBody,
  CreateKeyBody,
  CreateUserBody,
  CreatedKeyResponse,
  KeyIdParams,
  KeyResponse,
  KeysResponse,
  UpdateUserBody,
  UserIdParams,
  UserResponse,
  UserWithPassword,
  UsersResponse,
} from "./people";
import { z } from "./zod";

/*
 * The route table: every method and path of the HTTP API with the schemas its handler validates
 * its request with and types its answers by. The OpenAPI document (lib/validations/openapi.ts)
 * is generated from it, and the route tests (lib/testing/api.ts) check every JSON body they
 * receive against it, so the document, the handlers and the tests share one contract.
 */

export type Method = "get" | "post" | "patch" | "delete";
export type Tag = "operations" | "models" | "prediction" | "data" | "session" | "people" | "classic";
type ZodObject = z.ZodObject<z.ZodRawShape>;

export type ErrorStatus = 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 422 | 429 | 503 | 507;

/** What each error status means, as the document says it. */
const ERROR_TEXT: Record<ErrorStatus, string> = {
  400: "malformed request (bad JSON, broken CSV or multipart, bad query parameter)",
  401: "no credential where one is needed (users exist, or ADMIN_TOKEN is set and this is a change), or a wrong, expired or revoked one: a bearer token or API key, a session cookie, the auth proxy's user",
  403: "forbidden:role — the role is too low for this route (the route's x-required-role); forbidden:origin — a change signed by the session cookie came from another site's page",
  404: "unknown id",
  405: "method_not_allowed:method — the route does not take this method; Allow lists those it takes",
  409: "conflict: no deployed model, no training or test data, a run in progress, nothing to roll back to",
  413: "body larger than MAX_UPLOAD_MB",
  415: "wrong Content-Type, or an upload that is not a UTF-8 CSV text file",
  422: "valid syntax but wrong content: missing columns, bad values (details list row, column, problem)",
  429: "too_many_requests:token — 5 wrong credentials from this client within 60 s; Retry-After says when to try again",
  503: "unavailable:database (the database cannot be reached), unavailable:database_damaged (a query met a damaged database file; /api/health says so until a restart) or unavailable:database_read_only (a write on a database that takes none: a PostgreSQL standby or server in recovery, a read-only SQLite file; nothing was stored)",
  507: "insufficient_storage:disk_full — the database's volume is full; nothing of the request was stored (the message names the volume and what to free)",
};

/** What any route that reads the database may answer, and a write also when its volume is full (lib/db/storage-health.ts). */
const READ_STORAGE_ERRORS = [503] as const satisfies readonly ErrorStatus[];
const WRITE_STORAGE_ERRORS = [503, 507] as const satisfies readonly ErrorStatus[];

/** The errors a route may answer before its handler runs (the access check of apiRoute, lib/auth/access.ts). */
const ACCESS_ERRORS = [401, 403, 429] as const satisfies readonly ErrorStatus[];

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
  /**
   * who may call it (lib/auth/roles.ts), enforced by apiRoute before the handler runs: public
   * (anyone), or at least viewer / operator / admin. A viewer GET is open to anyone while no user
   * exists or with PUBLIC_READ=1 (lib/auth/access.ts).
   */
  role: RouteRole;
  /** the action its audit event names, written once it succeeded (lib/http/route.ts) */
  audit?: string;
  /** changes something (a POST of the act routes): may answer 507 when the volume is full */
  write?: boolean;
  params?: ZodObject;
  query?: ZodObject;
  body?: { required: boolean; description?: string; json?: z.ZodType; multipart?: z.ZodType };
  responses: Partial<Record<number, RouteResponse>>;
  /** a write route (token-guarded) that writes nothing to the database: no 507 */
  storesNothing?: boolean;
  /** error statuses the handler answers (ErrorBody) besides ACCESS_ERRORS */
  errors?: readonly ErrorStatus[];
}

const ok = (schema: z.ZodType, description: string): RouteResponse => ({ description, schema });

const scoring: Omit<RouteSpec, "path"> = {
  method: "get",
  summary: "Score of the deployed model on the test data (recorded once per model and test file)",
  tag: "models",
  role: "viewer",
  responses: { 200: ok(ScoringResponse, "F1, precision, recall, accuracy and confusion counts of the deployed model on the test data") },
  errors: [409, 422],
};
const summaryStats: Omit<RouteSpec, "path"> = {
  method: "get",
  summary: "Summary statistics of the training or test data (as pandas describe())",
  tag: "data",
  role: "viewer",
  query: SummaryStatsQuery,
  responses: { 200: ok(SummaryStatsResponse, "per numeric column: mean, median, sample std, min, max, missing fraction") },
  errors: [400, 409],
};
const diagnostics: Omit<RouteSpec, "path"> = {
  method: "get",
  summary: "Diagnostics: missing data per column, step timings, dependencies",
  tag: "operations",
  role: "viewer",
  responses: { 200: ok(DiagnosticsResponse, "missing data, step timings and dependency status") },
};
const prediction: Omit<RouteSpec, "path"> = {
  storesNothing: true,
  method: "post",
  summary: "Predict exit probabilities with the deployed model (?explain=1: with each client's feature contributions)",
  tag: "prediction",
  write: true,
  role: "viewer",
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
    role: "public",
    responses: {
      200: ok(HealthResponse, "the server is up; status degraded (still 200, for load balancers) when `storage` says the volume is short of space, the last write failed for space, or the PostgreSQL server is in recovery"),
      503: ok(HealthResponse, "the database cannot serve reads (status degraded, database error, `checks` names the failing table family) or was seen damaged (`storage.status` down, `storage.damaged` with the error and when it was first seen, until a restart)"),
    },
  },
  {
    method: "get",
    path: "/api/schema",
    summary: "The data schema: id, label and its positive value, time, features with their types",
    tag: "data",
    role: "viewer",
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
    role: "viewer",
    query: ScoresQuery,
    responses: { 200: ok(ScoresResponse, "score history") },
    errors: [400],
  },
  {
    method: "get",
    path: "/api/drift",
    summary: "Drift checks of the pipeline runs (score checks and per-feature KS/PSI), newest first, a page at a time",
    tag: "operations",
    role: "viewer",
    query: DriftQuery,
    responses: { 200: ok(DriftResponse, "drift checks") },
    errors: [400],
  },
  {
    method: "get",
    path: "/api/models",
    summary: "Model versions with their latest test F1, a page at a time: the newest `limit` below `before`, listed oldest first",
    tag: "models",
    role: "viewer",
    query: ModelsQuery,
    responses: { 200: ok(ModelsResponse, "model versions") },
    errors: [400],
  },
  {
    method: "get",
    path: "/api/models/{id}",
    summary: "One model version with its newest test score in full: ranking metrics, calibration table, ROC/PR/threshold curve points, coefficient table",
    tag: "models",
    role: "viewer",
    params: ModelIdParams,
    responses: { 200: ok(ModelDetailResponse, "the model version") },
    errors: [404],
  },
  {
    method: "get",
    path: "/api/datasets",
    summary: "The ingestion ledger, a page at a time: the newest `limit` entries below `before`, listed oldest first",
    tag: "data",
    role: "viewer",
    query: DatasetsQuery,
    responses: { 200: ok(DatasetsResponse, "ledger entries") },
    errors: [400],
  },
  {
    method: "get",
    path: "/api/runs",
    summary: "Pipeline runs (full process), newest first, a page at a time",
    tag: "operations",
    role: "viewer",
    query: RunsQuery,
    responses: { 200: ok(RunsResponse, "runs") },
    errors: [400],
  },
  {
    method: "get",
    path: "/api/runs/{id}",
    summary: "One pipeline run with its step timings; poll it after POST /api/runs",
    tag: "operations",
    role: "viewer",
    params: RunIdParams,
    responses: { 200: ok(RunDetailResponse, "the run") },
    errors: [404],
  },
  {
    method: "get",
    path: "/api/diagnostics/dependencies",
    summary: "Cached dependency status (declared, installed, latest)",
    tag: "operations",
    role: "viewer",
    responses: { 200: ok(DependenciesResponse, "dependencies") },
  },
  {
    method: "post",
    path: "/api/diagnostics/dependencies",
    summary: "Refresh the dependency status now (npm, with a timeout; offline → unknown)",
    tag: "operations",
    write: true,
    role: "operator",
    audit: "dependencies.refresh",
    responses: { 200: ok(DependenciesResponse, "refreshed dependencies") },
  },
  {
    method: "get",
    path: "/api/diagnostics/quarantine",
    summary: "Rows rejected at ingestion, newest first, a page at a time",
    tag: "operations",
    role: "viewer",
    query: QuarantineQuery,
    responses: { 200: ok(QuarantineResponse, "quarantined rows") },
    errors: [400],
  },
  {
    method: "get",
    path: "/api/diagnostics/stability",
    summary: "Per-column statistics after each ingestion against the previous snapshot",
    tag: "operations",
    role: "viewer",
    responses: { 200: ok(StabilityResponse, "snapshots") },
  },
  // dashboard reads beyond API.md (lib/validations/dashboard.ts)
  { method: "get", path: "/api/deployments", summary: "Deployment history, oldest first (the last is live)", tag: "models", role: "viewer", responses: { 200: ok(DeploymentsResponse, "every deployment") } },
  { method: "get", path: "/api/diagnostics/timings", summary: "Step timings over time, oldest first", tag: "operations", role: "viewer", responses: { 200: ok(TimingsResponse, "the newest step timings") } },
  {
    method: "post",
    path: "/api/diagnostics/timing-check",
    summary: "Time ingestion and training a few times on a copy of the source data",
    tag: "operations",
    write: true,
    role: "operator",
    audit: "timing-check",
    body: { required: false, json: TimingCheckBody },
    responses: { 200: ok(TimingCheckResponse, "mean times per step") },
    errors: [400, 409, 413, 415, 422],
  },
  {
    method: "get",
    path: "/api/alerts",
    summary: "Alerts (drift, failed runs), newest first, a page at a time",
    tag: "operations",
    role: "viewer",
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
    role: "operator",
    audit: "acknowledge",
    params: AlertIdParams,
    responses: { 200: ok(AlertResponse, "the alert") },
    errors: [404],
  },
  {
    method: "get",
    path: "/api/report",
    summary: "The newest model report (PDF download)",
    tag: "operations",
    role: "viewer",
    responses: { 200: { description: "application/pdf", contentType: "application/pdf", schema: z.string().openapi({ format: "binary" }) } },
    errors: [404, 409],
  },
  {
    method: "post",
    path: "/api/report",
    summary: "Generate the report of the deployed model now",
    tag: "operations",
    write: true,
    role: "operator",
    audit: "report",
    responses: { 201: ok(ReportResponse, "the new report") },
    errors: [409],
  },
  {
    method: "get",
    path: "/api/metrics",
    summary: "Prometheus text exposition: deployed F1, drift flags, step latencies, prediction counts, data totals, last run",
    tag: "operations",
    role: "viewer",
    responses: {
      200: { description: "text/plain; version=0.0.4", contentType: "text/plain", schema: z.string().openapi({ example: "dra_deployed_model_f1 0.61\n" }) },
    },
  },
  {
    method: "get",
    path: "/api/openapi.json",
    summary: "This document",
    tag: "operations",
    role: "viewer",
    responses: { 200: ok(OpenApiDocumentResponse, "OpenAPI 3 document") },
  },

  // ---- Act
  { ...prediction, path: "/api/prediction" },
  {
    method: "get",
    path: "/api/batches",
    summary: "Monitored batches (clients scored before their labels arrived: estimate, drift, realized scores), newest first, a page at a time",
    tag: "prediction",
    role: "viewer",
    query: BatchesQuery,
    responses: { 200: ok(BatchesResponse, "batches") },
    errors: [400],
  },
  {
    method: "get",
    path: "/api/batches/{id}",
    summary: "One monitored batch with its riskiest clients",
    tag: "prediction",
    role: "viewer",
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
    role: "operator",
    audit: "batch",
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
    role: "operator",
    audit: "upload",
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
    role: "admin",
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
    role: "admin",
    audit: "setup",
    body: { required: true, multipart: SetupMultipartBody },
    responses: { 202: ok(SetupStateResponse, "the set-up started (Location: /api/setup); poll GET /api/setup") },
    errors: [400, 409, 413, 415, 422],
  },
  {
    method: "get",
    path: "/api/setup",
    summary: "The set-up's state: whether a schema is stored, and the progress of the set-up this server ran last",
    tag: "data",
    role: "viewer",
    responses: { 200: ok(SetupStateResponse, "the state (idle, running, done, failed) with the periods replayed so far") },
  },
  {
    method: "post",
    path: "/api/train",
    summary: 'Train a model version on all records and score it on the test data (not deployed); optional threshold (a number in (0, 1) or "max-f1")',
    tag: "models",
    write: true,
    role: "operator",
    audit: "train",
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
    role: "operator",
    audit: "deploy",
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
    role: "operator",
    audit: "rollback",
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
    role: "operator",
    audit: "run",
    body: { required: false, json: StartRunBody },
    responses: { 202: ok(RunStartResponse, "the run started (Location: /api/runs/{id})") },
    errors: [400, 409, 413, 415, 422],
  },

  // ---- Session (public: it is how a browser signs in)
  {
    method: "get",
    path: "/api/session",
    summary: "Who this request is: the access mode, whether changes need a sign-in, the signed-in user and role",
    tag: "session",
    role: "public",
    responses: { 200: ok(SessionStatus, "session status") },
  },
  {
    method: "post",
    path: "/api/session",
    summary: "Sign in with a name and password (a one-time password needs newPassword too), or with ADMIN_TOKEN before users exist: sets the httpOnly cookie dra_session (a new id at every sign-in)",
    tag: "session",
    role: "public",
    body: { required: true, json: SessionBody },
    responses: { 200: ok(SessionStatus, "signed in (Set-Cookie: dra_session)") },
    errors: [400, 401, 403, 413, 415, 422, 429],
  },
  {
    method: "delete",
    path: "/api/session",
    summary: "Sign out: the session ends on the server and the cookie is cleared",
    tag: "session",
    role: "public",
    responses: { 200: ok(SessionStatus, "signed out") },
  },
  {
    method: "post",
    path: "/api/session/password",
    summary: "Change your own password (every other session of yours ends; this one gets a new id)",
    tag: "session",
    role: "viewer",
    write: true,
    body: { required: true, json: ChangePasswordBody },
    responses: { 200: ok(SessionStatus, "changed (Set-Cookie: dra_session)") },
    errors: [400, 409, 413, 415, 422],
  },

  // ---- People (admin)
  {
    method: "get",
    path: "/api/users",
    summary: "Every user with role, state, last sign-in and active keys",
    tag: "people",
    role: "admin",
    responses: { 200: ok(UsersResponse, "users, oldest first") },
  },
  {
    method: "post",
    path: "/api/users",
    summary: "Add a user with a role; answers a one-time password (shown once) that the first sign-in replaces",
    tag: "people",
    role: "admin",
    write: true,
    body: { required: true, json: CreateUserBody },
    responses: { 201: ok(UserWithPassword, "the new user and their one-time password") },
    errors: [400, 409, 413, 415, 422],
  },
  {
    method: "patch",
    path: "/api/users/{id}",
    summary: "Change a user's role, or disable / enable them (a disabled user's sessions and keys stop working at once); the last enabled admin cannot be demoted or disabled",
    tag: "people",
    role: "admin",
    write: true,
    params: UserIdParams,
    body: { required: true, json: UpdateUserBody },
    responses: { 200: ok(UserResponse, "the user after the change") },
    errors: [400, 404, 409, 413, 415, 422],
  },
  {
    method: "post",
    path: "/api/users/{id}/password",
    summary: "Reset a user's password: a new one-time password (shown once); their sessions end",
    tag: "people",
    role: "admin",
    write: true,
    params: UserIdParams,
    responses: { 200: ok(UserWithPassword, "the user and their new one-time password") },
    errors: [404, 409],
  },
  {
    method: "post",
    path: "/api/users/{id}/keys",
    summary: "Create an API key for a user, with their role or a lower one and an optional expiry; the key is in this answer only (stored hashed)",
    tag: "people",
    role: "admin",
    write: true,
    params: UserIdParams,
    body: { required: true, json: CreateKeyBody },
    responses: { 201: ok(CreatedKeyResponse, "the key, shown this once") },
    errors: [400, 404, 409, 413, 415, 422],
  },
  {
    method: "get",
    path: "/api/keys",
    summary: "Every API key: user, name, prefix, role, created, last used, expiry, status (never the key)",
    tag: "people",
    role: "admin",
    responses: { 200: ok(KeysResponse, "keys, oldest first") },
  },
  {
    method: "delete",
    path: "/api/keys/{id}",
    summary: "Revoke an API key: the next request with it gets 401",
    tag: "people",
    role: "admin",
    write: true,
    params: KeyIdParams,
    responses: { 200: ok(KeyResponse, "the revoked key") },
    errors: [404],
  },
  {
    method: "get",
    path: "/api/audit",
    summary: "The audit trail, newest first, a page at a time: who did what (actions, user and key changes, sign-ins and refused sign-ins)",
    tag: "people",
    role: "admin",
    query: AuditQuery,
    responses: { 200: ok(AuditResponse, "audit events") },
    errors: [400],
  },

  classic("/scoring", scoring, "/api/scoring"),
  classic("/summarystats", summaryStats, "/api/summarystats"),
  classic("/diagnostics", diagnostics, "/api/diagnostics"),
  classic("/prediction", prediction, "/api/prediction"),
];

/** Every answer a route may give: its responses, then ErrorBody for its error statuses (and ACCESS_ERRORS unless it is public). */
export function routeResponses(route: RouteSpec): Partial<Record<number, RouteResponse>> {
  const storage = route.write && !route.storesNothing ? WRITE_STORAGE_ERRORS : READ_STORAGE_ERRORS;
  const statuses = [...(route.role !== "public" ? ACCESS_ERRORS : []), ...storage, ...(route.errors ?? [])];
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
  // every API request asks (lib/http/route.ts): remember the answers for the paths seen, a bounded number of them
  const key = `${method} ${pathname}`;
  const known = found.get(key);
  if (known !== undefined || found.has(key)) return known;
  const m = method.toLowerCase();
  const route = patterns.find((p) => p.route.method === m && p.pattern.test(pathname))?.route;
  if (found.size >= 1000) found.clear();
  found.set(key, route);
  return route;
}

const found = new Map<string, RouteSpec | undefined>();
