import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { apiRoute, readQuery } from "@/lib/http/route";
import { alertsView } from "@/lib/views/monitoring";

export const dynamic = "force-dynamic";

const query = z.object({ open: z.enum(["true", "false"]).optional() });

/** Alerts (drift, failed runs), newest first, with their webhook delivery result; `?open=true` for unacknowledged ones. */
export const GET = apiRoute({}, async (request) => {
  const { open } = readQuery(request, query);
  return Response.json(await alertsView(getDb(), { open: open === "true" }));
});
