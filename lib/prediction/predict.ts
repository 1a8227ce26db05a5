import { parseClientCsv } from "../csv/parse-client-csv";
import type { Db } from "../db/client";
import { FEATURES, type ClientFeatures } from "../domain";
import { AppError, type ErrorDetail } from "../errors";
import { classificationScores, type ClassificationScores } from "../metrics/classification";
import { explainClient, type ClientExplanation } from "../model/explain";
import { predict } from "../model/logistic";
import { getDeployedModel } from "./deployed-model-cache";

/*
 * Predictions of the deployed model for rows sent by a client (JSON rows or an uploaded CSV).
 * Input is validated completely before anything is predicted: one bad row fails the whole
 * request with every problem listed. Nothing is written to the database per request: the
 * deployed model comes from memory (deployed-model-cache.ts), and the route's latency goes to
 * memory too (metrics.ts: recordPredictionLatency), so diagnostics and /api/metrics still
 * count predictions and show their latency.
 */

export interface PredictionInputRow extends ClientFeatures {
  exited?: 0 | 1 | null;
}

export interface PredictionResult {
  modelVersion: number;
  modelVersionId: number;
  threshold: number;
  rows: number;
  predictions: { corporation: string; probability: number; exited: 0 | 1; explanation?: Omit<ClientExplanation, "probability"> }[];
  score?: ClassificationScores;
}

/**
 * Rows of a client CSV for prediction: header required, `exited` optional (when present, every
 * row needs 0 or 1). Row problems → 422 `unprocessable:rows` with every problem (row = file line);
 * whole-file problems → the parser's 400/415/422. Empty feature cells are rejected, not imputed:
 * a prediction should only use what the client knows.
 */
export function rowsFromCsv(content: Buffer | Uint8Array): PredictionInputRow[] {
  const parsed = parseClientCsv(content, { label: "optional" });
  const details: ErrorDetail[] = parsed.rejected.map((r) => ({ row: r.row, ...(r.column ? { column: r.column } : {}), problem: r.problem }));
  const rows: PredictionInputRow[] = [];
  for (const r of parsed.rows) {
    const empty = FEATURES.filter((f) => r[f] === null);
    for (const column of empty) details.push({ row: r.row, column, problem: "is empty; every feature is needed to predict" });
    if (empty.length > 0) continue;
    rows.push({
      corporation: r.corporation,
      lastmonth_activity: r.lastmonth_activity as number,
      lastyear_activity: r.lastyear_activity as number,
      number_of_employees: r.number_of_employees as number,
      exited: parsed.hasLabel ? r.exited : undefined,
    });
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

/** Labels are all-or-none: a score needs every row's true label. */
function labelsOf(rows: readonly PredictionInputRow[]): (0 | 1)[] | null {
  const labelled = rows.filter((r) => r.exited === 0 || r.exited === 1).length;
  if (labelled === 0) return null;
  if (labelled < rows.length) {
    const details = rows
      .map((r, row) => ({ r, row }))
      .filter(({ r }) => r.exited !== 0 && r.exited !== 1)
      .slice(0, 100)
      .map(({ row }) => ({ row, column: "exited", problem: "is missing while other rows have it; give every row a label or none" }));
    throw new AppError(
      "unprocessable:rows",
      `${rows.length - labelled} of ${rows.length} rows have no exited label; to be scored every row needs one, otherwise leave it out everywhere.`,
      details,
    );
  }
  return rows.map((r) => r.exited as 0 | 1);
}

/**
 * Predict with the deployed model, in input order; with labels, also score. With `explain`, each
 * prediction also carries its features' contributions to the log-odds, largest first, each with
 * its sentence (lib/model/explain.ts). 409 when nothing is deployed.
 */
export async function predictWithDeployedModel(
  db: Db,
  rows: readonly PredictionInputRow[],
  { explain = false }: { explain?: boolean } = {},
): Promise<PredictionResult> {
  const labels = labelsOf(rows);
  const deployed = await getDeployedModel(db);
  const preds = predict(deployed.model, rows);
  const explanationOf = (r: PredictionInputRow) => {
    const { baselineLogOdds, logOdds, contributions } = explainClient(deployed.model, r);
    return { explanation: { baselineLogOdds, logOdds, contributions } };
  };
  const result: PredictionResult = {
    modelVersion: deployed.modelVersion,
    modelVersionId: deployed.modelVersionId,
    threshold: deployed.model.hyperParameters.threshold,
    rows: rows.length,
    predictions: rows.map((r, i) => ({
      corporation: r.corporation,
      probability: preds[i].probability,
      exited: preds[i].exited,
      ...(explain ? explanationOf(r) : {}),
    })),
    ...(labels
      ? {
          score: classificationScores(
            labels,
            preds.map((p) => p.exited),
          ),
        }
      : {}),
  };
  return result;
}
