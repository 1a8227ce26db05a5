import type { Run, SchemaResponse, ScoreCheckOutcome } from "@/lib/queries/types";
import { labelValueText } from "./schema-text";
import type { RunOutcome } from "@/lib/vocabulary";

type Tone = "ok" | "warn" | "bad" | "muted" | "info";

export function Badge({ tone, children, title }: { tone: Tone; children: React.ReactNode; title?: string }) {
  return (
    <span className={`badge ${tone}`} title={title}>
      {children}
    </span>
  );
}

const OUTCOME_TONE: Record<RunOutcome, Tone> = { "no-new-data": "muted", "no-drift": "ok", redeployed: "info", "gate-rejected": "warn" };

/** A run as one badge: running / failed / its outcome. */
export function RunBadge({ run }: { run: Pick<Run, "status" | "outcome"> }) {
  if (run.status === "running") return <Badge tone="info">running…</Badge>;
  if (run.status === "failed") return <Badge tone="bad">failed</Badge>;
  return <Badge tone={run.outcome ? OUTCOME_TONE[run.outcome] : "muted"}>{run.outcome ?? run.status}</Badge>;
}

/** A score check as pass / drift / insufficient history. */
export function CheckBadge({ check }: { check: ScoreCheckOutcome | undefined }) {
  if (!check) return <Badge tone="muted">not run</Badge>;
  if (check.status === "insufficient-history") return <Badge tone="muted">insufficient history</Badge>;
  if (check.status === "drift") return <Badge tone="bad">drift</Badge>;
  return <Badge tone="ok">pass</Badge>;
}

/** A predicted (or true) label in the schema's own words: "<label> = <positive>" (red) or "<label> = <negative>" (green). */
export function LabelBadge({ value, schema }: { value: number | boolean; schema: Pick<SchemaResponse, "label" | "positive" | "negative"> }) {
  return <Badge tone={value ? "bad" : "ok"}>{labelValueText(schema, value)}</Badge>;
}
