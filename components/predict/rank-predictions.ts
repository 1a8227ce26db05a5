import type { PredictionResponse, SchemaResponse } from "@/lib/queries/types";

/* The Predict page's table and download: predictions ranked riskiest first, and that ranking as CSV named after the schema's columns. */

export interface RankedPrediction {
  rank: number;
  /** the row's id (the schema's id column); null when the schema has none */
  id: string | null;
  probability: number;
  predicted: 0 | 1;
  /** position in the uploaded file (1 = first data row) */
  inputRow: number;
  /** why, in words: each feature's contribution to the log-odds, largest first (from ?explain=1) */
  reasons: { sentence: string; contribution: number }[];
}

/** Riskiest first; ties keep input order. Reads only the fields every contribution has (numeric or categorical): its sentence and size. */
export function rankPredictions(p: Pick<PredictionResponse, "predictions">): RankedPrediction[] {
  return p.predictions
    .map((x, i) => ({ x, inputRow: i + 1 }))
    .sort((a, b) => b.x.probability - a.x.probability || a.inputRow - b.inputRow)
    .map(({ x, inputRow }, i) => ({
      rank: i + 1,
      id: x.id,
      probability: x.probability,
      predicted: x.predicted,
      inputRow,
      reasons: (x.explanation?.contributions ?? []).map((c) => ({ sentence: c.sentence, contribution: c.contribution })),
    }));
}

function csvCell(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * The ranking as CSV: `rank,<id column>,probability,predicted_<label>,input_row` (no id column
 * when the schema has none); the predicted label is written as the label's own value.
 */
export function predictionsCsv(rows: readonly RankedPrediction[], schema: Pick<SchemaResponse, "id" | "label" | "positive" | "negative">): string {
  const withId = schema.id !== null;
  const header = ["rank", ...(withId ? [schema.id as string] : []), "probability", `predicted_${schema.label}`, "input_row"].map(csvCell).join(",");
  const line = (r: RankedPrediction) =>
    [String(r.rank), ...(withId ? [csvCell(r.id ?? "")] : []), r.probability.toFixed(6), csvCell(r.predicted ? schema.positive : schema.negative), String(r.inputRow)].join(",");
  return [header, ...rows.map(line)].join("\n") + "\n";
}

/** "region: 3 rows, plan_code: 1 row": the categorical levels the model never saw at training, per feature. */
export function unseenText(unseen: PredictionResponse["unseen"]): string | null {
  const entries = Object.entries(unseen ?? {}).filter(([, n]) => n > 0);
  if (entries.length === 0) return null;
  return entries.map(([f, n]) => `${f}: ${n} ${n === 1 ? "row" : "rows"}`).join(", ");
}
