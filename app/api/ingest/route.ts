import { loadConfig } from "@/lib/config";
import { databaseUrlOf, getDb } from "@/lib/db/client";
import { megabytes, readUploadedFiles } from "@/lib/http/multipart";
import { apiRoute, json } from "@/lib/http/route";
import { IngestResponse } from "@/lib/validations/ingest";
import { runInWorker } from "@/lib/jobs/run-in-worker";

export const dynamic = "force-dynamic";

/** Multipart upload of one or more labelled CSVs in the field `file`, ingested on a worker thread. */
export const POST = apiRoute(async (request) => {
  const files = await readUploadedFiles(request, { field: "file", maxBytes: megabytes(loadConfig().MAX_UPLOAD_MB) });
  const { created, body } = await runInWorker({ kind: "ingest", databaseUrl: databaseUrlOf(getDb()), files });
  return json(IngestResponse, body, { status: created ? 201 : 200 });
});
