/*
 * One page of a list route (see lib/validations/pagination.ts). The queries fetch one row
 * more than the page: that row only says an older page exists, and is not shown.
 */

export interface Page<T> {
  items: T[];
  /** the id to pass as `before` for the next (older) page; null on the last page */
  nextCursor: number | null;
}

/** A page from the newest `limit + 1` rows, listed newest first: the extra row is the last one. */
export function newestFirstPage<T extends { id: number }>(rows: readonly T[], limit: number): Page<T> {
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? items[items.length - 1].id : null };
}

/** A page from the newest `limit + 1` rows, listed oldest first: the extra row is the first one. */
export function oldestFirstPage<T extends { id: number }>(rows: readonly T[], limit: number): Page<T> {
  const items = rows.slice(Math.max(0, rows.length - limit));
  return { items, nextCursor: rows.length > limit ? items[0].id : null };
}
