import type { Db } from "../db/client";
import { createAlert, recordAlertDelivery, type AlertKind } from "../db/alerts";
import type { Alert } from "../db/types";

const WEBHOOK_TIMEOUT_MS = 5000;

export interface AlertPayload {
  alertId: number;
  kind: AlertKind;
  message: string;
  runId: number | null;
  createdAt: string;
  details?: unknown;
}

/** POST the alert as JSON. Resolves with what happened; never throws. */
async function postWebhook(url: string, payload: AlertPayload, timeoutMs = WEBHOOK_TIMEOUT_MS): Promise<{ delivered: boolean; info: string }> {
  const started = Date.now();
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": "dynamic-risk-assessment-alerts" },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(timeoutMs),
    });
    // Drain the body so the connection is released; its content is not needed.
    await res.arrayBuffer().catch(() => undefined);
    const ms = Date.now() - started;
    return res.ok
      ? { delivered: true, info: `HTTP ${res.status} from the webhook in ${ms} ms` }
      : { delivered: false, info: `webhook answered HTTP ${res.status} ${res.statusText} in ${ms} ms` };
  } catch (e) {
    const err = e as Error & { cause?: { code?: string; message?: string } };
    if (err.name === "TimeoutError" || err.name === "AbortError") {
      return { delivered: false, info: `webhook did not answer within ${timeoutMs} ms (timed out)` };
    }
    return { delivered: false, info: `webhook request failed: ${err.cause?.code ?? err.cause?.message ?? err.message}` };
  }
}

/**
 * Record an alert and, when a webhook is configured, deliver it (JSON body, timeout). The
 * delivery result is written on the Alert row. Never throws: an alert must not fail the run
 * that raises it.
 */
export async function raiseAlert(
  db: Db,
  a: { kind: AlertKind; message: string; runId: number | null; details?: unknown },
  { webhookUrl, timeoutMs = WEBHOOK_TIMEOUT_MS }: { webhookUrl?: string; timeoutMs?: number } = {},
): Promise<Alert | null> {
  try {
    const alert = await createAlert(db, { kind: a.kind, message: a.message, runId: a.runId });
    if (!webhookUrl) return recordAlertDelivery(db, { id: alert.id, delivered: false, info: "no webhook configured (ALERT_WEBHOOK_URL unset)" });
    const result = await postWebhook(
      webhookUrl,
      { alertId: alert.id, kind: a.kind, message: a.message, runId: a.runId, createdAt: alert.createdAt.toISOString(), details: a.details },
      timeoutMs,
    );
    if (!result.delivered) console.warn(`[alerts] alert ${alert.id} not delivered: ${result.info}`);
    return recordAlertDelivery(db, { id: alert.id, ...result });
  } catch (e) {
    console.error("[alerts] could not record or deliver an alert:", (e as Error).message);
    return null;
  }
}
