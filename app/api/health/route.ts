import { getDb } from "@/lib/db/client";
import { apiRoute } from "@/lib/http/route";
import { healthView } from "@/lib/reads/core";

export const dynamic = "force-dynamic";

export const GET = apiRoute({}, async () => {
  const body = await healthView(getDb());
  return Response.json(body, { status: body.database === "ok" ? 200 : 503 });
});
