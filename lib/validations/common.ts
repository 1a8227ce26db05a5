import { z } from "./zod";

/** ISO-8601 timestamp as the API writes it (`Date.prototype.toISOString`). */
export const IsoDateTime = z.string().openapi({ format: "date-time", example: "2026-11-26T07:00:00.000Z" });

export const ErrorDetail = z
  .object({
    row: z.number().int().optional().openapi({ description: "CSV file line (header = 1) or index in the JSON rows array (0-based)" }),
    column: z.string().optional(),
    problem: z.string(),
    file: z.string().optional().openapi({ description: "uploaded file name, when several files were sent" }),
  })
  .openapi("ErrorDetail");

export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "unprocessable:csv", description: "`<kind>:<subject>`; the kind fixes the HTTP status" }),
      message: z.string().openapi({ description: "what is wrong and how to fix it" }),
      details: z.array(ErrorDetail).optional(),
    }),
  })
  .openapi("Error");

export const Confusion = z
  .object({ tp: z.number().int(), fp: z.number().int(), tn: z.number().int(), fn: z.number().int() })
  .openapi("Confusion");

/** F1, precision, recall, accuracy and confusion counts of a binary classifier (positive class exited = 1). */
export const ClassificationScore = z
  .object({
    f1: z.number(),
    precision: z.number(),
    recall: z.number(),
    accuracy: z.number(),
    confusion: Confusion,
    rows: z.number().int(),
  })
  .openapi("ClassificationScore");

/** A JSON object whose keys are column names. */
export function byColumn<T extends z.ZodType>(value: T) {
  return z.record(z.string(), value);
}

/** GET /api/openapi.json: an OpenAPI 3.0 document (its paths and components are the route table's). */
export const OpenApiDocumentResponse = z
  .object({
    openapi: z.string(),
    info: z.object({ title: z.string(), version: z.string(), description: z.string().optional() }),
    servers: z.array(z.object({ url: z.string() })).optional(),
    paths: z.record(z.string(), z.unknown()),
    components: z
      .object({ schemas: z.record(z.string(), z.unknown()).optional(), securitySchemes: z.record(z.string(), z.unknown()).optional() })
      .optional(),
  })
  .openapi({ description: "OpenAPI 3 document" });
