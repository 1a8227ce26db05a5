import { getDb } from "@/lib/db/client";
import { schemaView } from "@/lib/reads/core";
import { apiRoute, json } from "@/lib/http/route";
import { SchemaResponse } from "@/lib/validations/schema";

export const dynamic = "force-dynamic";

/** The stored schema (or, before the first ingestion, the configured SCHEMA_FILE's). */
export const GET = apiRoute(async () => json(SchemaResponse, await schemaView(getDb())));
