import { periodAxis, periodText, type PeriodAxis } from "@/components/ui/period-axis";
import type { Run } from "@/lib/queries/types";
import { periodLabel } from "@/lib/time/periods";

/*
 * The Runs page's "time per step" bars: one stacked bar per run, in the order of the periods of
 * data the runs were about, each labelled with its period (issue 18); by run # when one of them
 * has no period (a run that found no new rows, or one recorded before periods were). A category
 * axis, not a time scale: a stacked bar needs a slot of its own, and two runs of one period (a
 * re-run) must not share one.
 */

export interface RunDurationsRow {
  /** the category: the period's label (with the run # when two runs share it), or "#id" */
  label: string;
  runId: number;
  /** "Mar 2024 (1 Mar 2024 – 31 Mar 2024)"; null on the index axis */
  period: string | null;
  /** seconds per step */
  seconds: Record<string, number>;
}

/** The newest `take` runs (the API lists them newest first) as bars, oldest period first; the steps in first-seen order. */
export function shapeRunDurations(runsNewestFirst: readonly Run[], take = 20): { rows: RunDurationsRow[]; steps: string[]; axis: PeriodAxis } {
  const recent = runsNewestFirst.slice(0, take).reverse();
  const axis = periodAxis(recent, { indexTitle: "run" });
  const order = recent.map((_, i) => i).sort((a, b) => axis.xs[a] - axis.xs[b] || a - b);
  const labels = recent.map((r, i) => (axis.kind === "time" && axis.by ? periodLabel(axis.periods[i]?.end ?? 0, axis.by) : `#${r.id}`));
  const shared = new Set(labels.filter((l, i) => labels.indexOf(l) !== i));
  const steps: string[] = [];
  const rows = order.map((i): RunDurationsRow => {
    const r = recent[i];
    const seconds: Record<string, number> = {};
    for (const s of r.steps) {
      if (!steps.includes(s.name)) steps.push(s.name);
      seconds[s.name] = (seconds[s.name] ?? 0) + s.ms / 1000;
    }
    return { label: shared.has(labels[i]) ? `${labels[i]} #${r.id}` : labels[i], runId: r.id, period: periodText(axis.periods[i], axis.by), seconds };
  });
  return { rows, steps, axis };
}
