import * as dashboard from "./dashboard";
import { OpenAPIRegistry, OpenApiGeneratorV3, type RouteConfig } from "@asteasolutions/zod-to-openapi";
import { BatchCreatedResponse, BatchDetail, BatchIdParams, BatchJsonBody, BatchMultipartBody, BatchesQuery, BatchesResponse } from "./batches";
import { ErrorBody } from "./common";
import {
  DatasetsQuery,
  DatasetsResponse,
  HealthResponse,
  ModelsQuery,
  ModelsResponse,
  ModelDetailResponse,
  ModelIdParams,
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
import { SessionBody, SessionStatus } from "./session";
import { z } from "./zod";

/*
 * The OpenAPI 3 document of the whole HTTP API, generated from the zod schemas the handlers
 * validate with (lib/validations/*), so the contract cannot drift from the code. Every route
 * file under app/api must appear here (app/api/openapi.json/route.test.ts checks it).
 */

type ErrorStatus = 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 422 | 429;

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
};

function errors(...statuses: ErrorStatus[]): RouteConfig["responses"] {
  return Object.fromEntries(
    statuses.map((s) => [s, { description: ERROR_TEXT[s], content: { "application/json": { schema: ErrorBody } } }]),
  );
}

const json = (schema: z.ZodType, description: string) => ({ description, content: { "application/json": { schema } } });

const WRITE: Record<string, string[]>[] = [{ bearerAuth: [] }, { sessionCookie: [] }];
const WRITE_ERRORS = [401, 403, 429] as const;

function buildRegistry(): OpenAPIRegistry {
  const r = new OpenAPIRegistry();
  r.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    description: "Authorization: Bearer <ADMIN_TOKEN>; needed by every POST when the server sets ADMIN_TOKEN",
  });
  r.registerComponent("securitySchemes", "sessionCookie", {
    type: "apiKey",
    in: "cookie",
    name: "dra_session",
    description: "the dashboard's session cookie, set by POST /api/session",
  });

  const read = (path: string, summary: string, responses: RouteConfig["responses"], extra: Partial<RouteConfig> = {}) =>
    r.registerPath({ method: "get", path, summary, tags: [tagOf(path)], responses, ...extra });
  const act = (path: string, summary: string, responses: RouteConfig["responses"], extra: Partial<RouteConfig> = {}) =>
    r.registerPath({ method: "post", path, summary, tags: [tagOf(path)], security: WRITE, responses, ...extra });

  // ---- Read
  read("/api/health", "Liveness, database check and the deployed model", {
    200: json(HealthResponse, "the server is up"),
    503: json(HealthResponse, "the database cannot serve reads: status degraded, database error, `checks` names the failing table family"),
  });
  const scoring = {
    200: json(ScoringResponse, "F1, precision, recall, accuracy and confusion counts of the deployed model on the test data"),
    ...errors(409, 422),
  };
  read("/api/scoring", "Score of the deployed model on the test data (recorded once per model and test file)", scoring);
  const summary = {
    200: json(SummaryStatsResponse, "per numeric column: mean, median, sample std, min, max, missing fraction"),
    ...errors(400, 409),
  };
  read("/api/summarystats", "Summary statistics of the training or test data (as pandas describe())", summary, {
    request: { query: SummaryStatsQuery },
  });
  const diagnostics = {
    200: json(DiagnosticsResponse, "missing data, step timings and dependency status"),
  };
  read("/api/diagnostics", "Diagnostics: missing data per column, step timings, dependencies", diagnostics);
  // The list routes page with ?limit=&before=<id> and answer nextCursor (lib/validations/pagination.ts).
  read("/api/scores", "Recorded scores, a page at a time: the newest `limit` below `before`, listed oldest first", { 200: json(ScoresResponse, "score history"), ...errors(400) }, {
    request: { query: ScoresQuery },
  });
  read("/api/drift", "Drift checks of the pipeline runs (score checks and per-feature KS/PSI), newest first, a page at a time", { 200: json(DriftResponse, "drift checks"), ...errors(400) }, {
    request: { query: DriftQuery },
  });
  read("/api/models", "Model versions with their latest test F1, a page at a time: the newest `limit` below `before`, listed oldest first", { 200: json(ModelsResponse, "model versions"), ...errors(400) }, {
    request: { query: ModelsQuery },
  });
  read("/api/models/{id}", "One model version with its newest test score in full: ranking metrics, calibration table, ROC/PR/threshold curve points, coefficient table", { 200: json(ModelDetailResponse, "the model version"), ...errors(404) }, {
    request: { params: ModelIdParams },
  });
  read("/api/datasets", "The ingestion ledger, a page at a time: the newest `limit` entries below `before`, listed oldest first", { 200: json(DatasetsResponse, "ledger entries"), ...errors(400) }, {
    request: { query: DatasetsQuery },
  });
  read("/api/runs", "Pipeline runs (full process), newest first, a page at a time", { 200: json(RunsResponse, "runs"), ...errors(400) }, { request: { query: RunsQuery } });
  read("/api/runs/{id}", "One pipeline run with its step timings; poll it after POST /api/runs", { 200: json(RunDetailResponse, "the run"), ...errors(404) }, {
    request: { params: RunIdParams },
  });
  read("/api/diagnostics/dependencies", "Cached dependency status (declared, installed, latest)", { 200: json(DependenciesResponse, "dependencies") });
  act("/api/diagnostics/dependencies", "Refresh the dependency status now (npm, with a timeout; offline → unknown)", {
    200: json(DependenciesResponse, "refreshed dependencies"),
    ...errors(...WRITE_ERRORS),
  });
  read("/api/diagnostics/quarantine", "Rows rejected at ingestion, newest first, a page at a time", { 200: json(QuarantineResponse, "quarantined rows"), ...errors(400) }, {
    request: { query: QuarantineQuery },
  });
  read("/api/diagnostics/stability", "Per-column statistics after each ingestion against the previous snapshot", { 200: json(StabilityResponse, "snapshots") });
  act(
    "/api/diagnostics/timing-check",
    "Time ingestion and training a few times on a copy of the source data",
    { 200: json(TimingCheckResponse, "mean times per step"), ...errors(400, ...WRITE_ERRORS, 415, 422) },
    { request: { body: { required: false, content: { "application/json": { schema: TimingCheckBody } } } } },
  );
  read("/api/alerts", "Alerts (drift, failed runs), newest first, a page at a time", { 200: json(AlertsResponse, "alerts"), ...errors(400) }, { request: { query: AlertsQuery } });
  act("/api/alerts/{id}/acknowledge", "Mark an alert as seen", { 200: json(AlertResponse, "the alert"), ...errors(...WRITE_ERRORS, 404) }, {
    request: { params: AlertIdParams },
  });
  read("/api/report", "The newest model report (PDF download)", {
    200: { description: "application/pdf", content: { "application/pdf": { schema: z.string().openapi({ format: "binary" }) } } },
    ...errors(404, 409),
  });
  act("/api/report", "Generate the report of the deployed model now", { 201: json(ReportResponse, "the new report"), ...errors(...WRITE_ERRORS, 409) });
  read("/api/metrics", "Prometheus text exposition: deployed F1, drift flags, step latencies, prediction counts, data totals, last run", {
    200: {
      description: "text/plain; version=0.0.4",
      content: { "text/plain": { schema: z.string().openapi({ example: "dra_deployed_model_f1 0.61\n" }) } },
    },
  });
  read("/api/openapi.json", "This document", {
    200: { description: "OpenAPI 3 document", content: { "application/json": { schema: z.record(z.string(), z.unknown()) } } },
  });

  // ---- Act
  const prediction = {
    200: json(PredictionResponse, "predictions in input order (with a score when the input had labels)"),
    ...errors(400, ...WRITE_ERRORS, 409, 413, 415, 422),
  };
  const predictionRequest = {
    body: {
      description: "JSON rows, or a CSV file in the multipart field `file` (header required, exited optional)",
      required: true,
      content: {
        "application/json": { schema: PredictionJsonBody },
        "multipart/form-data": { schema: PredictionMultipartBody },
      },
    },
  };
  act("/api/prediction", "Predict exit probabilities with the deployed model (?explain=1: with each client's feature contributions)", prediction, {
    request: { ...predictionRequest, query: PredictionQuery },
  });
  read("/api/batches", "Monitored batches (clients scored before their labels arrived: estimate, drift, realized scores), newest first, a page at a time", { 200: json(BatchesResponse, "batches"), ...errors(400) }, {
    request: { query: BatchesQuery },
  });
  read("/api/batches/{id}", "One monitored batch with its riskiest clients", { 200: json(BatchDetail, "the batch"), ...errors(404) }, { request: { params: BatchIdParams } });
  act(
    "/api/batches",
    "Store a batch of clients without labels as a monitored batch: predictions, feature drift vs the training data, estimated precision/recall/F1 with a 95 % band (CBPE, calibrated on the test data when needed); realized scores follow when labelled rows for its corporations are ingested",
    {
      200: json(BatchCreatedResponse, "the same content was monitored with the deployed model before (alreadyMonitored: true); nothing added"),
      201: json(BatchCreatedResponse, "the new monitored batch (Location: /api/batches/{id})"),
      ...errors(400, ...WRITE_ERRORS, 409, 413, 415, 422),
    },
    {
      request: {
        body: {
          description: "JSON { rows, name? }, or a CSV file in the multipart field `file` (header required, no exited column)",
          required: true,
          content: { "application/json": { schema: BatchJsonBody }, "multipart/form-data": { schema: BatchMultipartBody } },
        },
      },
    },
  );
  act(
    "/api/ingest",
    "Upload labelled CSVs into the training set (idempotent by content hash; bad rows quarantined)",
    {
      200: json(IngestResponse, "every file was ingested before (alreadyIngested: true), nothing added"),
      201: json(IngestResponse, "at least one file was new and ingested"),
      ...errors(400, ...WRITE_ERRORS, 413, 415, 422),
    },
    { request: { body: { required: true, content: { "multipart/form-data": { schema: IngestMultipartBody } } } } },
  );
  act(
    "/api/train",
    "Train a model version on all records and score it on the test data (not deployed); optional threshold (a number in (0, 1) or \"max-f1\")",
    { 201: json(TrainResponse, "the new model version with its test F1"), ...errors(400, ...WRITE_ERRORS, 409, 413, 415, 422) },
    { request: { body: { required: false, content: { "application/json": { schema: TrainBody } } } } },
  );
  act(
    "/api/deploy",
    "Deploy a model version (atomic switch, audited)",
    { 200: json(DeploymentResponse, "the new deployment"), ...errors(400, ...WRITE_ERRORS, 404, 413, 415, 422) },
    { request: { body: { required: true, content: { "application/json": { schema: DeployBody } } } } },
  );
  act(
    "/api/rollback",
    "Deploy again the previously deployed version",
    { 200: json(DeploymentResponse, "the rollback deployment"), ...errors(400, ...WRITE_ERRORS, 409, 415, 422) },
    { request: { body: { required: false, content: { "application/json": { schema: RollbackBody } } } } },
  );
  act(
    "/api/runs",
    "Start the full process in the background; poll GET /api/runs/{id}",
    { 202: json(RunStartResponse, "the run started (Location: /api/runs/{id})"), ...errors(400, ...WRITE_ERRORS, 409, 415, 422) },
    { request: { body: { required: false, content: { "application/json": { schema: StartRunBody } } } } },
  );

  // ---- Session (reachable without the token: it is how the dashboard gets one)
  r.registerPath({
    method: "get",
    path: "/api/session",
    summary: "Whether changes need the token, and whether this request carries it",
    tags: ["session"],
    responses: { 200: json(SessionStatus, "session status") },
  });
  r.registerPath({
    method: "post",
    path: "/api/session",
    summary: "Sign in with the admin token: sets the httpOnly cookie dra_session",
    tags: ["session"],
    request: { body: { required: true, content: { "application/json": { schema: SessionBody } } } },
    responses: { 200: json(SessionStatus, "signed in (Set-Cookie: dra_session)"), ...errors(400, 401, 415, 422) },
  });
  r.registerPath({
    method: "delete",
    path: "/api/session",
    summary: "Sign out: clears the session cookie",
    tags: ["session"],
    responses: { 200: json(SessionStatus, "signed out") },
  });

  // ---- Classic paths of the original project (rewrites to the /api twins)
  read("/scoring", "Classic path of GET /api/scoring", scoring, { tags: ["classic"] });
  read("/summarystats", "Classic path of GET /api/summarystats", summary, { tags: ["classic"], request: { query: SummaryStatsQuery } });
  read("/diagnostics", "Classic path of GET /api/diagnostics", diagnostics, { tags: ["classic"] });
  act("/prediction", "Classic path of POST /api/prediction", prediction, { tags: ["classic"], request: predictionRequest });

  // ---- Dashboard reads beyond API.md (lib/validations/dashboard.ts)
  read("/api/deployments", "Deployment history, oldest first (the last is live)", { 200: json(dashboard.DeploymentsResponse, "every deployment") });
  read("/api/diagnostics/timings", "Step timings over time, oldest first", { 200: json(dashboard.TimingsResponse, "the newest step timings") });
  return r;
}

function tagOf(path: string): string {
  const first = path.replace(/^\/api\//, "").split("/")[0];
  if (["health", "metrics", "openapi.json", "diagnostics", "drift", "runs", "alerts", "report"].includes(first)) return "operations";
  if (["scoring", "scores", "models", "train", "deploy", "rollback"].includes(first)) return "models";
  if (["prediction", "batches"].includes(first)) return "prediction";
  return "data";
}

let cached: ReturnType<OpenApiGeneratorV3["generateDocument"]> | undefined;

/** The OpenAPI 3.0 document; `serverUrl` (the request's origin) goes in `servers`. */
export function openApiDocument({ serverUrl }: { serverUrl?: string } = {}) {
  cached ??= new OpenApiGeneratorV3(buildRegistry().definitions).generateDocument({
    openapi: "3.0.3",
    info: {
      title: "Dynamic Risk Assessment API",
      version: "1.0.0",
      description:
        "Ingest client CSVs, train, deploy and monitor the attrition model. Errors are JSON { error: { code, message, details? } }; " +
        "when the server sets ADMIN_TOKEN every POST needs Authorization: Bearer <token> (or the dashboard's session cookie).",
    },
  });
  return serverUrl ? { ...cached, servers: [{ url: serverUrl }] } : cached;
}
