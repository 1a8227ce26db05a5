import { extendZodWithOpenApi } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";

/*
 * The zod instance every request/response schema is built with. Extending it once lets a
 * schema carry its OpenAPI name and description (`.openapi("Name")`), so the document in
 * lib/validations/openapi.ts is generated from the very schemas the handlers validate with.
 */
extendZodWithOpenApi(z);

export { z };
