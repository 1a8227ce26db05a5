import { periodView } from "@/lib/time/periods";
import { getDb } from "@/lib/db/client";
import { acknowledgeAlert } from "@/lib/db/alerts";
import { AppError } from "@/lib/errors";
import { apiRoute, json, readIdParams } from "@/lib/http/route";
import { AlertIdParams, AlertResponse } from "@/lib/validations/monitoring";
import type { AlertKind } from "@/lib/vocabulary";

export const dynamic = "force-dynamic";

/** Mark an alert as seen. */
export const POST = apiRoute<{ params: Promise<{ id: string }> }>(async (_request, { params }) => {
  const id = await readIdParams(params, AlertIdParams, "alert");
  const alert = await acknowledgeAlert(getDb(), { id });
  if (!alert) throw new AppError("not_found:alert", `No alert with id ${id}. GET /api/alerts lists them.`);
  return json(AlertResponse, { alert: { id: alert.id, kind: alert.kind as AlertKind, message: alert.message, runId: alert.runId, createdAt: alert.createdAt.toISOString(), ...periodView(alert), acknowledged: alert.acknowledged } });
});
