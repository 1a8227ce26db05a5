import type { Db } from "../db/client";
import { getCurrentDeployment } from "../db/models";
import { countRecords } from "../db/datasets";
import { findNewFiles, ingestFolder, type FolderIngestResult } from "../ingestion/ingest";
import type { FullConfig, RunView } from "./full";
import { replayFiles } from "./replay";
import { deployStep, scoreStep, trainStep, type StepContext } from "./steps";

export interface SeedResult {
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
): Promise<SeedResult> {
  const ingest = await ingestFolder(ctx.db, sourceDir, { exclude: [testData] });
  const current = await getCurrentDeployment(ctx.db);
  if (current) {
    return { ingest, deployed: null, message: `model version ${current.modelVersion.version} is deployed` };
  }
  if ((await countRecords(ctx.db)).rows === 0) {
    return { ingest, deployed: null, message: `no training data in ${sourceDir}: no model is deployed` };
  }
  return deployFirstModel(ctx, testData, ingest);
}

export async function deployFirstModel(ctx: StepContext, testData: string, ingest: FolderIngestResult): Promise<SeedResult> {
  const model = await trainStep(ctx);
  const score = await scoreStep(ctx, model, testData);
  await deployStep(ctx, model.id, `first model: no model was deployed (F1 ${score.f1.toFixed(3)} on ${score.datasetName})`);
  return {
    ingest,
    deployed: { modelVersion: model.version, f1: score.f1 },
    message: `trained and deployed model version ${model.version} (F1 ${score.f1.toFixed(4)})`,
  };
}

function isDbEmpty(db: Db): Promise<boolean> {
  return countRecords(db).then((n) => n.rows === 0);
}

export interface FirstStartResult {
  /** the months replayed (empty database), one full-process run each */
  replayed: { file: string; run: RunView }[];
  /** otherwise: what ensureDeployedModel did */
  seeded: SeedResult | null;
  message: string;
}

/**
 * `npm start`'s preparation. On a database with no training data yet, the source folder is
 * replayed through the full process one file per run, in name order (the demo data is a
 * sequence of months), so the dashboard opens on real history: F1 scores with their band and
 * fence, drift checks, retrains and gate decisions, versions and a deployment timeline. On a
 * database that has data, what is new is ingested and a first model deployed if none is.
 */
export async function prepareFirstStart(
  db: Db,
  config: FullConfig,
  onRun?: (file: string, run: RunView) => void,
): Promise<FirstStartResult> {
  const toReplay = (await isDbEmpty(db)) ? await findNewFiles(db, config.SOURCE_DIR, { exclude: [config.TEST_DATA] }) : [];
  if (toReplay.length > 1) {
    const replayed = await replayFiles({ db, trigger: "first-start" }, config, toReplay, { dependencies: "skip" }, onRun);
    const last = replayed.at(-1);
    const deployed = await getCurrentDeployment(db);
    return {
      replayed,
      seeded: null,
      message: `replayed ${replayed.length} file(s) of ${config.SOURCE_DIR} through the full process (${replayed.map((r) => r.run.outcome ?? r.run.status).join(", ")})${last && last.run.status !== "succeeded" ? `; stopped at ${last.file}: ${last.run.error ?? last.run.status}` : ""}; ${deployed ? `model version ${deployed.modelVersion.version} is deployed` : "no model is deployed"}`,
    };
  }
  const seeded = await ensureDeployedModel({ db, trigger: "first-start" }, { sourceDir: config.SOURCE_DIR, testData: config.TEST_DATA });
  return { replayed: [], seeded, message: seeded.message };
}
