import fs from "node:fs";
import path from "node:path";
import { getCurrentDeployment } from "../../db/models";
import { generateReport, reportDirPath } from "../../report/model-report";
import { filled, type PipelineStep, type RunContext } from "./types";

/** The model report of the deployed model, with the run's decision. */
export const report: PipelineStep = {
  name: "report",
  async run(ctx, s) {
    const r = await generateReport(ctx.db, { reportDir: ctx.config.REPORT_DIR, testData: ctx.config.TEST_DATA, runId: ctx.run.id, decision: filled(s.decision, "the run's decision") });
    const shown = path.relative(/*turbopackIgnore: true*/ process.cwd(), r.path);
    return `model report for v${r.modelVersion} written to ${shown.startsWith("..") ? r.path : shown} (${r.bytes} bytes)`;
  },
};

/** A run with nothing new still leaves a report behind if there is none yet (first run on an existing database). */
export async function ensureReportExists({ db, config, run }: RunContext): Promise<void> {
  if (fs.existsSync(path.join(reportDirPath(config.REPORT_DIR), "model-report.pdf"))) return;
  if (!(await getCurrentDeployment(db))) return;
  await generateReport(db, { reportDir: config.REPORT_DIR, testData: config.TEST_DATA, runId: run.id }).catch((e) =>
    console.warn("[pipeline] could not write the model report:", (e as Error).message),
  );
}
