import path from "node:path";
import { Worker } from "node:worker_threads";
import { currentActor } from "../actor";
import { noteDeploymentChange } from "../db/deployment-changes";
import { adoptStorageSightings, type StorageSightings } from "../db/storage-health";
import { AppError, type ErrorDetail } from "../errors";

/*
 * Run a job on a worker thread and resolve with its result, so training, scoring and ingestion
 * of large sets never block the server's event loop. What each kind of job does is the worker's
 * business (lib/worker/jobs.ts, the thread's entry lib/worker/entry.ts): this runner imports
 * none of it, so the pipeline, the reads and the batches can hand work to a thread without
 * depending on everything a worker may run. `next build` (Turbopack) bundles entry.ts and
 * everything it imports from the `new URL(…)` below;
 * outside Next (vitest, tsx scripts) Node loads the .ts sources through tsx's require hook.
 * An AppError thrown in the worker comes back as an AppError (same code, message, details);
 * a worker that dies (out of memory, killed) rejects with internal:worker. What the worker's
 * database storage met (a full volume, a damaged file) is taken in here for /api/health.
 */

/**
 * The kinds of job, each with its input (`job`, plain data with `kind` and `databaseUrl`) and
 * its result. Empty here: lib/worker/jobs.ts declares them (TypeScript module augmentation),
 * so callers get typed results without this module importing the worker's code.
 */
export interface JobKinds {}

type JobOf<K extends keyof JobKinds> = JobKinds[K] extends { job: infer J } ? J : never;
type ResultOf<K extends keyof JobKinds> = JobKinds[K] extends { result: infer R } ? R : never;

export type Job = { [K in keyof JobKinds]: JobOf<K> }[keyof JobKinds];
export type JobResult<J extends Job> = { [K in keyof JobKinds]: J extends { kind: K } ? ResultOf<K> : never }[keyof JobKinds];

type Message =
  | { type: "done"; result: unknown; storage?: StorageSightings }
  | { type: "progress"; data: unknown }
  | { type: "error"; code: AppError["code"]; message: string; details?: ErrorDetail[]; stack?: string; storage?: StorageSightings };

/**
 * Run `job` on a worker thread. `onProgress` receives what the job reports while it runs (a job
 * kind's own progress data, e.g. the set-up's periods as they are replayed).
 */
export function runInWorker<J extends Job>(job: J, { onProgress }: { onProgress?: (data: unknown) => void } = {}): Promise<JobResult<J>> {
  const worker = startJobWorker(job);
  return new Promise((resolve, reject) => {
    let settled: Message | null = null;
    worker.on("message", (m: Message) => {
      if (m.type === "progress") onProgress?.(m.data);
      else settled = m;
    });
    worker.on("error", (e) => reject(new AppError("internal:worker", `The ${job.kind} job failed in its worker thread: ${e.message}`)));
    // Settle at exit, not at the message: the worker first closes its database connections.
    worker.on("exit", (code) => {
      // a job may have deployed (a pipeline run, a replay): the prediction path asks the database again
      noteDeploymentChange();
      const m = settled as Message | null;
      if (m && m.type !== "progress") adoptStorageSightings(m.storage);
      if (m?.type === "done") resolve(m.result as JobResult<J>);
      else if (m?.type === "error") {
        if (m.stack) console.error(`[jobs] ${job.kind} job failed:`, m.stack);
        reject(new AppError(m.code, m.message, m.details));
      } else reject(new AppError("internal:worker", `The ${job.kind} job's worker thread stopped (exit code ${code}) before a result.`));
    });
  });
}

/**
 * The job's thread: in a `next build` Turbopack bundles entry.ts from the `new URL` below (and
 * inlines NEXT_RUNTIME, so the build passes `execArgv: undefined`); the CLI's bundle
 * (scripts/cli.cjs) has worker-entry.cjs beside it; elsewhere (vitest, tsx) Node loads the .ts
 * through tsx's require hook.
 */
function startJobWorker(job: Job): Worker {
  const bundle = (globalThis as { __draBundleDir?: string }).__draBundleDir;
  // Reflect.construct: Turbopack would try to bundle a `new Worker` whose path it cannot know.
  // the job records what it does as the actor of the request, command or run that started it
  const workerData = { job, actor: currentActor() };
  if (bundle) return Reflect.construct(Worker, [path.join(bundle, "worker-entry.cjs"), { workerData }]) as Worker;
  const execArgv = process.env.NEXT_RUNTIME ? undefined : ["--require", "tsx/cjs"];
  return new Worker(new URL("../worker/entry.ts", import.meta.url), { workerData, execArgv });
}
