import { loadConfig } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { isMultipart, megabytes, readUploadedFiles } from "@/lib/http/multipart";
import { apiRoute, isJson, readJson, readQuery } from "@/lib/http/route";
import { currentSchema } from "@/lib/db/stored-schema";
import { predictionAnswer, rowsFromCsv, rowsFromJson, type PredictionInputRow } from "@/lib/prediction/predict";
import { PredictionQuery, predictionJsonBody } from "@/lib/validations/prediction";

export const dynamic = "force-dynamic";

/**
 * JSON `{ rows }` or a multipart CSV upload in the field `file`; never a server path. `?explain=1`
 * adds each client's feature contributions to its prediction. The server
 * time (body read to response serialised) is recorded in memory and sent as `Server-Timing`.
 * `npm start`'s server answers the plain JSON request (no query) without this handler, from
 * Node's own request (lib/prediction/node-route.ts); this one serves every other form.
 */
export const POST = apiRoute(async (request) => {
  const startedAt = performance.now();
  const { explain } = readQuery(request, PredictionQuery);
  const maxBytes = megabytes(loadConfig().MAX_UPLOAD_MB);
  const db = getDb();
  const schema = await currentSchema(db);
  let rows: PredictionInputRow[];
  if (isMultipart(request)) {
    const files = await readUploadedFiles(request, { field: "file", maxBytes });
    if (files.length > 1) throw new AppError("unprocessable:upload", `Send one CSV per prediction request (got ${files.length} files).`);
    rows = rowsFromCsv(files[0].content, schema);
  } else if (isJson(request)) {
    rows = rowsFromJson((await readJson(request, predictionJsonBody(schema), { maxBytes })).rows, schema);
  } else {
    throw new AppError(
      "unsupported_media_type:body",
      `Send JSON { "rows": [...] } with Content-Type: application/json, or a CSV as multipart/form-data in the field "file" (got "${request.headers.get("content-type") || "none"}").`,
    );
  }
  const { body, ms } = await predictionAnswer(db, rows, { explain, schema, startedAt });
  return new Response(body, { headers: { "content-type": "application/json", "server-timing": `predict;dur=${ms.toFixed(2)}` } });
});
