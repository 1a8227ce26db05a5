import type { Db } from "../db/client";
import { getLatestDeploymentId } from "../db/deployments";
import type { ModelParameters } from "../model/logistic";
import { requireDeployedModel } from "../db/models";
import { modelParameters } from "../model/stored";

/*
 * The deployed model, parsed once and held in memory per database client (one per URL per
 * process). Each request asks the database one cheap question — the newest Deployment id — and
 * reloads only when it differs from the cached one, so a deploy or rollback made by any
 * process (the CLI, a pipeline run, another server) is used from the next request on. On
 * globalThis: Next bundles each route apart, and module state would not be shared.
 */

export interface DeployedModel {
  deploymentId: number;
  modelVersionId: number;
  modelVersion: number;
  model: ModelParameters;
}

const g = globalThis as unknown as { __draDeployedModels?: WeakMap<Db, DeployedModel> };

function cache(): WeakMap<Db, DeployedModel> {
  return (g.__draDeployedModels ??= new WeakMap());
}

/**
 * The live model version. One indexed query when nothing changed; one more (the deployment
 * with its model version) after a deploy or rollback. 409 `conflict:no_deployed_model` when
 * nothing is deployed.
 */
export async function getDeployedModel(db: Db): Promise<DeployedModel> {
  const latestId = await getLatestDeploymentId(db);
  const cached = cache().get(db);
  if (cached && latestId !== null && cached.deploymentId === latestId) return cached;
  const d = await requireDeployedModel(db);
  const loaded: DeployedModel = { deploymentId: d.id, modelVersionId: d.modelVersion.id, modelVersion: d.modelVersion.version, model: modelParameters(d.modelVersion) };
  // Concurrent reloads may finish out of order: never replace a newer deployment by an older one.
  const now = cache().get(db);
  if (!now || now.deploymentId <= loaded.deploymentId) cache().set(db, loaded);
  return loaded;
}
