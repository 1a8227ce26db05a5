import type { z } from "zod";
import type * as core from "@/lib/validations/core";
import type * as ingest from "@/lib/validations/ingest";
import type * as models from "@/lib/validations/models";
import type * as monitoring from "@/lib/validations/monitoring";
import type * as prediction from "@/lib/validations/prediction";
import type * as session from "@/lib/validations/session";

/*
 * The API shapes of shared/API.md, inferred from the zod schemas the route handlers validate
 * with (type-only imports: nothing of zod reaches the browser bundle from here).
 */
export type Health = z.infer<typeof core.HealthResponse>;
export type Scoring = z.infer<typeof core.ScoringResponse>;
export type SummaryStats = z.infer<typeof core.SummaryStatsResponse>;
export type ScoreEntry = z.infer<typeof core.ScoreEntry>;
export type ScoresResponse = z.infer<typeof core.ScoresResponse>;
export type ModelEntry = z.infer<typeof core.ModelEntry>;
export type ModelsResponse = z.infer<typeof core.ModelsResponse>;
export type DatasetEntry = z.infer<typeof core.DatasetEntry>;
export type DatasetsResponse = z.infer<typeof core.DatasetsResponse>;
export type IngestResponse = z.infer<typeof ingest.IngestResponse>;
export type IngestedDataset = z.infer<typeof ingest.IngestedDataset>;
export type RowProblem = z.infer<typeof ingest.RowProblem>;
export type TrainResponse = z.infer<typeof models.TrainResponse>;
export type DeploymentEntry = z.infer<typeof models.DeploymentEntry>;
export type DeploymentResponse = z.infer<typeof models.DeploymentResponse>;
export type Diagnostics = z.infer<typeof monitoring.DiagnosticsResponse>;
export type DriftCheck = z.infer<typeof monitoring.DriftCheckEntry>;
export type DriftResponse = z.infer<typeof monitoring.DriftResponse>;
export type ScoreCheckOutcome = z.infer<typeof monitoring.ScoreCheckOutcome>;
export type FeatureDrift = z.infer<typeof monitoring.FeatureDriftOutcome>;
export type Run = z.infer<typeof monitoring.RunEntry>;
export type RunStep = z.infer<typeof monitoring.RunStepEntry>;
export type RunsResponse = z.infer<typeof monitoring.RunsResponse>;
export type RunStarted = z.infer<typeof monitoring.RunStartResponse>;
export type PredictionRow = z.input<typeof prediction.PredictionRow>;
export type PredictionResponse = z.infer<typeof prediction.PredictionResponse>;
export type SessionStatus = z.infer<typeof session.SessionStatus>;


/** An open alert (GET /api/alerts; its exact shape is the monitoring work's, these are the fields the pages read). */
export interface AlertEntry {
  id: number;
  kind: string;
  message: string;
  runId: number | null;
  createdAt: string;
  acknowledged?: boolean;
}

/** A quarantined row (ledger `problems`, or the monitoring quarantine listing). */
export interface QuarantineEntry {
  id?: number;
  datasetId?: number;
  dataset?: string;
  file?: string;
  row: number;
  column: string | null;
  problem: string;
  raw?: Record<string, unknown> | string | null;
  createdAt?: string;
}

export interface ErrorDetail {
  row?: number;
  column?: string | null;
  problem: string;
  file?: string;
}
