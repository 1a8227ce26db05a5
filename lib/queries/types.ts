import type { z } from "zod";
import type * as common from "@/lib/validations/common";
import type * as core from "@/lib/validations/core";
import type * as dashboard from "@/lib/validations/dashboard";
import type { IngestedDataset as IngestedDatasetSchema, RowProblem as RowProblemSchema } from "@/lib/validations/ingest";
import type * as ingest from "@/lib/validations/ingest";
import type * as models from "@/lib/validations/models";
import type * as monitoring from "@/lib/validations/monitoring";
import type * as people from "@/lib/validations/people";
import type { AuditEntry as AuditEntrySchema, KeyEntry as KeyEntrySchema, UserEntry as UserEntrySchema } from "@/lib/validations/people";
import type * as prediction from "@/lib/validations/prediction";
import type * as schema from "@/lib/validations/schema";
import type * as session from "@/lib/validations/session";
import type * as setup from "@/lib/validations/setup";

/*
 * The API shapes of shared/API.md, inferred from the zod schemas the route handlers validate
 * with (type-only imports: nothing of zod reaches the browser bundle from here).
 */
export type Scoring = z.infer<typeof core.ScoringResponse>;
export type ScoreEntry = z.infer<typeof core.ScoreEntry>;
export type ScoresResponse = z.infer<typeof core.ScoresResponse>;
export type ModelEntry = z.infer<typeof core.ModelEntry>;
export type ModelsResponse = z.infer<typeof core.ModelsResponse>;
export type DatasetEntry = z.infer<typeof core.DatasetEntry>;
export type DatasetsResponse = z.infer<typeof core.DatasetsResponse>;
export type IngestResponse = z.infer<typeof ingest.IngestResponse>;
export type IngestedDataset = z.infer<typeof IngestedDatasetSchema>;
export type RowProblem = z.infer<typeof RowProblemSchema>;
export type TrainResponse = z.infer<typeof models.TrainResponse>;
export type DeploymentResponse = z.infer<typeof models.DeploymentResponse>;
export type Diagnostics = z.infer<typeof monitoring.DiagnosticsResponse>;
export type DriftCheck = z.infer<typeof monitoring.DriftCheckEntry>;
export type DriftResponse = z.infer<typeof monitoring.DriftResponse>;
export type ScoreCheckOutcome = z.infer<typeof monitoring.ScoreCheckOutcome>;
export type FeatureDrift = z.infer<typeof monitoring.FeatureDriftOutcome>;
export type CategoricalFeatureDrift = Extract<FeatureDrift, { type: "categorical" }>;
/** numeric: `type` is "numeric", or absent on checks stored before categorical features existed */
export type NumericFeatureDrift = Exclude<FeatureDrift, { type: "categorical" }>;
export type Run = z.infer<typeof monitoring.RunEntry>;
export type RunsResponse = z.infer<typeof monitoring.RunsResponse>;
export type RunStarted = z.infer<typeof monitoring.RunStartResponse>;
export type PredictionResponse = z.infer<typeof prediction.PredictionResponse>;
export type SchemaResponse = z.infer<typeof schema.SchemaResponse>;
export type SchemaFeature = SchemaResponse["features"][number];
export type SummaryStatsResponse = z.infer<typeof core.SummaryStatsResponse>;
/** A column of GET /api/summarystats: numeric (mean, median, …) or categorical (`type: "categorical"`, top levels). */
export type ColumnStats = SummaryStatsResponse["columns"][string];
export type SessionStatus = z.infer<typeof session.SessionStatus>;
export type ModelDetail = z.infer<typeof core.ModelDetailResponse>;
export type AlertsResponse = z.infer<typeof monitoring.AlertsResponse>;
export type QuarantineResponse = z.infer<typeof monitoring.QuarantineResponse>;
export type QuarantineEntry = QuarantineResponse["rows"][number];
export type StabilityResponse = z.infer<typeof monitoring.StabilityResponse>;
export type DeploymentsResponse = z.infer<typeof dashboard.DeploymentsResponse>;
export type TimingsResponse = z.infer<typeof dashboard.TimingsResponse>;
export type TimingEntry = z.infer<typeof dashboard.TimingEntry>;
export type ErrorBody = z.infer<typeof common.ErrorBody>;
export type ErrorDetail = NonNullable<ErrorBody["error"]["details"]>[number];
export type SetupInspection = z.infer<typeof setup.SetupInspectResponse>;
export type SetupState = z.infer<typeof setup.SetupStateResponse>;
export type UserEntry = z.infer<typeof UserEntrySchema>;
export type UsersResponse = z.infer<typeof people.UsersResponse>;
export type UserResponse = z.infer<typeof people.UserResponse>;
export type UserWithPassword = z.infer<typeof people.UserWithPassword>;
export type KeyEntry = z.infer<typeof KeyEntrySchema>;
export type KeysResponse = z.infer<typeof people.KeysResponse>;
export type CreatedKey = z.infer<typeof people.CreatedKeyResponse>;
export type AuditEvent = z.infer<typeof AuditEntrySchema>;
export type AuditResponse = z.infer<typeof people.AuditResponse>;
