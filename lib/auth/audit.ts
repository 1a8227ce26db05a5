import type { Db } from "../db/client";
import { insertAuditEvent } from "../db/people";
import { currentActor, type Actor } from "../actor";

/*
 * The audit trail: who did what. Written after the action succeeded (or, for a refused sign-in,
 * when it was refused). A failure to write it is logged, not thrown: the action is done by then,
 * and answering an error for it would make the caller do it again.
 */

export interface AuditEntry {
  action: string;
  target?: string | null;
  detail?: Record<string, unknown>;
  outcome?: "ok" | "refused";
}

export async function recordAudit(db: Db, entry: AuditEntry, who: Actor = currentActor()): Promise<void> {
  try {
    await insertAuditEvent(db, {
      actorKind: who.kind,
      actorName: who.name,
      actor: who.label,
      action: entry.action,
      outcome: entry.outcome ?? "ok",
      target: entry.target ?? null,
      detail: JSON.stringify(entry.detail ?? {}),
      client: who.client ?? null,
    });
  } catch (e) {
    console.error(`[audit] could not record ${entry.action} by ${who.label}:`, e);
  }
}
