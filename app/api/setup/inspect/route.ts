import { inspectUpload } from "@/lib/actions/setup";
import { loadConfig } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { megabytes, readUploadForm } from "@/lib/http/multipart";
import { apiRoute, issueDetails, json } from "@/lib/http/route";
import { SetupInspectFields, SetupInspectResponse } from "@/lib/validations/setup";

export const dynamic = "force-dynamic";

/**
 * The set-up page's look at a CSV before it becomes the first dataset: the column report, the
 * proposed schema, the label's values, leaking features and what the product cannot take. Stores
 * nothing. A large file is read on a worker thread.
 */
export const POST = apiRoute(async (request) => {
  const config = loadConfig();
  const { files, fields } = await readUploadForm(request, { field: "file", maxBytes: megabytes(config.MAX_UPLOAD_MB), textFields: ["label", "id", "time", "positive"] });
  if (files.length > 1) throw new AppError("unprocessable:upload", `Send one CSV to inspect (got ${files.length} files).`);
  const present = Object.fromEntries(Object.entries(fields).filter(([, v]) => v.trim() !== ""));
  const parsed = SetupInspectFields.safeParse(present);
  if (!parsed.success) throw new AppError("unprocessable:body", "A form field is not a column name (1–200 characters).", issueDetails(parsed.error.issues));
  const body = await inspectUpload(getDb(), files[0].content, { ...parsed.data, name: files[0].name, minPeriodRows: config.MIN_PERIOD_ROWS });
  return json(SetupInspectResponse, body);
});
