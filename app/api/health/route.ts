import { getDb } from "@/lib/db/client";
import { apiRoute, json } from "@/lib/http/route";
import { HealthResponse } from "@/lib/validations/core";
import { healthView } from "@/lib/reads/core";

export const dynamic = "force-dynamic";

export const GET = apiRoute({}, async () => {
  const body = await healthView(getDb());
  return json(HealthResponse, body, { status: body.database === "ok" ? 200 : 503 });
});
