import { loadConfig } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { apiRoute, json } from "@/lib/http/route";
import { HealthResponse } from "@/lib/validations/core";
import { healthView } from "@/lib/reads/core";

export const dynamic = "force-dynamic";

export const GET = apiRoute(async () => {
  const config = loadConfig();
  const body = await healthView(() => getDb(config.DATABASE_URL), config.DATABASE_URL, { minFreeMb: config.MIN_FREE_MB });
  // 503 when reads fail or the file was seen damaged; a volume short of space stays 200 ("degraded"), for load balancers.
  return json(HealthResponse, body, { status: body.database === "ok" && body.storage?.status !== "down" ? 200 : 503 });
});
