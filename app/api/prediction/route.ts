import { loadConfig } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { isMultipart, megabytes, readUploadedFiles } from "@/lib/http/multipart";
import { apiRoute, isJson, readJson } from "@/lib/http/route";
import { predictWithDeployedModel, rowsFromCsv, type PredictionInputRow } from "@/lib/prediction/predict";
import { PredictionJsonBody } from "@/lib/validations/prediction";

export const dynamic = "force-dynamic";

/** JSON `{ rows }` or a multipart CSV upload in the field `file`; never a server path. */
export const POST = apiRoute({ write: true }, async (request) => {
  const maxBytes = megabytes(loadConfig().MAX_UPLOAD_MB);
  let rows: PredictionInputRow[];
  if (isMultipart(request)) {
    const files = await readUploadedFiles(request, { field: "file", maxBytes });
    if (files.length > 1) throw new AppError("unprocessable:upload", `Send one CSV per prediction request (got ${files.length} files).`);
    rows = rowsFromCsv(files[0].content);
  } else if (isJson(request)) {
    rows = (await readJson(request, PredictionJsonBody, { maxBytes })).rows;
  } else {
    throw new AppError(
      "unsupported_media_type:body",
      `Send JSON { "rows": [...] } with Content-Type: application/json, or a CSV as multipart/form-data in the field "file" (got "${request.headers.get("content-type") || "none"}").`,
    );
  }
  return Response.json(await predictWithDeployedModel(getDb(), rows));
});
