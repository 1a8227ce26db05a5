import { getDb } from "@/lib/db/client";
import { handle } from "@/lib/http/respond";
import { healthView } from "@/lib/views/core";

export const dynamic = "force-dynamic";

export const GET = handle(async () => {
  const body = await healthView(getDb());
  return Response.json(body, { status: body.database === "ok" ? 200 : 503 });
});
