/*
 * How many deployment changes this process has seen (a deploy or rollback written from this thread,
 * or a job that finished on a worker thread, which may have deployed): the prediction path
 * (lib/prediction/deployed-model-cache.ts) asks the database for the newest deployment at most
 * every so many milliseconds, and at once after any of these. On globalThis: Next bundles each
 * route apart, and the deploying and the predicting route must see the same count.
 */

const g = globalThis as unknown as { __draDeploymentChanges?: number };

export function noteDeploymentChange(): void {
  g.__draDeploymentChanges = (g.__draDeploymentChanges ?? 0) + 1;
}

export function deploymentChanges(): number {
  return g.__draDeploymentChanges ?? 0;
}
