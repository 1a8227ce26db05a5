/*
 * Time in the data (issue 18): reading the schema's time cells (ISO 8601 only: a date whose day and
 * month order a reader would have to guess is refused, not guessed), and cutting time into periods
 * (day, ISO week, month, quarter, year, in UTC) for replays, the period filters and chart labels.
 * Framework-free: the pages label their axes with the same functions the pipeline cuts with.
 */

export const PERIOD_GRANULARITIES = ["day", "week", "month", "quarter", "year"] as const;
export type PeriodGranularity = (typeof PERIOD_GRANULARITIES)[number];

/** 03/04/2024, 3.4.24, 03-04-2024: day and month first, in an order the cell does not say (refused, never guessed). */
export const DAY_MONTH_DATE = /^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}$/;

// Fixed-width pieces, each optional part nested in the one before: linear time on any input.
const ISO_TIME = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;
const MS_PER_DAY = 86_400_000;

/**
 * Epoch milliseconds (UTC) of an ISO 8601 date or date-time; null when the text has none of the
 * forms, NaN when it has one but names no real instant (2024-02-30, 25:00). Forms: `YYYY` (1 Jan),
 * `YYYY-MM` (the 1st), `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS[.fff]]` with `T` or a space, and an
 * optional `Z` or `±HH:MM` offset. A time without offset is read as UTC (files rarely say their
 * zone, and a server's zone must not change the data). Digits beyond milliseconds are dropped.
 * The twin in pandas: `pd.Timestamp(s, tz="UTC").value // 10**6` for zone-less texts.
 */
export function isoTimeMs(s: string): number | null {
  const m = ISO_TIME.exec(s);
  if (m === null) return null;
  const [year, month, day, hour, minute, second] = [m[1], m[2] ?? "1", m[3] ?? "1", m[4] ?? "0", m[5] ?? "0", m[6] ?? "0"].map(Number);
  const ms = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, "0"));
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) return NaN;
  let offsetMinutes = 0;
  const zone = m[8];
  if (zone !== undefined && zone !== "Z") {
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(4, 6));
    if (oh > 23 || om > 59) return NaN;
    offsetMinutes = (zone[0] === "-" ? -1 : 1) * (oh * 60 + om);
  }
  return daysFromCivil(year, month, day) * MS_PER_DAY + ((hour * 60 + minute - offsetMinutes) * 60 + second) * 1000 + ms;
}

function daysInMonth(year: number, month: number): number {
  if (month !== 2) return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
}

/**
 * Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil). Date.UTC is
 * not used: it reads years 0–99 as 1900–1999.
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Proleptic Gregorian date of a day count from 1970-01-01 (H. Hinnant's civil_from_days). */
function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** The UTC instant a period of `by` containing `ms` starts at. Weeks start on Monday (ISO 8601). */
export function periodStartMs(ms: number, by: PeriodGranularity): number {
  const days = Math.floor(ms / MS_PER_DAY);
  if (by === "day") return days * MS_PER_DAY;
  if (by === "week") return (days - ((days + 3) % 7 + 7) % 7) * MS_PER_DAY; // 1970-01-01 was a Thursday
  const { year, month } = civilFromDays(days);
  if (by === "year") return daysFromCivil(year, 1, 1) * MS_PER_DAY;
  if (by === "quarter") return daysFromCivil(year, month - ((month - 1) % 3), 1) * MS_PER_DAY;
  return daysFromCivil(year, month, 1) * MS_PER_DAY;
}

/** The first instant after the period of `by` that starts at `startMs`. */
export function nextPeriodStartMs(startMs: number, by: PeriodGranularity): number {
  const days = Math.floor(startMs / MS_PER_DAY);
  if (by === "day") return startMs + MS_PER_DAY;
  if (by === "week") return startMs + 7 * MS_PER_DAY;
  const { year, month } = civilFromDays(days);
  const months = by === "year" ? 12 : by === "quarter" ? 3 : 1;
  const m = month - 1 + months;
  return daysFromCivil(year + Math.floor(m / 12), (m % 12) + 1, 1) * MS_PER_DAY;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/**
 * The name of the period of `by` that holds `ms`: `2024-03-04` (day), `2024-W10` (ISO week),
 * `2024-03` (month), `2024-Q1` (quarter), `2024` (year). Sortable as text; a file name part.
 */
export function periodKey(ms: number, by: PeriodGranularity): string {
  const start = periodStartMs(ms, by);
  const { year, month, day } = civilFromDays(Math.floor(start / MS_PER_DAY));
  if (by === "year") return String(year);
  if (by === "quarter") return `${year}-Q${(month + 2) / 3}`;
  if (by === "month") return `${year}-${pad(month)}`;
  if (by === "day") return `${year}-${pad(month)}-${pad(day)}`;
  // ISO week: the week belongs to the year of its Thursday
  const thursday = civilFromDays(Math.floor(start / MS_PER_DAY) + 3);
  const firstThursdayDays = daysFromCivil(thursday.year, 1, 1);
  const week = Math.floor((Math.floor(start / MS_PER_DAY) + 3 - firstThursdayDays) / 7) + 1;
  return `${thursday.year}-W${pad(week)}`;
}

/** A label for people: `4 Mar 2024`, `week of 4 Mar 2024`, `Mar 2024`, `Q1 2024`, `2024`. */
export function periodLabel(ms: number, by: PeriodGranularity): string {
  const { year, month, day } = civilFromDays(Math.floor(periodStartMs(ms, by) / MS_PER_DAY));
  if (by === "year") return String(year);
  if (by === "quarter") return `Q${(month + 2) / 3} ${year}`;
  if (by === "month") return `${MONTHS[month - 1]} ${year}`;
  return `${by === "week" ? "week of " : ""}${day} ${MONTHS[month - 1]} ${year}`;
}

/**
 * The granularity that names a set of periods best, from how long they are (start to end) and how
 * far apart they start (the larger of the two medians): a chart labels each point with it. A month
 * of rows that all carry its first day (a `month` column of `2024-03`) spans an instant but starts a
 * month after the one before.
 */
export function granularityOf(periods: readonly { start: number; end: number }[]): PeriodGranularity {
  const median = (xs: number[]) => (xs.length === 0 ? 0 : xs.sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]);
  const starts = periods.map((p) => p.start).sort((a, b) => a - b);
  const gaps = starts.slice(1).map((s, i) => s - starts[i]).filter((g) => g > 0);
  const days = Math.max(median(periods.map((p) => p.end - p.start)), median(gaps)) / MS_PER_DAY;
  if (days >= 250) return "year";
  if (days >= 60) return "quarter";
  if (days >= 20) return "month";
  if (days >= 4) return "week";
  return "day";
}

/** A stored fact's period as the API writes it (ISO strings; null: about no rows). */
export function periodView(f: { periodStart: Date | null; periodEnd: Date | null }): { periodStart: string | null; periodEnd: string | null } {
  return { periodStart: f.periodStart?.toISOString() ?? null, periodEnd: f.periodEnd?.toISOString() ?? null };
}

/** The first and last of `n` times (epoch ms; null, undefined and NaN skipped) as Dates; null when there is none. */
export function spanOf(n: number, at: (i: number) => number | null | undefined): { start: Date; end: Date } | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = at(i);
    if (v === null || v === undefined || Number.isNaN(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? { start: new Date(lo), end: new Date(hi) } : null;
}
