import type { ColumnStats, SchemaResponse } from "@/lib/queries/types";

/*
 * The words the pages use for a dataset, all derived from its schema (GET /api/schema), so that
 * no column name is written in a component: the CSV headers a form expects, the label's value
 * the model predicts, a model term, a categorical feature's known levels.
 */

type Schema = Pick<SchemaResponse, "id" | "label" | "positive" | "negative" | "time" | "features">;

/** The schema's columns in table order: the id and the time column (if any), the features, the label. */
export function schemaColumns(schema: Schema): string[] {
  return [...headerColumns(schema), schema.label];
}

/** The header a CSV must carry, without the label: the id, the time column, the features. */
function headerColumns(schema: Schema): string[] {
  return [...(schema.id !== null ? [schema.id] : []), ...(schema.time !== null ? [schema.time] : []), ...schema.features.map((f) => f.name)];
}

/**
 * What a CSV form asks for, in words: the header columns and what happens to the label and the
 * time column (needed where rows are stored, optional for rows to predict or monitor).
 * - `optional`: scoring (labels give an F1);
 * - `required`: ingestion (training data);
 * - `absent`: a batch monitored before its labels arrive (the form says "without <label>" itself).
 *
 * @example
 * csvColumnsHint({ id: "id", label: "y", time: "day", features: [{ name: "a", type: "numeric" }], … }, "optional")
 * // => "a header: id, a; y and day optional"
 */
export function csvColumnsHint(schema: Schema, label: "optional" | "required" | "absent"): string {
  if (label === "required") return `a header: ${headerColumns(schema).join(", ")}, ${schema.label}`;
  const columns = headerColumns({ ...schema, time: null }).join(", ");
  const optional = [...(label === "optional" ? [schema.label] : []), ...(schema.time !== null ? [schema.time] : [])];
  return optional.length ? `a header: ${columns}; ${optional.join(" and ")} optional` : `a header: ${columns}`;
}

/** The label's value a prediction stands for, e.g. "churned = yes" (the label column = its positive or negative value). */
export function labelValueText(schema: Pick<Schema, "label" | "positive" | "negative">, predicted: 0 | 1 | number | boolean): string {
  return `${schema.label} = ${predicted ? schema.positive : schema.negative}`;
}

/** "probability of churned = yes": the model's probability, in the label's own words. */
export function probabilityText(schema: Pick<Schema, "label" | "positive">): string {
  return `probability of ${schema.label} = ${schema.positive}`;
}

/**
 * A model term as a person reads it: a numeric feature is its name; a categorical feature's
 * dummy `feature=level` reads "feature = level" (its coefficient compares that level with the
 * dropped, most frequent one).
 */
export function termText(term: string): string {
  const eq = term.indexOf("=");
  return eq > 0 ? `${term.slice(0, eq)} = ${term.slice(eq + 1)}` : term;
}

/** A categorical feature's known levels, most frequent first, from GET /api/summarystats (empty for a numeric feature or before any data). */
export function knownLevels(columns: Record<string, ColumnStats> | undefined, feature: string): string[] {
  const c = columns?.[feature];
  return c && "type" in c && c.type === "categorical" ? c.top.map((t) => t.level) : [];
}
