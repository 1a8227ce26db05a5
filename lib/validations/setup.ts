import { REFUSAL_CODES } from "../schema/inspect";
import { PERIOD_GRANULARITIES } from "../time/periods";
import { IsoDateTime } from "./common";
import { RUN_OUTCOMES, RUN_STATUSES } from "../vocabulary";
import { SchemaResponse } from "./schema";
import { z } from "./zod";

/* The set-up of a first dataset (the /setup page): POST /api/setup/inspect, POST /api/setup, GET /api/setup. */

const optionalColumn = (what: string) => z.string().trim().min(1).max(200).optional().openapi({ description: what });

/** The text fields of POST /api/setup/inspect besides the file (an empty field counts as absent). */
export const SetupInspectFields = z.object({
  label: optionalColumn("the label column; absent: a two-valued column named like label/target/churn/exited/y is proposed, else none"),
  id: optionalColumn("the id column"),
  time: optionalColumn("the time column (ISO 8601 dates or 4-digit years)"),
  positive: optionalColumn("the label value counted as 1"),
});

export const SetupInspectMultipartBody = z
  .object({
    file: z.string().openapi({ format: "binary", description: "the CSV (header required)" }),
    label: z.string().optional(),
    id: z.string().optional(),
    time: z.string().optional(),
    positive: z.string().optional(),
  })
  .openapi("SetupInspectUpload");

const ColumnReportEntry = z
  .object({
    name: z.string(),
    role: z.enum(["id", "label", "time", "feature", "ignored"]),
    type: z.enum(["numeric", "categorical", "text", "empty", "time"]).nullable().openapi({ description: "what the values look like; null for the id and the label" }),
    distinct: z.number().int(),
    distinctCapped: z.boolean().openapi({ description: "more than 10,000 distinct values (distinct then says 10,000)" }),
    missing: z.number().openapi({ description: "share (0–1) of empty cells" }),
    sample: z.array(z.string()).openapi({ description: "up to 5 distinct values, in order of first appearance" }),
    reason: z.string().openapi({ description: "why the column got its role and type" }),
  })
  .openapi("ColumnReport");

const { stored: _stored, ...schemaShape } = SchemaResponse.shape;

export const SetupInspectResponse = z
  .object({
    rows: z.number().int().openapi({ description: "data rows in the file" }),
    minRows: z.number().int().openapi({ description: "rows the product needs at least: 2 × MIN_PERIOD_ROWS" }),
    columns: z.array(ColumnReportEntry),
    schema: z.object(schemaShape).nullable().openapi({ description: "the proposed schema; null while a refusal stands" }),
    notes: z.array(z.string()),
    label: z.string().nullable().openapi({ description: "the label column: the one named, else the proposed one, else null" }),
    labelProposed: z.boolean(),
    labelValues: z.array(z.object({ value: z.string(), count: z.number().int() })).openapi({ description: "the label's distinct values with their counts, most frequent first" }),
    leaks: z
      .array(z.object({ column: z.string(), measure: z.enum(["auc", "majority-accuracy"]), value: z.number(), message: z.string() }))
      .openapi({ description: "features that alone separate the label almost perfectly (max(AUC, 1 − AUC) ≥ 0.99, or majority accuracy ≥ 0.99 with fewer levels than half the rows)" }),
    leakCheckRows: z.number().int().openapi({ description: "rows the leak check read: the first ones with a readable label, at most 200,000" }),
    refusals: z.array(z.object({ code: z.enum(REFUSAL_CODES), message: z.string() })).openapi({ description: "what the product cannot take; set-up is possible only when empty" }),
  })
  .openapi("SetupInspection");

/** The text fields of POST /api/setup besides the file. */
export const SetupFields = z.object({
  schema: z.string({ error: 'is missing: send the schema as JSON in the field "schema" (the schema file form: { id, label, positive, time, features: { name: type } })' }),
  by: z
    .enum(PERIOD_GRANULARITIES, { error: `must be one of ${PERIOD_GRANULARITIES.join(", ")} (or absent: the whole file is one period)` })
    .optional(),
});

export const SetupMultipartBody = z
  .object({
    file: z.string().openapi({ format: "binary", description: "the CSV (header required)" }),
    schema: z.string().openapi({ description: 'the schema as JSON, in the schema file form (lib/schema/parse.ts): { "id", "label", "positive", "time", "features": { name: "numeric" | "categorical" | { type, min?, max? } } }' }),
    by: z.enum(PERIOD_GRANULARITIES).optional().openapi({ description: "replay the file period by period (needs the schema's time column); absent: the whole file is one period" }),
  })
  .openapi("SetupUpload");

const SetupPeriod = z
  .object({ key: z.string(), label: z.string(), start: z.string(), end: z.string(), rows: z.number().int(), merged: z.array(z.string()) })
  .openapi("SetupPeriod");

export const SetupStateResponse = z
  .object({
    stored: z.boolean().openapi({ description: "a schema is stored in the database (the set-up is done, or data came another way): the page shows it read-only" }),
    state: z.enum(["idle", "running", "done", "failed"]).openapi({ description: "the set-up this server process ran last (kept in memory: a server restart forgets it, the stored schema and runs stay)" }),
    message: z.string().nullable(),
    file: z.string().nullable().openapi({ description: "the uploaded file's name" }),
    by: z.enum(PERIOD_GRANULARITIES).nullable(),
    startedAt: IsoDateTime.nullable(),
    finishedAt: IsoDateTime.nullable(),
    progress: z
      .object({ done: z.number().int(), total: z.number().int().nullable() })
      .openapi({ description: "periods of the granularity the file covers (before small ones are merged) that have been replayed; total null until counted" }),
    periods: z.array(SetupPeriod).openapi({ description: "the periods replayed so far, one run each" }),
    runs: z
      .array(z.object({ period: z.string(), runId: z.number().int(), status: z.enum(RUN_STATUSES), outcome: z.enum(RUN_OUTCOMES).nullable(), reason: z.string().nullable() }))
      .openapi({ description: "the pipeline run of each period (GET /api/runs/{id})" }),
  })
  .openapi("SetupState");
