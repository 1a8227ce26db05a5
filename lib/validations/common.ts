import { ERROR_CODES, ErrorDetail } from "../errors";
import { z } from "./zod";

/** Largest id the database stores (SQLite INTEGER read through Prisma's 32-bit Int). */
export const MAX_ID = 2_147_483_647;

/** A numeric id path segment: a whole number from 1 to MAX_ID (anything else is an unknown id, 404). */
const IdSegment = z
  .string()
  .regex(/^\d+$/)
  .transform(Number)
  .refine((id) => Number.isSafeInteger(id) && id > 0 && id <= MAX_ID);

/** The `{id}` path parameter of a route, validated by the handler with this very schema (lib/http/route.ts readIdParams). */
export function idParams(description: string) {
  return z.object({ id: IdSegment.openapi({ param: { name: "id", in: "path" }, example: "1", description }) });
}

/** ISO-8601 timestamp as the API writes it (`Date.prototype.toISOString`). */
export const IsoDateTime = z.string().openapi({ format: "date-time", example: "2026-11-26T07:00:00.000Z" });

export const ErrorBody = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES).openapi({ example: "unprocessable:csv", description: "`<kind>:<subject>`; the kind fixes the HTTP status" }),
      message: z.string().openapi({ description: "what is wrong and how to fix it" }),
      details: z.array(z.object(ErrorDetail.shape).openapi("ErrorDetail")).optional(),
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
      .object({
        schemas: z.record(z.string(), z.unknown()).optional(),
        parameters: z.record(z.string(), z.unknown()).optional(),
        securitySchemes: z.record(z.string(), z.unknown()).optional(),
      })
      .optional(),
  })
  .openapi({ description: "OpenAPI 3 document" });

/**
 * The period a recorded fact is about (issue 18): the min and max of the schema's time column over
 * its rows, or — data without a time column — when those rows arrived. Null: about no rows (a run
 * that found nothing new).
 */
export const PeriodFields = {
  periodStart: IsoDateTime.nullable().openapi({ description: "start of the period its rows cover (min of the time column, or when they arrived); null: no rows" }),
  periodEnd: IsoDateTime.nullable().openapi({ description: "end of the period its rows cover (max of the time column, or when they arrived); null: no rows" }),
};
