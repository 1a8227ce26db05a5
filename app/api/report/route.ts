import { loadConfig } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { apiRoute, json } from "@/lib/http/route";
import { ReportResponse } from "@/lib/validations/monitoring";
import { requireDeployedModel } from "@/lib/db/models";
import { generateReport, readCurrentReport } from "@/lib/report/model-report";

export const dynamic = "force-dynamic";

/**
 * The newest model report as a PDF download; 409 without a deployed model, 404 before the first
 * report (SQLite). On PostgreSQL each instance's copy is a cache, regenerated when stale.
 */
export const GET = apiRoute(async () => {
  await requireDeployedModel(getDb());
  const config = loadConfig();
  const { pdf, meta } = await readCurrentReport(getDb(), { reportDir: config.REPORT_DIR, testData: config.TEST_DATA });
  return new Response(new Uint8Array(pdf), {
    status: 200,
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="model-v${meta.modelVersion}-report.pdf"`,
      "Content-Length": String(pdf.length),
      "Cache-Control": "no-store",
      "X-Report-Generated-At": meta.generatedAt,
    },
  });
});

/** Regenerate the report for the deployed model now. */
export const POST = apiRoute(async () => {
  const config = loadConfig();
  const r = await generateReport(getDb(), { reportDir: config.REPORT_DIR, testData: config.TEST_DATA });
  return json(ReportResponse, { report: { modelVersion: r.modelVersion, generatedAt: r.generatedAt, bytes: r.bytes, url: "/api/report" } }, { status: 201 });
});
