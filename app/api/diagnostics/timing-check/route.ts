import { loadConfig } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { runTimingCheck } from "@/lib/diagnostics/timing-check";
import { apiRoute, json, readOptionalJson } from "@/lib/http/route";
import { TimingCheckBody, TimingCheckResponse } from "@/lib/validations/monitoring";

export const dynamic = "force-dynamic";

/** Time ingestion and training `iterations` times on a copy of the source data; records the means. */
export const POST = apiRoute(async (request) => {
  const { iterations } = await readOptionalJson(request, TimingCheckBody);
  const config = loadConfig();
  const result = await runTimingCheck(getDb(), { sourceDir: config.SOURCE_DIR, testData: config.TEST_DATA, iterations });
  return json(TimingCheckResponse, { timingCheck: result });
});
