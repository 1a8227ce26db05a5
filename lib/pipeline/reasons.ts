import type { DeploymentWithModel } from "../db/models";
import type { Dataset, ModelVersion, Score } from "../db/types";
import type { FolderIngestResult } from "../ingestion/ingest";
import type { ScoredSet } from "../model/evaluate";
import type { DriftAssessment } from "./steps/drift";
import type { GateDecision } from "./steps/gate";
import type { TestScoring } from "./steps/score";

/*
 * The words of a run: each step's detail and the run's reason, one small function each, so
 * that a reason reads as the sentence it builds. The wording is what GET /api/runs shows and
 * tests match: change it only on purpose.
 */

const f4 = (x: number) => x.toFixed(4);

// — new data —

/** How a file waiting for a check is named in steps and reasons. */
export function waitingName(d: Dataset): string {
  return d.role === "upload" ? `${d.name} (uploaded)` : `${d.name} (ingested by run ${d.ingestedByRunId}, which did not finish)`;
}

/** "; 1 uploaded file(s) to check; 1 file(s) of an earlier run that did not finish to check (a.csv …)" */
function waitingDetail(waiting: readonly Dataset[]): string {
  const uploads = waiting.filter((d) => d.role === "upload");
  const carried = waiting.filter((d) => d.role !== "upload");
  const uploadsPart = uploads.length ? `; ${uploads.length} uploaded file(s) to check` : "";
  const carriedPart = carried.length ? `; ${carried.length} file(s) of an earlier run that did not finish to check (${carried.map(waitingName).join(", ")})` : "";
  return uploadsPart + carriedPart;
}

export function noNewFilesDetail(sourceDir: string, waiting: readonly Dataset[]): string {
  return `no new files in ${sourceDir} (every CSV's sha256 is in the ledger)${waitingDetail(waiting)}`;
}

function failedFiles(failed: FolderIngestResult["failed"]): string {
  return failed.map((f) => `${f.name} (${f.message})`).join("; ");
}

export function ingestDetail(r: FolderIngestResult): string {
  const rows = r.ingested.reduce((n, i) => n + i.dataset.rowsAccepted, 0);
  const parts = r.ingested.map(
    (i) => `${i.dataset.name}: ${i.dataset.rowsAccepted} accepted of ${i.dataset.rowsRead}, ${i.dataset.duplicates} duplicate(s), ${i.dataset.rejected} rejected, ${i.dataset.imputed} imputed`,
  );
  const files = `${r.ingested.length} new file(s), ${rows} new rows${parts.length ? ` (${parts.join("; ")})` : ""}`;
  return `${files}; ${r.skipped.length} skipped; ${r.failed.length} failed${r.failed.length ? `: ${failedFiles(r.failed)}` : ""}`;
}

export function nothingNewReason(sourceDir: string, deployed: DeploymentWithModel | null): string {
  return deployed
    ? `no new data: no file in ${sourceDir} has new content and no upload is waiting; model version ${deployed.modelVersion.version} stays deployed`
    : `no new data: no file in ${sourceDir} has new content and there is no training data, so no model is deployed`;
}

export function noNewRowsReason(
  { newFiles, ingest, newDatasets }: { newFiles: readonly string[]; ingest: FolderIngestResult; newDatasets: readonly Dataset[] },
  deployed: DeploymentWithModel,
): string {
  const why =
    newDatasets.length === 0
      ? `${newFiles.length} new file(s) could not be ingested${ingest.failed.length ? `: ${failedFiles(ingest.failed)}` : ""}`
      : `${newDatasets.length} new file(s) (${newDatasets.map((d) => d.name).join(", ")}) added no new rows (all duplicates or rejected)`;
  return `no new data: ${why}; model version ${deployed.modelVersion.version} stays deployed`;
}

// — the first model —

export function firstTrainDetail(m: ModelVersion): string {
  return `first model v${m.version} trained on ${m.trainedRows} rows in ${Math.round(m.trainingMs)} ms`;
}

export function firstScoreDetail(m: ModelVersion, s: Score): string {
  return `model v${m.version}: F1 ${f4(s.f1)} on ${s.datasetName} (${s.rows} rows)`;
}

export function firstDeployDetail(m: ModelVersion): string {
  return `model v${m.version} deployed`;
}

/** Stored on the first deployment. */
export function firstDeploymentReason(s: Score): string {
  return `first model: no model was deployed (F1 ${f4(s.f1)} on ${s.datasetName})`;
}

export function firstModelReason(m: ModelVersion, s: Score): string {
  return `first model: no model was deployed, so model v${m.version} was trained on ${m.trainedRows} rows and deployed (F1 ${f4(s.f1)} on ${s.datasetName}); no drift check without a deployed model to compare`;
}

// — scoring the new rows, drift —

/** What the champion scored on the new rows: "deployed model v3 scored F1 0.7000 on 120 new rows (a.csv)". */
function newScoreFacts(champion: ModelVersion, newScore: Score, rows: number, fileNames: string): string {
  return `deployed model v${champion.version} scored F1 ${f4(newScore.f1)} on ${rows} new rows (${fileNames})`;
}

export function scoreNewDataDetail(champion: ModelVersion, s: ScoredSet, fileNames: string): string {
  return `deployed model v${champion.version} on ${s.rows} new rows (${fileNames}): F1 ${f4(s.f1)}, precision ${f4(s.precision)}, recall ${f4(s.recall)}`;
}

export function driftDetail(d: DriftAssessment): string {
  return `${d.triggered ? `drift by trigger [${d.fired.join(", ")}]` : `no drift by trigger [${d.retrainOn.join(", ")}]`}. ${d.summary}`;
}

export function noDriftReason(champion: ModelVersion, newScore: Score, rows: number, fileNames: string, d: DriftAssessment): string {
  const list = `[${d.retrainOn.join(", ")}]`;
  const cannotRun = d.retrainOn.filter((id) => d.checks[id].status === "insufficient-history");
  const why = cannotRun.length
    ? `no check of the trigger ${list} fired (${cannotRun.join(", ")} could not run yet: insufficient history)`
    : `no check of the trigger ${list} fired`;
  return `no drift: ${newScoreFacts(champion, newScore, rows, fileNames)}; ${why}, so it stays deployed. ${d.summary}`;
}

export function driftAlertMessage(champion: ModelVersion, newScore: Score, fileNames: string, d: DriftAssessment): string {
  return `Drift on new data (${fileNames}): model v${champion.version} scored F1 ${f4(newScore.f1)} and the check(s) ${d.fired.join(", ")} fired; retraining.`;
}

/** "drift: deployed model v3 scored F1 0.7000 on 120 new rows" — the deployment's reason starts so. */
function driftHeadline(champion: ModelVersion, newScore: Score, rows: number): string {
  return `drift: deployed model v${champion.version} scored F1 ${f4(newScore.f1)} on ${rows} new rows`;
}

function driftWhy(champion: ModelVersion, newScore: Score, rows: number, fileNames: string, d: DriftAssessment): string {
  return `${driftHeadline(champion, newScore, rows)} (${fileNames}) and the trigger check(s) [${d.fired.join(", ")}] fired (${d.summary})`;
}

// — the challenger —

export function challengerTrainDetail(m: ModelVersion): string {
  return `challenger model v${m.version} trained on all ${m.trainedRows} records in ${Math.round(m.trainingMs)} ms`;
}

export function testScoringDetail(s: TestScoring): string {
  return `on ${s.test.dataset.name} (${s.test.data.n} rows): champion v${s.champion.model.version} F1 ${f4(s.champion.scores.f1)}, challenger v${s.challenger.model.version} F1 ${f4(s.challenger.scores.f1)}`;
}

/** Stored on the challenger's deployment. */
export function challengerDeploymentReason(runId: number, champion: ModelVersion, newScore: Score, rows: number, gate: GateDecision): string {
  return `pipeline run ${runId}: ${driftHeadline(champion, newScore, rows)}; challenger F1 ${f4(gate.challengerF1)} ≥ champion F1 ${f4(gate.championF1)} on the test data`;
}

export function challengerDeployDetail(challenger: ModelVersion, champion: ModelVersion): string {
  return `model v${challenger.version} deployed (replaces v${champion.version})`;
}

export function gateRejectedDetail(challenger: ModelVersion, gate: GateDecision): string {
  return `gate rejected challenger v${challenger.version}: F1 ${f4(gate.challengerF1)} < champion F1 ${f4(gate.championF1)}`;
}

interface DriftFacts {
  champion: ModelVersion;
  newScore: Score;
  rows: number;
  fileNames: string;
  drift: DriftAssessment;
  challenger: ModelVersion;
  gate: GateDecision;
}

export function redeployedReason({ champion, newScore, rows, fileNames, drift, challenger, gate }: DriftFacts): string {
  return `${driftWhy(champion, newScore, rows, fileNames, drift)} → retrained challenger v${challenger.version}; ${gate.summary}. Deployed v${challenger.version}.`;
}

export function gateRejectedReason({ champion, newScore, rows, fileNames, drift, challenger, gate }: DriftFacts): string {
  return `${driftWhy(champion, newScore, rows, fileNames, drift)} → retrained challenger v${challenger.version}; ${gate.summary}. Kept v${champion.version}; challenger v${challenger.version} stays undeployed (deploy it by hand with POST /api/deploy if wanted).`;
}

// — failures —

export function failedReason(failedAt: string, message: string): string {
  return `failed at step ${failedAt}: ${message}`;
}

export function failedAlertMessage(runId: number, trigger: string, failedAt: string, message: string): string {
  return `Pipeline run ${runId} (${trigger}) failed at step ${failedAt}: ${message}`;
}

export function deadRunAlertMessage(dead: { id: number; trigger: string; error: string | null }): string {
  return `Pipeline run ${dead.id} (${dead.trigger}) stopped without finishing: ${dead.error ?? "its lock expired"}`;
}
