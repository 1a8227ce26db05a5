import type { SetupInspection } from "@/lib/queries/types";

/*
 * The set-up page's choices about each column of the inspected CSV, and the schema file form
 * (lib/schema/parse.ts) POST /api/setup takes, built from them. Pure: no React.
 */

export const ROLES = ["feature", "id", "label", "time", "ignored"] as const;
export type Role = (typeof ROLES)[number];
export const ROLE_TEXT: Record<Role, string> = { feature: "feature", id: "id", label: "label", time: "time", ignored: "left out" };
export type FeatureKind = "numeric" | "categorical";

export interface ColumnChoice {
  role: Role;
  type: FeatureKind;
}

export type Choices = Record<string, ColumnChoice>;

/** What the inspection proposes for each column. */
export function proposedChoices(inspection: SetupInspection): Choices {
  return Object.fromEntries(inspection.columns.map((c) => [c.name, { role: c.role, type: c.type === "numeric" ? "numeric" : "categorical" }]));
}

/**
 * The inspection's proposal, with the person's own choices kept for the columns they changed
 * (`touched`) — except where the new inspection puts the label, id or time.
 */
export function mergeChoices(inspection: SetupInspection, previous: Choices, touched: ReadonlySet<string>): Choices {
  const next = proposedChoices(inspection);
  for (const name of touched) {
    const role = next[name]?.role;
    if (role === undefined || role === "label" || role === "id" || role === "time") continue;
    const kept = previous[name];
    if (kept && kept.role !== "label" && kept.role !== "id" && kept.role !== "time") next[name] = kept;
  }
  return next;
}

/** The column holding `role` (label, id, time), if any. */
export function columnWith(choices: Choices, role: "label" | "id" | "time"): string | undefined {
  return Object.entries(choices).find(([, c]) => c.role === role)?.[0];
}

/** The schema file form of the choices (features in the file's column order), or why there is none yet. */
export function schemaFileOf(inspection: SetupInspection, choices: Choices, positive: string | null): { schema: object } | { problem: string } {
  const label = columnWith(choices, "label");
  if (!label) return { problem: "Choose the label column." };
  if (positive === null) return { problem: "Choose the label value that counts as 1." };
  const bounds = new Map((inspection.schema?.features ?? []).map((f) => [f.name, f]));
  const features: Record<string, unknown> = {};
  for (const c of inspection.columns) {
    const choice = choices[c.name];
    if (choice?.role !== "feature") continue;
    const proposed = bounds.get(c.name);
    features[c.name] = choice.type === "numeric" ? { type: "numeric", ...(proposed?.type === "numeric" && proposed.min != null ? { min: proposed.min } : {}) } : "categorical";
  }
  if (Object.keys(features).length === 0) return { problem: "Keep at least one feature: every column is left out or has another role." };
  return { schema: { id: columnWith(choices, "id") ?? null, label, positive, time: columnWith(choices, "time") ?? null, features } };
}
