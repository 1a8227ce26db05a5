import { Badge } from "@/components/ui/badges";
import { fmtMs } from "@/components/ui/format";
import type { Run } from "@/lib/queries/types";

/** The steps of a run as an ordered list; while it runs, a last "working" line shows it is alive. */
export function RunSteps({ run }: { run: Run }) {
  return (
    <ol className="steps" aria-label={`Steps of run ${run.id}`} aria-live="polite">
      {run.steps.map((s, i) => (
        <li key={`${s.name}-${i}`} className={`step ${s.status}`}>
          <span className="step-icon" aria-hidden="true">
            {s.status === "succeeded" ? "✓" : s.status === "failed" ? "✕" : "–"}
          </span>
          <span className="step-name">{s.name}</span>
          <Badge tone={s.status === "succeeded" ? "ok" : s.status === "failed" ? "bad" : "muted"}>{s.status}</Badge>
          <span className="step-ms">{fmtMs(s.ms)}</span>
          <span className="step-detail">{s.detail}</span>
        </li>
      ))}
      {run.status === "running" ? (
        <li className="step running">
          <span className="step-icon spinner" aria-hidden="true" />
          <span className="step-name">working…</span>
          <span className="step-detail muted">step {run.steps.length + 1}</span>
        </li>
      ) : null}
    </ol>
  );
}
