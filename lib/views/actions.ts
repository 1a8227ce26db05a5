import type { Config } from "../config";
import type { Db } from "../db/client";
import { countRecords, findTrainingDatasetBySha } from "../db/datasets";
import type { ModelVersion } from "../db/generated/client";
import { rollbackDeployment, type DeploymentWithModel } from "../db/models";
import { recordTiming } from "../db/timings";
import { AppError, isAppError, type ErrorDetail } from "../errors";
import { ingestFile, sha256, validateCsv } from "../ingestion/ingest";
import { checkTrainable } from "../model/logistic";
import { deployStep, loadTestData, requireModelVersion, scoreStep, trainStep, type ThresholdChoice } from "../pipeline/steps";
import { datasetEntry, modelEntry } from "./core";

/*
 * The act routes of API.md (ingest, train, deploy, rollback) as lib calls that take validated
 * input and return the documented shapes. Every precondition is checked before the first
 * write, so a refused request leaves the database as it was.
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
export async function ingestUploads(db: Db, files: readonly UploadedCsv[]) {
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
      await validateCsv({ content: f.content });
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
    const start = performance.now();
    results.push(await ingest());
    await recordTiming(db, { step: "ingest", ms: performance.now() - start, source: "api" });
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

/**
 * Train a model version on every training record and score it on the test data (not deployed).
 * 409 with no records or no test data; 422 when the records cannot train a model.
 */
export async function trainAndScore(db: Db, config: Pick<Config, "TEST_DATA">, { threshold }: { threshold?: ThresholdChoice } = {}) {
  const rows = await countRecords(db);
  if (rows === 0) {
    throw new AppError("conflict:no_training_data", "There are no training records yet. Upload labelled CSVs with POST /api/ingest first.");
  }
  // The model's own rules, checked here before anything is written (a failed training step records its timing).
  checkTrainable(rows, await countRecords(db, { exited: 1 }));
  const test = await loadTestData(db, config.TEST_DATA);
  if (threshold === "max-f1" && !test.rows.some((r) => r.exited === 1)) {
    throw new AppError(
      "unprocessable:threshold",
      `The test data (${test.dataset.name}) has no client with exited=1, so no threshold maximises F1 on it; send a number in (0, 1) instead of "max-f1".`,
    );
  }
  const ctx = { db, trigger: "api" };
  const model = await trainStep(ctx, { threshold, testPath: config.TEST_DATA });
  const score = await scoreStep(ctx, model, config.TEST_DATA);
  return {
    model: {
      ...modelEntry(model, { f1: score.f1, deployed: false, testScore: score }),
      f1: score.f1,
      precision: score.precision,
      recall: score.recall,
      accuracy: score.accuracy,
      scoredOn: { id: score.datasetId ?? 0, name: score.datasetName },
    },
  };
}

export function deploymentEntry(d: DeploymentWithModel) {
  return {
    id: d.id,
    modelVersion: d.modelVersion.version,
    modelVersionId: d.modelVersionId,
    previousModelVersionId: d.previousModelVersionId,
    deployedAt: d.deployedAt.toISOString(),
    reason: d.reason,
    trigger: d.trigger,
  };
}

/** Deploy a model version (404 for an unknown id). */
export async function deployModel(db: Db, { modelVersionId, reason }: { modelVersionId: number; reason?: string }) {
  const model: ModelVersion = await requireModelVersion(db, modelVersionId);
  const d = await deployStep({ db, trigger: "api" }, model.id, reason ?? `version ${model.version} deployed through the API`);
  return { deployment: deploymentEntry(d) };
}

/** Deploy again the previously deployed version (409 when there is none). */
export async function rollbackModel(db: Db, { reason }: { reason?: string }) {
  const start = performance.now();
  const d = await rollbackDeployment(db, { reason, trigger: "api" });
  await recordTiming(db, { step: "deploy", ms: performance.now() - start, source: "api" });
  return { deployment: deploymentEntry(d) };
}
