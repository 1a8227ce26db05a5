import { apiRoute } from "@/lib/http/route";
import { openApiDocument } from "@/lib/validations/openapi";

export const dynamic = "force-dynamic";

export const GET = apiRoute({}, async (request) => Response.json(openApiDocument({ serverUrl: new URL(request.url).origin })));
