import type { z } from "zod";
import { periodView } from "../time/periods";
import type { RunStep } from "../db/runs";
import type { PipelineRun } from "../db/types";
import type { RunEntry } from "../validations/monitoring";
import type { RunOutcome, RunStatus } from "../vocabulary";

/** A pipeline run as GET /api/runs shows it (and the full process returns it). */
export type RunView = z.infer<typeof RunEntry>;

export function runView(r: PipelineRun): RunView {
  return {
    id: r.id,
    trigger: r.trigger,
    actor: r.actor,
    status: r.status as RunStatus,
    outcome: (r.outcome as RunOutcome | null) ?? null,
    startedAt: r.startedAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
    ...periodView(r),
    steps: JSON.parse(r.steps) as RunStep[],
    reason: r.reason,
    error: r.error,
  };
}
