import { MAX_ID } from "./common";
import { isoTimeMs, nextPeriodStartMs } from "../time/periods";
import type { PeriodFilter } from "../db/period-where";
import { z } from "./zod";

/*
 * Keyset pagination of the list routes (runs, scores, models, datasets, drift, alerts,
 * quarantine): `?limit=N&before=<id>` → the list under its usual name plus `nextCursor`.
 * `before` always walks towards OLDER items (smaller ids), whatever order a route lists in,
 * so a client pages back through history by passing each answer's `nextCursor` as `before`
 * until it is null. Ids, not offsets: a page costs the same at any depth and rows added
 * while a client pages do not shift what it sees.
 */

/** Largest page a list route returns. */
export const MAX_LIMIT = 1000;
/** The page a list route returns when the request names no `limit`. */
export const DEFAULT_LIMIT = 100;

const limitRule = `must be a whole number from 1 to ${MAX_LIMIT}`;
const beforeRule = `must be an id (a whole number from 1 to ${MAX_ID}): pass the nextCursor of the previous page`;

function limitParam(description: string) {
  return z.coerce
    .number({ error: limitRule })
    .int({ error: limitRule })
    .min(1, { error: limitRule })
    .max(MAX_LIMIT, { error: limitRule })
    .openapi({ description });
}

const beforeParam = z.coerce
  .number({ error: beforeRule })
  .int({ error: beforeRule })
  .min(1, { error: beforeRule })
  .max(MAX_ID, { error: beforeRule })
  .optional()
  .openapi({ description: "cursor: only items with an id below this one (older ones); pass the previous answer's nextCursor" });

/** Query parameters of a list route: `limit` (1–MAX_LIMIT, default `defaultLimit`) and `before`. */
export function pageQuery({ defaultLimit = DEFAULT_LIMIT }: { defaultLimit?: number } = {}) {
  return z.object({
    limit: limitParam(`page size, 1–${MAX_LIMIT} (default ${defaultLimit})`).default(defaultLimit),
    before: beforeParam,
  });
}

/**
 * pageQuery plus `take`, the name `limit` had on runs, drift and quarantine before they were
 * paginated, kept so old links keep working; when sent it wins over `limit`.
 */
export function pageQueryWithTake(opts: { defaultLimit?: number } = {}) {
  return pageQuery(opts).extend({
    take: limitParam("old name of limit (deprecated); wins over limit when both are sent").optional().openapi({ param: { deprecated: true } }),
  });
}

/** What a list query asks for, as the views take it. */
export interface PageRequest {
  limit: number;
  before?: number;
  /** only items whose period overlaps [from, to] (PeriodQuery) */
  period?: PeriodFilter;
}

/** The page a validated list query asks for. */
export function pageRequest(q: { limit: number; take?: number; before?: number; from?: Date; to?: Date }): PageRequest {
  const period = q.from || q.to ? { from: q.from, to: q.to } : undefined;
  return { limit: q.take ?? q.limit, before: q.before, ...(period ? { period } : {}) };
}

export const NextCursor = z
  .number()
  .int()
  .nullable()
  .openapi({ description: "pass as `before` to get the next (older) page; null: this is the last page" });

const periodBoundRule = "must be an ISO 8601 date or date-time (YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS with an optional Z or ±HH:MM; no zone: UTC)";

/** `to` names the last instant of the year, month or day a date-only text names (`to=2024-03` keeps March). */
function lastInstantOf(text: string, ms: number): number {
  const by = /^\d{4}$/.test(text) ? "year" : /^\d{4}-\d{2}$/.test(text) ? "month" : /^\d{4}-\d{2}-\d{2}$/.test(text) ? "day" : null;
  return by === null ? ms : nextPeriodStartMs(ms, by) - 1;
}

function periodBound(end: "from" | "to", description: string) {
  return z
    .string()
    .transform((raw, ctx) => {
      const text = raw.trim();
      const ms = isoTimeMs(text);
      if (ms === null || Number.isNaN(ms)) {
        ctx.addIssue({ code: "custom", message: periodBoundRule });
        return z.NEVER;
      }
      return new Date(end === "to" ? lastInstantOf(text, ms) : ms);
    })
    .optional()
    .openapi({ type: "string", description });
}

/**
 * `from` / `to` of a list route: only facts whose period (periodStart..periodEnd) overlaps
 * [from, to]. `from=2024-03` starts at 1 March 00:00 UTC, `to=2024-03` ends with the last instant
 * of March (a date-only `to` keeps the whole year, month or day it names); facts about no rows (no
 * period) are left out when either is given.
 */
export const PeriodQuery = z.object({
  from: periodBound("from", "only items whose period ends at or after this instant (ISO 8601, UTC when no zone is written)"),
  to: periodBound("to", "only items whose period starts at or before this instant; a date-only value keeps the whole year, month or day it names (ISO 8601, UTC when no zone is written)"),
});
