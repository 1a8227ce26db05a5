import { batchesView, sha256OfRows } from "@/lib/batches/monitor";
import { submitBatch } from "@/lib/batches/submit";
import { loadConfig } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { sha256 } from "@/lib/ingestion/ingest";
import { isMultipart, megabytes, readUploadedFiles } from "@/lib/http/multipart";
import { apiRoute, isJson, json, readJson, readQuery } from "@/lib/http/route";
import { currentSchema } from "@/lib/db/stored-schema";
import { rowsFromJson } from "@/lib/prediction/predict";
import { BatchCreatedResponse, BatchesQuery, BatchesResponse, batchJsonBody } from "@/lib/validations/batches";
import { pageRequest } from "@/lib/validations/pagination";

export const dynamic = "force-dynamic";

/** Monitored batches, newest first, a page at a time (`limit`, `before`, `nextCursor`). */
export const GET = apiRoute(async (request) => json(BatchesResponse, await batchesView(getDb(), pageRequest(readQuery(request, BatchesQuery)))));

/**
 * A batch of clients without labels (multipart CSV in `file`, or JSON `{ rows, name? }`), scored by
 * the deployed model and stored with its estimated performance and feature drift: 201 with the
 * batch; the same content with the same model again: 200 with the stored one (`alreadyMonitored`).
 * A large batch is done on a worker thread (lib/batches/submit.ts).
 */
export const POST = apiRoute(async (request) => {
  const config = loadConfig();
  const maxBytes = megabytes(config.MAX_UPLOAD_MB);
  let input: Parameters<typeof submitBatch>[2];
  if (isMultipart(request)) {
    const files = await readUploadedFiles(request, { field: "file", maxBytes });
    if (files.length > 1) throw new AppError("unprocessable:upload", `Send one CSV per batch (got ${files.length} files).`);
    input = { name: files[0].name, sha256: sha256(files[0].content), csv: files[0].content };
  } else if (isJson(request)) {
    const schema = await currentSchema(getDb());
    const body = await readJson(request, batchJsonBody(schema), { maxBytes });
    const rows = rowsFromJson(body.rows, schema);
    input = { name: body.name ?? `batch-${new Date().toISOString()}`, sha256: sha256OfRows(rows), rows };
  } else {
    throw new AppError(
      "unsupported_media_type:body",
      `Send JSON { "rows": [...] } with Content-Type: application/json, or a CSV as multipart/form-data in the field "file" (got "${request.headers.get("content-type") || "none"}").`,
    );
  }
  const { batch, alreadyMonitored } = await submitBatch(getDb(), config, input);
  return json(BatchCreatedResponse, { batch, alreadyMonitored }, { status: alreadyMonitored ? 200 : 201, headers: { location: `/api/batches/${batch.id}` } });
});
