import type { Db } from "../db/client";
import { deploymentChanges } from "../db/deployment-changes";
import { getLatestDeploymentId } from "../db/deployments";
import type { ModelParameters } from "../model/logistic";
import { requireDeployedModel } from "../db/models";
import { modelParameters } from "../model/stored";

/*
 * The deployed model, parsed once and held in memory per database client (one per URL per
 * process). The newest Deployment id is read from the database at most every
 * DEPLOYMENT_CHECK_MS, and at once after a deploy or rollback written by this process or a job
 * that finished on a worker thread (lib/db/deployment-changes.ts); the model is reloaded only
 * when that id differs from the cached one. So a deploy or rollback made here is used from the
 * next request on, and one made by any other process (the CLI, another server) within
 * DEPLOYMENT_CHECK_MS. On globalThis: Next bundles each route apart, and module state would not
 * be shared.
 */

/** How old the last look at the newest deployment may be (a query per request was 6 % of a 1-row prediction's CPU). */
const DEPLOYMENT_CHECK_MS = 100;

export interface DeployedModel {
  deploymentId: number;
  modelVersionId: number;
  modelVersion: number;
  model: ModelParameters;
}

interface Cached {
  deployed: DeployedModel;
  /** performance.now() of the last look at the newest deployment id */
  checkedAt: number;
  /** deploymentChanges() at that look */
  changes: number;
}

const g = globalThis as unknown as { __draDeployedModels?: WeakMap<Db, Cached> };

function cache(): WeakMap<Db, Cached> {
  return (g.__draDeployedModels ??= new WeakMap());
}

/**
 * The live model version: from memory while the last look is recent and nothing changed here;
 * else one indexed query, and one more (the deployment with its model version) after a deploy or
 * rollback. 409 `conflict:no_deployed_model` when nothing is deployed.
 */
export async function getDeployedModel(db: Db): Promise<DeployedModel> {
  const cached = cache().get(db);
  const now = performance.now();
  const changes = deploymentChanges();
  if (cached && cached.changes === changes && now - cached.checkedAt < DEPLOYMENT_CHECK_MS) return cached.deployed;
  const latestId = await getLatestDeploymentId(db);
  if (cached && latestId !== null && cached.deployed.deploymentId === latestId) {
    if (now >= cached.checkedAt) Object.assign(cached, { checkedAt: now, changes });
    return cached.deployed;
  }
  const d = await requireDeployedModel(db);
  const loaded: DeployedModel = { deploymentId: d.id, modelVersionId: d.modelVersion.id, modelVersion: d.modelVersion.version, model: modelParameters(d.modelVersion) };
  // Concurrent reloads may finish out of order: never replace a newer deployment by an older one.
  const current = cache().get(db);
  if (!current || current.deployed.deploymentId <= loaded.deploymentId) cache().set(db, { deployed: loaded, checkedAt: now, changes });
  return loaded;
}
