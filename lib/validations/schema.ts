import { FEATURE_TYPES } from "../schema/types";
import { z } from "./zod";

/* GET /api/schema: the schema every layer is built from (lib/schema). */

const SchemaFeature = z
  .object({
    name: z.string(),
    type: z.enum(FEATURE_TYPES),
    min: z.number().nullable().optional().openapi({ description: "numeric: inclusive lower bound (null: none)" }),
    max: z.number().nullable().optional().openapi({ description: "numeric: inclusive upper bound (null: none)" }),
  })
  .openapi("SchemaFeature");

export const SchemaResponse = z
  .object({
    id: z.string().nullable().openapi({ description: "the id column (null: rows are keyed by their whole content)" }),
    label: z.string().openapi({ description: "the binary label column" }),
    positive: z.string().openapi({ description: "the label value counted as 1" }),
    negative: z.string().openapi({ description: "the label value counted as 0" }),
    time: z.string().nullable().openapi({ description: "the time column (ISO 8601 dates or years), null when none" }),
    features: z.array(SchemaFeature).openapi({ description: "in the schema's order" }),
    stored: z.boolean().openapi({ description: "true once the first ingestion stored it; false: the SCHEMA_FILE the first ingestion will store" }),
  })
  .openapi("Schema");
