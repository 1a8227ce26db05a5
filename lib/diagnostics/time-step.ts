import type { Db } from "../db/client";
import { recordTiming } from "../db/timings";
import type { StepName } from "../vocabulary";

export interface TimeStepOptions {
  /** the pipeline run the step belongs to */
  runId?: number | null;
  /** who ran it: pipeline | cli | api | timing-check … */
  source?: string;
  /**
   * Store the time of a step that throws too (default). False for a refusal that must leave the
   * database as it was (POST /api/ingest of an unusable file, a rollback with nothing to roll back to).
   */
  recordFailures?: boolean;
  /** told the time of a step that threw (before the error is rethrown) */
  onFailed?: (ms: number, error: unknown) => void;
}

/**
 * The one way to time a step — the pipeline's runner, the steps run alone (API, CLI), the API's
 * ingestion and rollback, the timing check: run `fn`, store how long it took as a StepTiming
 * (also when it throws — a failed step took time too — without letting a failed write hide the
 * step's own error), and return its result with the time. (Predictions are counted per request
 * in memory instead: lib/diagnostics/timing-aggregator.ts.)
 */
export async function timeStep<T>(db: Db, step: StepName, fn: () => Promise<T>, { onFailed, recordFailures = true, ...where }: TimeStepOptions = {}): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  let value: T;
  try {
    value = await fn();
  } catch (e) {
    const ms = performance.now() - start;
    if (recordFailures) await recordTiming(db, { step, ms, ...where }).catch(() => undefined);
    onFailed?.(ms, e);
    throw e;
  }
  const ms = performance.now() - start;
  await recordTiming(db, { step, ms, ...where });
  return { value, ms };
}
