import { getDb } from "@/lib/db/client";
import { apiRoute } from "@/lib/http/route";
import { metricsText } from "@/lib/reads/metrics";

export const dynamic = "force-dynamic";

export const GET = apiRoute(async () => {
  const { contentType, body } = await metricsText(getDb());
  return new Response(body, { headers: { "content-type": contentType, "cache-control": "no-store" } });
});
