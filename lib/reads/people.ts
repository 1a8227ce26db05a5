import type { z } from "zod";
import type { Db } from "../db/client";
import { listAuditEvents } from "../db/people";
import type { AuditResponse } from "../validations/people";
import { DEFAULT_LIMIT, type PageRequest } from "../validations/pagination";
import { newestFirstPage } from "./page";

type AuditEvent = z.input<typeof AuditResponse>["events"][number];

function parseDetail(text: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** GET /api/audit: newest first, `limit` below `before`. */
export async function auditView(db: Db, { limit = DEFAULT_LIMIT, before }: Partial<PageRequest> = {}): Promise<z.input<typeof AuditResponse>> {
  const { items, nextCursor } = newestFirstPage(await listAuditEvents(db, { take: limit + 1, before }), limit);
  return {
    events: items.map(
      (e): AuditEvent => ({
        id: e.id,
        at: e.at.toISOString(),
        actor: e.actor,
        actorKind: e.actorKind as AuditEvent["actorKind"],
        action: e.action,
        outcome: e.outcome === "refused" ? "refused" : "ok",
        target: e.target,
        detail: parseDetail(e.detail),
        client: e.client,
      }),
    ),
    nextCursor,
  };
}
