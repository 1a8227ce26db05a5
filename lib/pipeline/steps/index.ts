import { deployChallenger, deployFirst } from "./deploy";
import { diagnostics } from "./diagnostics";
import { drift } from "./drift";
import { gate } from "./gate";
import { ingest } from "./ingest";
import { report } from "./report";
import { scoreBoth, scoreFirst } from "./score";
import { scoreNewData } from "./score-new-data";
import { trainChallenger, trainFirst } from "./train";
import type { PipelineStep } from "./types";

/*
 * The steps of the full process (DESIGN.md "The loop"), one file each, in the order a run takes
 * them. A run follows one list until a step decides its outcome, then the closing steps.
 */

/** No model is deployed yet: ingest, then train, score and deploy the first one. */
export const FIRST_MODEL_STEPS: readonly PipelineStep[] = [ingest, trainFirst, scoreFirst, deployFirst];

/** A model is deployed: ingest, score it on the new rows, check drift; on drift retrain, score both, gate, deploy. */
export const MONITORING_STEPS: readonly PipelineStep[] = [ingest, scoreNewData, drift, trainChallenger, scoreBoth, gate, deployChallenger];

/** After the outcome (unless there was nothing new): diagnostics and the report. */
export const CLOSING_STEPS: readonly PipelineStep[] = [diagnostics, report];

// The steps as POST /api/train, /api/deploy and `npm run pipeline -- train | score | deploy` run them alone.
export { trainStep } from "./train";
export { scoreStep } from "./score";
export { deployStep } from "./deploy";
export type { StepContext } from "./types";
