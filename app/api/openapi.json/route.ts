import { getDb } from "@/lib/db/client";
import { configuredSchema, readStoredSchema } from "@/lib/db/stored-schema";
import { apiRoute, json } from "@/lib/http/route";
import { OpenApiDocumentResponse } from "@/lib/validations/common";
import { openApiDocument } from "@/lib/validations/openapi";

export const dynamic = "force-dynamic";

/** The document, with the request rows of the stored schema (the configured SCHEMA_FILE's while the database cannot say: the document still answers). */
export const GET = apiRoute(async (request) => {
  const schema = (await readStoredSchema(getDb()).catch(() => null)) ?? configuredSchema();
  return json(OpenApiDocumentResponse, openApiDocument({ serverUrl: new URL(request.url).origin, schema }));
});
