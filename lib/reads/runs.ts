import type { RunStep } from "../db/runs";
import type { PipelineRun } from "../db/types";
import type { RunOutcome } from "../vocabulary";

/** A pipeline run as GET /api/runs shows it (and the full process returns it). */
export interface RunView {
  id: number;
  trigger: string;
  status: string;
  outcome: RunOutcome | null;
  startedAt: string;
  finishedAt: string | null;
  steps: RunStep[];
  reason: string | null;
  error?: string | null;
}

export function runView(r: PipelineRun): RunView {
  return {
    id: r.id,
    trigger: r.trigger,
    status: r.status,
    outcome: (r.outcome as RunOutcome | null) ?? null,
    startedAt: r.startedAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
    steps: JSON.parse(r.steps) as RunStep[],
    reason: r.reason,
    error: r.error,
  };
}
