import type { Db } from "../db/client";

/*
 * A long history written in bulk (createMany), for the pagination tests and
 * scripts/bench-lists.ts: what years of runs would leave behind, in a second.
 */

export interface HistorySize {
  models: number;
  datasets: number;
  runs: number;
  /** spread over the models; every fifth one a test-data score, the rest new-data scores */
  scores: number;
  driftChecks: number;
  /** every third one still open (not acknowledged) */
  alerts: number;
  /** spread over the datasets */
  rejectedRows: number;
}

const CHUNK = 2000;

async function inChunks<T>(rows: T[], write: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await write(rows.slice(i, i + CHUNK));
}

/** Write `size` rows of history into an empty database; timestamps one minute apart, oldest first. */
export async function seedHistory(db: Db, size: HistorySize): Promise<void> {
  const start = Date.UTC(2026, 0, 1);
  const at = (i: number) => new Date(start + i * 60_000);
  const modelIds = await seedModels(db, size.models, at);
  const datasetIds = await seedDatasets(db, size.datasets, at);
  await seedRuns(db, size.runs, at);
  await seedScores(db, size.scores, at, modelIds);
  await seedDriftChecks(db, size.driftChecks, at, modelIds);
  await seedAlerts(db, size.alerts, at);
  await seedRejectedRows(db, size.rejectedRows, at, datasetIds);
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

async function seedModels(db: Db, n: number, at: (i: number) => Date): Promise<number[]> {
  await inChunks(
    range(n).map((i) => ({
      version: i + 1,
      algorithm: "logistic-regression",
      hyperParameters: "{}",
      weights: JSON.stringify({ intercept: 0, coefficients: {} }),
      scaler: "{}",
      trainedRows: 1000 + i,
      maxRecordId: 0,
      trainingMs: 10,
      createdAt: at(i),
    })),
    (data) => db.modelVersion.createMany({ data }),
  );
  return (await db.modelVersion.findMany({ select: { id: true }, orderBy: { id: "asc" } })).map((m) => m.id);
}

async function seedDatasets(db: Db, n: number, at: (i: number) => Date): Promise<number[]> {
  await inChunks(
    range(n).map((i) => ({
      name: `batch${i + 1}.csv`,
      sha256: i.toString(16).padStart(64, "0"),
      role: "source",
      rowsRead: 100,
      rowsAccepted: 95,
      duplicates: 3,
      rejected: 2,
      imputed: 1,
      ingestedAt: at(i),
    })),
    (data) => db.dataset.createMany({ data }),
  );
  return (await db.dataset.findMany({ select: { id: true }, orderBy: { id: "asc" } })).map((d) => d.id);
}

async function seedRuns(db: Db, n: number, at: (i: number) => Date): Promise<void> {
  const steps = JSON.stringify([{ name: "ingest", status: "succeeded", ms: 12, detail: "no new files" }]);
  await inChunks(
    range(n).map((i) => ({
      trigger: "schedule",
      status: "succeeded",
      outcome: "no-new-data",
      steps,
      reason: "no new data",
      startedAt: at(i),
      finishedAt: at(i),
    })),
    (data) => db.pipelineRun.createMany({ data }),
  );
}

async function seedScores(db: Db, n: number, at: (i: number) => Date, modelIds: number[]): Promise<void> {
  await inChunks(
    range(n).map((i) => ({
      modelVersionId: modelIds[i % modelIds.length],
      datasetId: null,
      datasetName: i % 5 === 0 ? "testdata.csv" : `batch${i}.csv`,
      kind: i % 5 === 0 ? "test" : "new-data",
      runId: i % 5 === 0 ? null : i + 1,
      rows: 100,
      f1: (i % 1000) / 1000,
      precision: 0.5,
      recall: 0.5,
      accuracy: 0.5,
      tp: 10,
      fp: 10,
      tn: 70,
      fn: 10,
      createdAt: at(i),
    })),
    (data) => db.score.createMany({ data }),
  );
}

async function seedDriftChecks(db: Db, n: number, at: (i: number) => Date, modelIds: number[]): Promise<void> {
  const score = JSON.stringify({ latest: { drifted: false, threshold: 0.5, status: "ok", inputs: {} } });
  const features = JSON.stringify({
    lastmonth_activity: {
      ks: { statistic: 0.1, pValue: 0.5, threshold: 0.05, drifted: false },
      psi: { score: 0.01, threshold: 0.2, drifted: false },
      referenceSize: 1000,
      currentSize: 100,
    },
  });
  await inChunks(
    range(n).map((i) => ({
      runId: i + 1,
      modelVersionId: modelIds[i % modelIds.length],
      newScore: 0.6,
      score,
      features,
      triggered: false,
      createdAt: at(i),
    })),
    (data) => db.driftCheck.createMany({ data }),
  );
}

async function seedAlerts(db: Db, n: number, at: (i: number) => Date): Promise<void> {
  await inChunks(
    range(n).map((i) => ({ kind: "drift", message: `alert ${i + 1}`, runId: i + 1, acknowledged: i % 3 !== 0, createdAt: at(i) })),
    (data) => db.alert.createMany({ data }),
  );
}

async function seedRejectedRows(db: Db, n: number, at: (i: number) => Date, datasetIds: number[]): Promise<void> {
  await inChunks(
    range(n).map((i) => ({
      datasetId: datasetIds[i % datasetIds.length],
      rowNumber: i + 2,
      column: "exited",
      problem: "must be 0 or 1",
      raw: JSON.stringify({ corporation: `c${i}`, exited: "7" }),
      createdAt: at(i),
    })),
    (data) => db.rejectedRow.createMany({ data }),
  );
}
