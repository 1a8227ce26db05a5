import { disconnectAll, getDb } from "../db/client";
import { currentSchema } from "../db/stored-schema";
import { getRun } from "../db/runs";
import { waitForDependencyRefreshes } from "../diagnostics/dependencies";
import { AppError } from "../errors";
import type { Job } from "../jobs/run-in-worker";
import type { ThresholdChoice } from "../model/stored";
import { runFullProcess, type FullConfig, type FullProcessOptions } from "../pipeline/full";
import type { RunView } from "../reads/runs";
import { monitorBatch } from "../batches/monitor";
import { rowsFromCsv, type PredictionInputRow } from "../prediction/predict";
import { ingestUploads, type UploadedCsv } from "../actions/ingest";
import { trainAndScore } from "../actions/models";
import { trainingSummary } from "../reads/summary";
import { inspectSetupCsv, type SetupInspectOptions } from "../schema/inspect";
import { runSetupJob, type SetupJobInput } from "../actions/setup-job";

/*
 * The heavy work the server hands to a worker thread (lib/jobs/run-in-worker.ts), so that its
 * event loop keeps answering while it runs: a full process, a training, an ingestion of
 * uploads, the summary statistics of a large training set, a large monitored batch. A job is plain data in and plain data out; the worker opens its own database
 * connections (Prisma and the bulk connection) to the same file and closes them at the end.
 */

declare module "../jobs/run-in-worker" {
  interface JobKinds {
    full: { job: { kind: "full"; databaseUrl: string; runId: number; trigger: string; config: FullConfig; options: FullProcessOptions }; result: RunView };
    train: { job: { kind: "train"; databaseUrl: string; testData: string; threshold?: ThresholdChoice }; result: Awaited<ReturnType<typeof trainAndScore>> };
    ingest: { job: { kind: "ingest"; databaseUrl: string; files: UploadedCsv[] }; result: Awaited<ReturnType<typeof ingestUploads>> };
    summary: { job: { kind: "summary"; databaseUrl: string }; result: Awaited<ReturnType<typeof trainingSummary>> };
    /** a monitored batch: the CSV as uploaded (parsed in the worker) or rows already read from JSON */
    batch: {
      job: { kind: "batch"; databaseUrl: string; testData: string; name: string; sha256: string; csv?: Uint8Array; rows?: PredictionInputRow[] };
      result: Awaited<ReturnType<typeof monitorBatch>>;
    };
    /** the set-up page's look at a large CSV (lib/schema/inspect.ts) */
    inspect: { job: { kind: "inspect"; databaseUrl: string; csv: Uint8Array; options: SetupInspectOptions }; result: Awaited<ReturnType<typeof inspectSetupCsv>> };
    /** the set-up of a first dataset: store the schema, replay the saved upload (progress: SetupProgress) */
    setup: { job: { kind: "setup"; databaseUrl: string } & SetupJobInput; result: Awaited<ReturnType<typeof runSetupJob>> };
  }
}

export type { Job };

/** Run one job; `progress` hands what a long job reports while it runs to the thread that started it. */
export async function runJob(job: Job, progress: (data: unknown) => void = () => undefined): Promise<unknown> {
  const db = getDb(job.databaseUrl);
  try {
    switch (job.kind) {
      case "full": {
        const run = await getRun(db, { id: job.runId });
        if (!run) throw new AppError("not_found:run", `Pipeline run ${job.runId} does not exist.`);
        return await runFullProcess({ db, trigger: job.trigger }, job.config, run, job.options);
      }
      case "train":
        return await trainAndScore(db, { TEST_DATA: job.testData }, { threshold: job.threshold });
      case "ingest":
        return await ingestUploads(db, job.files);
      case "summary":
        return await trainingSummary(db);
      case "batch":
        return await monitorBatch(db, { TEST_DATA: job.testData }, { name: job.name, sha256: job.sha256, rows: job.csv ? rowsFromCsv(job.csv, await currentSchema(db)) : (job.rows ?? []) });
      case "inspect":
        return await inspectSetupCsv(Buffer.from(job.csv.buffer, job.csv.byteOffset, job.csv.byteLength), job.options);
      case "setup":
        return await runSetupJob(db, job, progress);
    }
  } finally {
    // A run refreshes the dependency cache in the background: let it write before the connections go.
    await waitForDependencyRefreshes();
    await disconnectAll();
  }
}
