/** What a list asks of a fact's period: overlap with [from, to] (lib/validations/pagination.ts PeriodQuery). */
export interface PeriodFilter {
  from?: Date;
  to?: Date;
}

/**
 * The Prisma `where` part of a period filter on any table with periodStart / periodEnd: the fact's
 * period overlaps [from, to] (it ends at or after `from` and starts at or before `to`). Facts
 * about no rows (null period) match no filter.
 */
export function periodWhere(period: PeriodFilter | undefined): { periodEnd?: { gte: Date }; periodStart?: { lte: Date } } {
  if (!period) return {};
  return { ...(period.from ? { periodEnd: { gte: period.from } } : {}), ...(period.to ? { periodStart: { lte: period.to } } : {}) };
}
