import { queryOptions } from "@tanstack/react-query";
import type { z } from "zod";
import type * as batches from "@/lib/validations/batches";
import { apiGet } from "./fetcher";

/* Monitored batches (GET /api/batches): the Scores page's estimated-vs-realized F1 chart. */

export type BatchEntry = z.infer<typeof batches.BatchEntry>;
export type BatchesResponse = z.infer<typeof batches.BatchesResponse>;
export type BatchCreated = z.infer<typeof batches.BatchCreatedResponse>;

export const batchesKey = () => ["api", "batches"] as const;

/** The newest 100 batches (the route's default page), listed newest first. */
export const batchesQuery = () => queryOptions({ queryKey: batchesKey(), queryFn: ({ signal }) => apiGet<BatchesResponse>("/api/batches", { signal }) });
