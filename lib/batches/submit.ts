import type { Config } from "../config";
import { databaseUrlOf, type Db } from "../db/client";
import { currentSchema } from "../db/stored-schema";
import { runInWorker } from "../jobs/run-in-worker";
import { rowsFromCsv, type PredictionInputRow } from "../prediction/predict";
import { monitorBatch } from "./monitor";

/**
 * Above these sizes a batch is parsed, scored, estimated and stored on a worker thread
 * (lib/jobs), so the server keeps answering: about 0.5 s of work per 100,000 rows otherwise
 * blocks its event loop. Smaller batches are done in the request's thread (a worker costs more
 * to start than they take).
 */
export const IN_THREAD_BATCH_BYTES = 1024 * 1024;
const IN_THREAD_BATCH_ROWS = 20_000;

type BatchInput = { name: string; sha256: string } & ({ csv: Buffer; rows?: undefined } | { rows: PredictionInputRow[]; csv?: undefined });

/** Store a monitored batch from an uploaded CSV or JSON rows (POST /api/batches). */
export async function submitBatch(db: Db, config: Pick<Config, "TEST_DATA">, input: BatchInput): ReturnType<typeof monitorBatch> {
  const large = input.csv ? input.csv.length > IN_THREAD_BATCH_BYTES : input.rows.length > IN_THREAD_BATCH_ROWS;
  if (large) {
    return runInWorker({ kind: "batch", databaseUrl: databaseUrlOf(db), testData: config.TEST_DATA, name: input.name, sha256: input.sha256, csv: input.csv, rows: input.rows });
  }
  return monitorBatch(db, config, { name: input.name, sha256: input.sha256, rows: input.csv ? rowsFromCsv(input.csv, await currentSchema(db)) : input.rows });
}
