import { apiRoute, json } from "@/lib/http/route";
import { OpenApiDocumentResponse } from "@/lib/validations/common";
import { openApiDocument } from "@/lib/validations/openapi";

export const dynamic = "force-dynamic";

export const GET = apiRoute({}, async (request) => json(OpenApiDocumentResponse, openApiDocument({ serverUrl: new URL(request.url).origin })));
