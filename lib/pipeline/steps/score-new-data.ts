import { recordScore } from "../../db/models";
import { scoreHistory } from "../../drift/score-history";
import { evaluate } from "../../model/evaluate";
import { modelParameters } from "../../model/stored";
import { scoreNewDataDetail, waitingName } from "../reasons";
import { filled, type PipelineStep, type RunState } from "./types";

/** The files whose rows the run scores, as its steps and reasons name them: "a.csv + b.csv (uploaded)". */
export function newFileNames(s: RunState): string {
  return s.newDatasets.map((d) => (s.waiting.includes(d) ? waitingName(d) : d.name)).join(" + ");
}

/** Score the deployed model on the new rows (Score kind "new-data" with the run id). Timed as "score". */
export const scoreNewData: PipelineStep = {
  name: "score-new-data",
  timing: "score",
  async run(ctx, s) {
    const champion = filled(s.deployed, "the deployed model").modelVersion;
    const fileNames = newFileNames(s);
    s.history = await scoreHistory(ctx.db); // before the new score is stored: it is not part of its own history
    const scores = evaluate(modelParameters(champion), filled(s.newRows, "the new rows"));
    s.newScore = await recordScore(ctx.db, {
      modelVersionId: champion.id,
      dataset: { id: s.newDatasets.length === 1 ? s.newDatasets[0].id : null, name: fileNames },
      kind: "new-data",
      runId: ctx.run.id,
      scores,
    });
    return scoreNewDataDetail(champion, scores, fileNames);
  },
};
