import type { Db } from "../db/client";
import { recordTiming } from "../db/timings";
import type { StepName } from "../vocabulary";

/** Run `fn`, store how long it took as a StepTiming (also when it throws), and return its result with the time. */
export async function timed<T>(
  db: Db,
  step: StepName,
  fn: () => Promise<T>,
  opts: { runId?: number | null; source?: string } = {},
): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  try {
    const value = await fn();
    const ms = performance.now() - start;
    await recordTiming(db, { step, ms, ...opts });
    return { value, ms };
  } catch (e) {
    await recordTiming(db, { step, ms: performance.now() - start, ...opts }).catch(() => undefined);
    throw e;
  }
}
