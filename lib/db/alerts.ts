import { periodWhere, type PeriodFilter } from "./period-where";
import type { Db } from "./client";
import type { Alert } from "./generated/client";

export type AlertKind = "drift" | "run-failed";

export async function createAlert(db: Db, a: { kind: AlertKind; message: string; runId: number | null }): Promise<Alert> {
  return db.alert.create({ data: a });
}

export async function recordAlertDelivery(db: Db, { id, delivered, info }: { id: number; delivered: boolean; info: string }): Promise<Alert> {
  return db.alert.update({ where: { id }, data: { delivered, deliveryInfo: info } });
}

/** Alerts, newest first, at most `take`, only those with an id below `before` when given. */
export async function listAlerts(db: Db, { take = 100, open, before, period }: { take?: number; open?: boolean; before?: number; period?: PeriodFilter } = {}): Promise<Alert[]> {
  return db.alert.findMany({
    where: { ...(open ? { acknowledged: false } : {}), ...(before !== undefined ? { id: { lt: before } } : {}), ...periodWhere(period) },
    orderBy: { id: "desc" },
    take,
  });
}

export async function acknowledgeAlert(db: Db, { id }: { id: number }): Promise<Alert | null> {
  const found = await db.alert.findUnique({ where: { id } });
  if (!found) return null;
  return db.alert.update({ where: { id }, data: { acknowledged: true } });
}
