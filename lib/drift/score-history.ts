import type { Db } from "../db/client";
import { listScoreHistoryInputs, type DeploymentEvent, type ScoreWithVersion } from "../db/drift";

/**
 * The score history the drift checks read (DESIGN.md: "the F1 scores recorded for the
 * deployed model(s), oldest first"). Precisely, one entry per:
 *
 * 1. deployment (Deployment rows, including rollbacks): the deployed model's F1 on the test
 *    data as recorded when it went live — its newest `kind = "test"` Score created at or
 *    before the deployment (if it was only scored afterwards, its first test score). Dated
 *    at the deployment;
 * 2. pipeline run that scored the deployed model on newly ingested rows: that `kind =
 *    "new-data"` Score (it has a runId). Dated at its creation.
 *
 * Everything else is left out on purpose: test scores of models never deployed
 * (challengers that lost the gate), re-scorings of a model on the test data after it went
 * live (the same number again, which would shrink the SD and IQR artificially), and
 * uploads scored through POST /api/prediction (not the monitored stream).
 *
 * `deployedScore` — the threshold of the `latest` check — is entry 1 of the current
 * (newest) deployment: "the deployed model's recorded score".
 */
export interface ScoreHistoryEntry {
  scoreId: number;
  f1: number;
  modelVersion: number;
  modelVersionId: number;
  source: "deployment" | "new-data";
  /** deployment id for source "deployment", run id for "new-data" */
  refId: number;
  at: Date;
}

export interface ScoreHistory {
  entries: ScoreHistoryEntry[];
  deployedScore: ScoreHistoryEntry | null;
}

function buildScoreHistory(deployments: readonly DeploymentEvent[], scores: readonly ScoreWithVersion[]): ScoreHistory {
  const testScores = new Map<number, ScoreWithVersion[]>();
  for (const s of scores) {
    if (s.kind !== "test") continue;
    const list = testScores.get(s.modelVersionId) ?? [];
    list.push(s);
    testScores.set(s.modelVersionId, list);
  }
  const entries: ScoreHistoryEntry[] = [];
  let deployedScore: ScoreHistoryEntry | null = null;
  for (const d of deployments) {
    const list = (testScores.get(d.modelVersionId) ?? []).slice().sort((a, b) => a.id - b.id);
    const before = list.filter((s) => s.createdAt.getTime() <= d.deployedAt.getTime());
    const s = before.length > 0 ? before[before.length - 1] : list[0];
    if (!s) {
      deployedScore = null;
      continue;
    }
    const entry: ScoreHistoryEntry = {
      scoreId: s.id,
      f1: s.f1,
      modelVersion: d.version,
      modelVersionId: d.modelVersionId,
      source: "deployment",
      refId: d.id,
      at: d.deployedAt,
    };
    entries.push(entry);
    deployedScore = entry;
  }
  for (const s of scores) {
    if (s.kind !== "new-data" || s.runId === null) continue;
    entries.push({
      scoreId: s.id,
      f1: s.f1,
      modelVersion: s.modelVersion.version,
      modelVersionId: s.modelVersionId,
      source: "new-data",
      refId: s.runId,
      at: s.createdAt,
    });
  }
  // Oldest first; a deployment and a score in the same millisecond keep the deployment first.
  entries.sort((a, b) => a.at.getTime() - b.at.getTime() || (a.source === b.source ? a.scoreId - b.scoreId : a.source === "deployment" ? -1 : 1));
  return { entries, deployedScore };
}

/** The score history as stored now. */
export async function scoreHistory(db: Db): Promise<ScoreHistory> {
  const { deployments, scores } = await listScoreHistoryInputs(db);
  return buildScoreHistory(deployments, scores);
}
