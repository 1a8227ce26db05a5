import { parentPort, workerData } from "node:worker_threads";
import { setProcessActor, type Actor } from "../actor";
import { storageError, storageSightings } from "../db/storage-health";
import { isAppError } from "../errors";
import { runJob, type Job } from "./jobs";

/*
 * The worker thread's entry: run one job, post its result or its error as plain data, end. A
 * full volume or a damaged database file gets its own code here (lib/db/storage-health.ts), so the
 * thread that started the job answers 507 / 503; what this thread's storage saw goes with either
 * answer (a run that failed for space is a result, not an error), for that thread's /api/health.
 */

const { job, actor } = workerData as { job: Job; actor: Actor };
setProcessActor(actor);
runJob(job, (data) => parentPort!.postMessage({ type: "progress", data })).then(
  (result) => parentPort!.postMessage({ type: "done", result, storage: storageSightings() }),
  (thrown: unknown) => {
    const e = storageError(thrown, job.databaseUrl) ?? thrown;
    parentPort!.postMessage({
      ...(isAppError(e)
        ? { type: "error", code: e.code, message: e.message, details: e.details }
        : { type: "error", code: "internal:worker", message: e instanceof Error ? e.message : String(e), stack: e instanceof Error ? e.stack : undefined }),
      storage: storageSightings(),
    });
  },
);
