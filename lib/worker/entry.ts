import { parentPort, workerData } from "node:worker_threads";
import { isAppError } from "../errors";
import { runJob, type Job } from "./jobs";

/* The worker thread's entry: run one job, post its result or its error as plain data, end. */

runJob(workerData as Job).then(
  (result) => parentPort!.postMessage({ type: "done", result }),
  (e: unknown) =>
    parentPort!.postMessage(
      isAppError(e)
        ? { type: "error", code: e.code, message: e.message, details: e.details }
        : { type: "error", code: "internal:worker", message: e instanceof Error ? e.message : String(e), stack: e instanceof Error ? e.stack : undefined },
    ),
);
