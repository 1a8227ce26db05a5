import { Worker } from "node:worker_threads";
import { AppError, type ErrorDetail } from "../errors";
import type { Job, JobResult } from "./job";

/*
 * Run a job (lib/jobs/job.ts) on a worker thread and resolve with its result, so training,
 * scoring and ingestion of large sets never block the server's event loop. `next build`
 * (Turbopack) bundles worker.ts and everything it imports from the `new URL(…)` below;
 * outside Next (vitest, tsx scripts) Node loads the .ts sources through tsx's require hook.
 * An AppError thrown in the worker comes back as an AppError (same code, message, details);
 * a worker that dies (out of memory, killed) rejects with internal:worker.
 */

type Message =
  | { type: "done"; result: unknown }
  | { type: "error"; code: AppError["code"]; message: string; details?: ErrorDetail[]; stack?: string };

export function runInWorker<J extends Job>(job: J): Promise<JobResult<J>> {
  // Turbopack inlines NEXT_RUNTIME, so a production build passes `execArgv: undefined`.
  const execArgv = process.env.NEXT_RUNTIME ? undefined : ["--require", "tsx/cjs"];
  const worker = new Worker(new URL("./worker.ts", import.meta.url), { workerData: job, execArgv });
  return new Promise((resolve, reject) => {
    let settled: Message | null = null;
    worker.on("message", (m: Message) => {
      settled = m;
    });
    worker.on("error", (e) => reject(new AppError("internal:worker", `The ${job.kind} job failed in its worker thread: ${e.message}`)));
    // Settle at exit, not at the message: the worker first closes its database connections.
    worker.on("exit", (code) => {
      const m = settled as Message | null;
      if (m?.type === "done") resolve(m.result as JobResult<J>);
      else if (m?.type === "error") {
        if (m.stack) console.error(`[jobs] ${job.kind} job failed:`, m.stack);
        reject(new AppError(m.code, m.message, m.details));
      } else reject(new AppError("internal:worker", `The ${job.kind} job's worker thread stopped (exit code ${code}) before a result.`));
    });
  });
}
