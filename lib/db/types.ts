/*
 * The stored rows as the rest of lib sees them. Prisma stays inside lib/db: other folders
 * import these types from here, never from the generated client.
 */
export type { Alert, Dataset, DriftCheck, ModelVersion, MonitoredBatch, PipelineRun, Score } from "./generated/client";
