import { currentSchema } from "../db/stored-schema";
import type { Db } from "../db/client";
import { findTrainingDatasetBySha } from "../db/datasets";
import { AppError, isAppError, type ErrorDetail } from "../errors";
import { timeStep } from "../diagnostics/time-step";
import { ingestFile, sha256, validateCsv } from "../ingestion/ingest";
import { datasetEntry } from "../reads/core";
import type { z } from "zod";
import type { IngestResponse } from "../validations/ingest";

/*
 * POST /api/ingest as a lib call: validated uploads in, the documented shape out. Every file is
 * checked before the first write, so a refused request leaves the database as it was.
 */

/** The error of an upload with unusable files: nothing of it is ingested. */
function refusal(failures: { file: string; error: AppError }[], fileCount: number): AppError {
  const first = failures[0].error;
  const details: ErrorDetail[] = failures.flatMap(({ file, error }) =>
    error.details?.length ? error.details.map((d) => ({ file, ...d })) : [{ file, problem: error.message }],
  );
  const message =
    fileCount === 1
      ? `${failures[0].file}: ${first.message}`
      : `${failures.length} of ${fileCount} files cannot be ingested, so none was: ${failures.map((f) => `${f.file}: ${f.error.message}`).join(" | ")}`;
  return new AppError(first.code, message, details);
}

export interface UploadedCsv {
  name: string;
  content: Buffer;
}

/**
 * Ingest uploaded CSVs into the training set. Every file is validated first; if any cannot be
 * used at all (empty, missing columns, not CSV), the whole request is refused and nothing is
 * written. Files already ingested (same sha256) come back with `alreadyIngested: true`.
 */
export async function ingestUploads(db: Db, files: readonly UploadedCsv[]): Promise<{ created: boolean; body: z.infer<typeof IngestResponse> }> {
  const failures: { file: string; error: AppError }[] = [];
  const known = new Set<number>();
  for (const [i, f] of files.entries()) {
    if (await findTrainingDatasetBySha(db, sha256(f.content))) {
      known.add(i);
      continue;
    }
    // One file needs no separate check: its ingestion is one transaction that writes nothing when the file is unusable.
    if (files.length === 1) continue;
    try {
      await validateCsv({ content: f.content }, await currentSchema(db));
    } catch (e) {
      if (!isAppError(e)) throw e;
      failures.push({ file: f.name, error: e });
    }
  }
  if (failures.length > 0) throw refusal(failures, files.length);

  const results = [];
  for (const [i, f] of files.entries()) {
    // The same content uploaded concurrently comes back as alreadyIngested: ingestFile checks the
    // ledger again inside its write transaction.
    const ingest = async () => {
      try {
        return await ingestFile(db, { name: f.name, content: f.content, role: "upload" });
      } catch (e) {
        if (isAppError(e) && files.length === 1) throw refusal([{ file: f.name, error: e }], 1);
        throw e;
      }
    };
    // A file already in the ledger is a lookup, not an ingestion: no timing is recorded for it; nor
    // for a refused file (a refused request changes nothing).
    if (known.has(i)) {
      results.push(await ingest());
      continue;
    }
    results.push((await timeStep(db, "ingest", ingest, { source: "api", recordFailures: false })).value);
  }
  const datasets = results.map((r) => ({
    ...datasetEntry(r.dataset),
    alreadyIngested: r.alreadyIngested,
    problems: r.problems,
  }));
  return {
    created: results.some((r) => !r.alreadyIngested),
    body: {
      datasets,
      details: datasets.flatMap((d) => d.problems.map((p) => ({ file: d.name, ...p }))),
    },
  };
}

