import { parseSchemaCsv } from "../csv/parse-schema-csv";
import { isoTimeMs } from "../time/periods";
import { columnsFromRows, type RowValues } from "../csv/rows-to-columns";
import type { Db } from "../db/client";
import type { DataSchema } from "../schema/types";
import { AppError, type ErrorDetail } from "../errors";
import { classificationScores } from "../metrics/classification";
import { explainClient } from "../model/explain";
import type { z } from "zod";
import type { PredictionResponse } from "../validations/prediction";
import { labelsAt, predictColumns } from "../model/logistic";
import { recordPredictionLatency, recordUnseenLevels } from "./metrics";
import { getDeployedModel } from "./deployed-model-cache";

/*
 * Predictions of the deployed model for rows sent by a client (JSON rows or an uploaded CSV).
 * Input is validated completely before anything is predicted: one bad row fails the whole
 * request with every problem listed. Nothing is written to the database per request: the
 * deployed model comes from memory (deployed-model-cache.ts), and the route's latency goes to
 * memory too (metrics.ts: recordPredictionLatency), so diagnostics and /api/metrics still
 * count predictions and show their latency.
 */

/** A row to predict: its id, the feature values in schema order, the label when given (lib/csv/rows-to-columns.ts RowValues). */
export interface PredictionInputRow extends RowValues {
  id: string | null;
  /** the schema's time cell as epoch ms, when the rows carry it (a monitored batch's period); else absent */
  time?: number | null;
}

export type PredictionResult = z.infer<typeof PredictionResponse>;

/**
 * Rows of a client CSV for prediction, read with `schema`: header required, the label optional
 * (when present, every row needs a valid one). Row problems → 422 `unprocessable:rows` with every
 * problem (row = file line); whole-file problems → the parser's 400/415/422. Empty numeric cells
 * are rejected, not imputed: a prediction should only use what the client knows (an empty
 * categorical cell is the level "(missing)", as in training).
 */
export function rowsFromCsv(content: Buffer | Uint8Array, schema: DataSchema): PredictionInputRow[] {
  const parsed = parseSchemaCsv(content, { schema, label: "optional" });
  const details: ErrorDetail[] = parsed.rejected.map((r) => ({ row: r.row, ...(r.column ? { column: r.column } : {}), problem: r.problem }));
  const rows: PredictionInputRow[] = [];
  for (const r of parsed.rows) {
    const empty = schema.features.filter((f, j) => f.type === "numeric" && r.values[j] === null);
    for (const f of empty) details.push({ row: r.row, column: f.name, problem: "is empty; every numeric feature is needed to predict" });
    if (empty.length > 0) continue;
    rows.push({ id: r.id, values: r.values, label: parsed.hasLabel ? r.label : null, time: r.time });
  }
  if (details.length > 0) {
    details.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
    throw new AppError(
      "unprocessable:rows",
      `${details.length} problem(s) in the CSV, nothing was predicted. Fix the listed cells (row = line in the file, header = 1) and send it again.`,
      details,
    );
  }
  return rows;
}

/** JSON rows already validated by predictionRowSchema(schema) (fields named as the CSV headers) as prediction rows. */
export function rowsFromJson(rows: readonly Record<string, unknown>[], schema: DataSchema): PredictionInputRow[] {
  return rows.map((r) => ({
    id: schema.id ? (r[schema.id] as string) : null,
    values: schema.features.map((f) => (r[f.name] ?? null) as number | string | null),
    label: (r[schema.label] ?? null) as 0 | 1 | null,
    time: schema.time !== null && typeof r[schema.time] === "string" ? isoTimeMs((r[schema.time] as string).trim()) : null,
  }));
}

/** Labels are all-or-none: a score needs every row's true label. */
function labelsOf(rows: readonly PredictionInputRow[], labelColumn: string): (0 | 1)[] | null {
  const labelled = rows.filter((r) => r.label === 0 || r.label === 1).length;
  if (labelled === 0) return null;
  if (labelled < rows.length) {
    const details = rows
      .map((r, row) => ({ r, row }))
      .filter(({ r }) => r.label !== 0 && r.label !== 1)
      .slice(0, 100)
      .map(({ row }) => ({ row, column: labelColumn, problem: "is missing while other rows have it; give every row a label or none" }));
    throw new AppError(
      "unprocessable:rows",
      `${rows.length - labelled} of ${rows.length} rows have no ${labelColumn} label; to be scored every row needs one, otherwise leave it out everywhere.`,
      details,
    );
  }
  return rows.map((r) => r.label as 0 | 1);
}

/**
 * The JSON answer of POST /api/prediction (both ways in: app/api/prediction/route.ts and the fast
 * path of lib/prediction/node-route.ts): the predictions as text, and the server time from
 * `startedAt` (performance.now() when the request arrived) recorded in memory (metrics.ts).
 */
export async function predictionAnswer(
  db: Db,
  rows: readonly PredictionInputRow[],
  { explain = false, schema, startedAt }: { explain?: boolean; schema: DataSchema; startedAt: number },
): Promise<{ body: string; ms: number }> {
  const body = JSON.stringify(await predictWithDeployedModel(db, rows, { explain, schema }));
  const ms = performance.now() - startedAt;
  recordPredictionLatency(db, ms);
  return { body, ms };
}

/**
 * Predict with the deployed model, in input order; with labels, also score. With `explain`, each
 * prediction also carries its features' contributions to the log-odds, largest first, each with
 * its sentence (lib/model/explain.ts). Each prediction is also keyed by the schema's id and label
 * column names (the default schema: corporation, exited). Levels the model never saw are counted
 * (`unseen`, and in /api/metrics). 409 when nothing is deployed.
 */
async function predictWithDeployedModel(
  db: Db,
  rows: readonly PredictionInputRow[],
  { explain = false, schema }: { explain?: boolean; schema: DataSchema },
): Promise<PredictionResult> {
  const labels = labelsOf(rows, schema.label);
  const deployed = await getDeployedModel(db);
  const data = columnsFromRows(schema, rows);
  const { probabilities, unseen } = predictColumns(deployed.model, data);
  const threshold = deployed.model.hyperParameters.threshold;
  const predicted = labelsAt(probabilities, threshold);
  recordUnseenLevels(unseen);
  const explanationOf = (i: number) => {
    const { baselineLogOdds, logOdds, contributions } = explainClient(deployed.model, data, { row: i, outcome: schema.label });
    return { explanation: { baselineLogOdds, logOdds, contributions } };
  };
  const anyUnseen = Object.values(unseen).some((c) => c > 0);
  return {
    modelVersion: deployed.modelVersion,
    modelVersionId: deployed.modelVersionId,
    threshold,
    rows: rows.length,
    // built field by field, not by spreading: 6 % of a 1-row prediction's CPU went to the spreads
    predictions: rows.map((r, i) => {
      const p: Record<string, unknown> = {};
      if (schema.id) p[schema.id] = r.id;
      p[schema.label] = predicted[i];
      p.id = r.id;
      p.probability = probabilities[i];
      p.predicted = predicted[i] as 0 | 1;
      if (explain) p.explanation = explanationOf(i).explanation;
      return p as PredictionResult["predictions"][number];
    }),
    ...(anyUnseen ? { unseen: Object.fromEntries(Object.entries(unseen).filter(([, c]) => c > 0)) } : {}),
    ...(labels ? { score: classificationScores(labels, Array.from(predicted)) } : {}),
  };
}
