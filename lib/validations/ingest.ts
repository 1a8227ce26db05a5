import { DatasetEntry } from "./core";
import { z } from "./zod";

/* POST /api/ingest: multipart upload of one or more CSVs in the field `file`. */

export const IngestMultipartBody = z
  .object({
    file: z.array(z.string().openapi({ format: "binary" })).openapi({
      description:
        "one or more labelled CSV files (repeat the field) with a header naming the schema's columns (GET /api/schema): the id, every feature, the label",
    }),
  })
  .openapi("IngestUpload");

export const RowProblem = z
  .object({ row: z.number().int(), column: z.string().nullable(), problem: z.string() })
  .openapi("RowProblem");

export const IngestedDataset = DatasetEntry.extend({
  alreadyIngested: z.boolean().openapi({ description: "true when the same content (sha256) was ingested before: nothing was added" }),
  problems: z.array(RowProblem).openapi({ description: "rows of this file that went to the quarantine" }),
}).openapi("IngestedDataset");

export const IngestResponse = z
  .object({
    datasets: z.array(IngestedDataset).openapi({ description: "one ledger entry per uploaded file, in upload order" }),
    details: z
      .array(RowProblem.extend({ file: z.string() }))
      .openapi({ description: "every quarantined row of the request, with its file name" }),
  })
  .openapi("IngestResult");
