import { createHash } from "node:crypto";
import { periodView, spanOf } from "../time/periods";
import type { Config } from "../config";
import {
  createMonitoredBatch,
  findMonitoredBatch,
  getMonitoredBatch,
  listMonitoredBatches,
  listRiskiestBatchRows,
} from "../db/batches";
import { databaseUrlOf, type Db } from "../db/client";
import { readTrainingColumns } from "../db/columns";
import type { MonitoredBatch } from "../db/types";
import { currentSchema } from "../db/stored-schema";
import { columnsFromRows } from "../csv/rows-to-columns";
import { AppError } from "../errors";
import {
  calibrationCheck,
  estimatePerformance,
  fitIsotonicCalibration,
  type CalibrationCheck,
  type EstimatedPerformance,
} from "../metrics/estimated-performance";
import { calibrationTable } from "../metrics/ranking";
import { labelsAt, predictColumns, predictProbabilityColumns } from "../model/logistic";
import { recordUnseenLevels } from "../prediction/metrics";
import { requireDeployedModel } from "../db/models";
import { entryDrifted, featureDriftOfColumns, type FeatureDriftEntry } from "../drift/observed-feature-drift";
import { loadTestData } from "../ingestion/test-data";
import { modelParameters } from "../model/stored";
import type { PredictionInputRow } from "../prediction/predict";
import type { PageRequest } from "../validations/pagination";
import type { z } from "zod";
import type { BatchDetail, BatchEntry, BatchesResponse } from "../validations/batches";
import { newestFirstPage } from "../reads/page";
import type { RealizedScores } from "../ingestion/batch-labels";

/*
 * Performance before labels arrive (issue 11, must-have 3). A batch of clients without `exited`
 * is scored by the deployed model and stored with
 * - the estimated precision, recall, F1 and accuracy with their 95 % band (CBPE,
 *   lib/metrics/estimated-performance.ts), after calibrating the probabilities with an isotonic
 *   map fitted on the test data when the deployed model's calibration table on the test data
 *   fails the Hosmer–Lemeshow check;
 * - feature drift against the model's training data (KS and PSI exactly as the full process);
 * - its predictions, one row per client.
 * When labelled rows for the same corporations are ingested later (an upload or a source file),
 * recordBatchLabels stores the realized scores on the matched rows beside the estimate.
 */

/** Seed of the band's simulation: fixed, so the same batch always gets the same band. */
export const ESTIMATE_SEED = 1;
/** Predictions listed with a batch (riskiest first); all of them are stored. */
const RISKIEST_LISTED = 20;

export interface BatchCalibration {
  /** Hosmer–Lemeshow on the deployed model's calibration table over the test data */
  check: CalibrationCheck;
  testRows: number;
  /** "isotonic" when the probabilities were calibrated before estimating, else "none" */
  method: "isotonic" | "none";
  /** knots of the isotonic map (0 when none) */
  knots: number;
}

/** sha256 of JSON rows as sent (canonical: the validated rows re-serialised). */
export function sha256OfRows(rows: readonly PredictionInputRow[]): string {
  return createHash("sha256").update(JSON.stringify(rows)).digest("hex");
}

/**
 * Score a batch of unlabelled clients with the deployed model and store it as a monitored
 * batch. Same content scored by the same model version again → the stored batch
 * (`alreadyMonitored: true`), nothing added.
 *
 * @throws AppError 409 `conflict:no_deployed_model`; 422 `unprocessable:rows` when rows carry
 *   labels (labelled rows are ingested or scored, not estimated) or there are none.
 */
export async function monitorBatch(
  db: Db,
  config: Pick<Config, "TEST_DATA">,
  { name, sha256, rows }: { name: string; sha256: string; rows: readonly PredictionInputRow[] },
): Promise<{ batch: BatchView; alreadyMonitored: boolean }> {
  if (rows.length === 0) throw new AppError("unprocessable:rows", "A monitored batch needs at least one client row.");
  const schema = await currentSchema(db);
  const labelled = rows.findIndex((r) => r.label === 0 || r.label === 1);
  if (labelled >= 0) {
    throw new AppError(
      "unprocessable:rows",
      `A monitored batch is a batch whose labels have not arrived: leave the ${schema.label} column out. To score labelled rows use POST /api/prediction; to add them to the training data, POST /api/ingest.`,
      [{ row: labelled, column: schema.label, problem: "labels are not accepted in a monitored batch" }],
    );
  }
  const deployment = await requireDeployedModel(db);
  const version = deployment.modelVersion;
  const existing = await findMonitoredBatch(db, { sha256, modelVersionId: version.id });
  if (existing) return { batch: await batchView(db, existing), alreadyMonitored: true };

  const model = modelParameters(version);
  const threshold = model.hyperParameters.threshold;
  const current = columnsFromRows(schema, rows);
  const { probabilities, unseen } = predictColumns(model, current);
  recordUnseenLevels(unseen);

  const test = await loadTestData(db, config.TEST_DATA);
  const testY = test.data.label;
  const testP = predictProbabilityColumns(model, test.data);
  const check = calibrationCheck(calibrationTable(testY, testP));
  const map = check.needsCalibration ? fitIsotonicCalibration(testY, testP) : undefined;
  const estimate = estimatePerformance(probabilities, threshold, { calibration: map, seed: ESTIMATE_SEED });
  const calibration: BatchCalibration = { check, testRows: test.data.n, method: map ? "isotonic" : "none", knots: map?.x.length ?? 0 };

  const reference = await readTrainingColumns(databaseUrlOf(db), schema, { maxId: version.maxRecordId });
  const features = featureDriftOfColumns(schema, reference, current);

  const id = await createMonitoredBatch(
    db,
    {
      name,
      sha256,
      modelVersionId: version.id,
      modelVersion: version.version,
      threshold,
      calibrated: map !== undefined,
      calibration,
      estimate,
      estimatedF1: estimate.f1,
      features,
      period: spanOf(rows.length, (i) => rows[i].time),
    },
    { corporation: rows.map((r, i) => r.id ?? `row-${i}`), probability: probabilities, predicted: labelsAt(probabilities, threshold) },
  );
  const stored = await getMonitoredBatch(db, id);
  if (!stored) throw new AppError("internal:batch", `Monitored batch ${id} vanished after it was stored.`);
  return { batch: await batchView(db, stored), alreadyMonitored: false };
}

type FeatureDriftView = z.infer<typeof BatchEntry>["features"][string];
/** As stored: without `type` before categorical features existed. */
type StoredFeatureDrift = FeatureDriftEntry | (Omit<Extract<FeatureDriftEntry, { type: "numeric" }>, "type"> & { type?: undefined });

function featureView(e: StoredFeatureDrift): FeatureDriftView {
  const sizes = { referenceSize: e.referenceSize, currentSize: e.currentSize, ...(e.note ? { note: e.note } : {}) };
  if (e.type === "categorical") {
    const pick = <T extends { threshold: number; drifted: boolean }>(o: T | null, keys: (keyof T)[]) =>
      o ? { ...Object.fromEntries(keys.map((k) => [k, o[k]])), threshold: o.threshold, drifted: o.drifted } : null;
    return {
      type: "categorical",
      chi2: pick(e.chi2, ["statistic", "df", "pValue"]) as never,
      js: pick(e.js, ["distance"]) as never,
      psi: pick(e.psi, ["score"]) as never,
      unseen: pick(e.unseen, ["share", "count", "levels"]) as never,
      ...sizes,
    };
  }
  return {
    ...(e.type ? { type: e.type } : {}),
    ks: e.ks ? { statistic: e.ks.statistic, pValue: e.ks.pValue, threshold: e.ks.threshold, drifted: e.ks.drifted } : null,
    psi: e.psi ? { score: e.psi.score, threshold: e.psi.threshold, drifted: e.psi.drifted } : null,
    ...sizes,
  };
}

function featuresView(stored: Record<string, StoredFeatureDrift>): Record<string, FeatureDriftView> {
  return Object.fromEntries(Object.entries(stored).map(([f, e]) => [f, featureView(e)]));
}

/** A batch in the shape of GET /api/batches (lib/validations/batches.ts BatchEntry). */
function batchSummary(b: MonitoredBatch): z.infer<typeof BatchEntry> {
  const estimate = JSON.parse(b.estimate) as EstimatedPerformance;
  const stored = JSON.parse(b.features) as Record<string, StoredFeatureDrift>;
  const features = featuresView(stored);
  return {
    id: b.id,
    name: b.name,
    sha256: b.sha256,
    rows: b.rows,
    modelVersion: b.modelVersion,
    modelVersionId: b.modelVersionId,
    threshold: b.threshold,
    calibrated: b.calibrated,
    calibration: JSON.parse(b.calibration) as BatchCalibration,
    estimate: {
      expectedConfusion: estimate.expectedConfusion,
      predictedPositive: estimate.predictedPositive,
      precision: estimate.precision,
      recall: estimate.recall,
      f1: estimate.f1,
      accuracy: estimate.accuracy,
      level: estimate.level,
      band: estimate.band,
    },
    features,
    driftedFeatures: Object.entries(stored)
      .filter(([, e]) => entryDrifted({ type: "numeric", ...e } as FeatureDriftEntry))
      .map(([f]) => f),
    labelledRows: b.labelledRows,
    realized: b.realized ? (JSON.parse(b.realized) as RealizedScores) : null,
    realizedAt: b.realizedAt?.toISOString() ?? null,
    createdAt: b.createdAt.toISOString(),
    ...periodView(b),
  };
}

/** A batch with its riskiest predictions (GET /api/batches/{id}, POST /api/batches). */
export async function batchView(db: Db, b: MonitoredBatch): Promise<z.infer<typeof BatchDetail>> {
  const riskiest = await listRiskiestBatchRows(db, { batchId: b.id, take: RISKIEST_LISTED });
  return {
    ...batchSummary(b),
    riskiest: riskiest.map((r) => ({ row: r.row, id: r.corporation, corporation: r.corporation, probability: r.probability, exited: r.predicted as 0 | 1, predicted: r.predicted as 0 | 1, label: r.exited as 0 | 1 | null })),
  };
}
export type BatchView = Awaited<ReturnType<typeof batchView>>;

export async function batchDetailView(db: Db, id: number): Promise<BatchView> {
  const b = await getMonitoredBatch(db, id);
  if (!b) throw new AppError("not_found:batch", `There is no monitored batch ${id}; GET /api/batches lists them.`);
  return batchView(db, b);
}

/** A page of batches, newest first. */
export async function batchesView(db: Db, page: PageRequest): Promise<z.infer<typeof BatchesResponse>> {
  const p = newestFirstPage(await listMonitoredBatches(db, { take: page.limit + 1, before: page.before, period: page.period }), page.limit);
  return { batches: p.items.map(batchSummary), nextCursor: p.nextCursor };
}

