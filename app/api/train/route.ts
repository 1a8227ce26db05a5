import { loadConfig } from "@/lib/config";
import { databaseUrlOf, getDb } from "@/lib/db/client";
import { apiRoute, json, noteAudit, readOptionalJson } from "@/lib/http/route";
import { runInWorker } from "@/lib/jobs/run-in-worker";
import { TrainBody, TrainResponse } from "@/lib/validations/models";

export const dynamic = "force-dynamic";

/**
 * Train on all records and score on the test data (not deployed), on a worker thread: the server
 * keeps answering. Optional body `{ "threshold": 0.3 | "max-f1" }`; no body: threshold 0.5.
 */
export const POST = apiRoute(async (request) => {
  const { threshold } = await readOptionalJson(request, TrainBody);
  const trained = await runInWorker({ kind: "train", databaseUrl: databaseUrlOf(getDb()), testData: loadConfig().TEST_DATA, threshold });
  noteAudit(request, { target: `model v${trained.model.version}`, detail: { f1: trained.model.f1 } });
  return json(TrainResponse, trained, { status: 201 });
});
