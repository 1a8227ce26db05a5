import type { Db } from "../db/client";
import { getCurrentDeployment } from "../db/models";
import { countRecords } from "../db/datasets";
import { ingestFolder, type FolderIngestResult } from "../ingestion/ingest";
import { deployStep, scoreStep, trainStep, type StepContext } from "./steps";

export interface BootstrapResult {
  ingest: FolderIngestResult;
  deployed: { modelVersion: number; f1: number } | null;
  message: string;
}

/**
 * Make sure there is a deployed model if there is anything to train on: ingest what is new in
 * the source folder and, when no model is deployed yet, train, score and deploy the first one.
 * With an empty source folder this leaves the database without a model and says so.
 */
export async function ensureDeployedModel(
  ctx: StepContext,
  { sourceDir, testData }: { sourceDir: string; testData: string },
): Promise<BootstrapResult> {
  const ingest = await ingestFolder(ctx.db, sourceDir, { exclude: [testData] });
  const current = await getCurrentDeployment(ctx.db);
  if (current) {
    return { ingest, deployed: null, message: `model version ${current.modelVersion.version} is deployed` };
  }
  if ((await countRecords(ctx.db)) === 0) {
    return { ingest, deployed: null, message: `no training data in ${sourceDir}: no model is deployed` };
  }
  return deployFirstModel(ctx, testData, ingest);
}

export async function deployFirstModel(ctx: StepContext, testData: string, ingest: FolderIngestResult): Promise<BootstrapResult> {
  const model = await trainStep(ctx);
  const score = await scoreStep(ctx, model, testData);
  await deployStep(ctx, model.id, `first model: no model was deployed (F1 ${score.f1.toFixed(3)} on ${score.datasetName})`);
  return {
    ingest,
    deployed: { modelVersion: model.version, f1: score.f1 },
    message: `trained and deployed model version ${model.version} (F1 ${score.f1.toFixed(4)})`,
  };
}

export function isDbEmpty(db: Db): Promise<boolean> {
  return countRecords(db).then((n) => n === 0);
}
