import { setupStateView, startSetup } from "@/lib/actions/setup";
import { loadConfig } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { megabytes, readUploadForm } from "@/lib/http/multipart";
import { apiRoute, issueDetails, json } from "@/lib/http/route";
import { SetupFields, SetupStateResponse } from "@/lib/validations/setup";

export const dynamic = "force-dynamic";

/** The set-up's state: whether a schema is stored, and the progress of the set-up this server ran last. */
export const GET = apiRoute(async () => json(SetupStateResponse, await setupStateView(getDb())));

/**
 * Set up a first dataset: the CSV in `file`, the confirmed schema (JSON) in `schema`, optional `by`.
 * 202 with the state to poll (GET /api/setup); 409 when a schema or data is already stored or a
 * set-up or run is in progress.
 */
export const POST = apiRoute(async (request) => {
  const config = loadConfig();
  const { files, fields } = await readUploadForm(request, { field: "file", maxBytes: megabytes(config.MAX_UPLOAD_MB), textFields: ["schema", "by"] });
  if (files.length > 1) throw new AppError("unprocessable:upload", `Send one CSV to set up with (got ${files.length} files).`);
  const parsed = SetupFields.safeParse({ ...fields, by: fields.by?.trim() || undefined });
  if (!parsed.success) throw new AppError("unprocessable:body", `The form fields are not right: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`, issueDetails(parsed.error.issues));
  const setup = await startSetup(getDb(), config, { name: files[0].name, content: files[0].content, schema: parsed.data.schema, by: parsed.data.by ?? null });
  return json(SetupStateResponse, setup, { status: 202, headers: { Location: "/api/setup" } });
});
