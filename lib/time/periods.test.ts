import { describe, expect, it } from "vitest";
import { granularityOf, isoTimeMs, nextPeriodStartMs, periodKey, periodLabel, periodStartMs, spanOf } from "./periods";

/*
 * Period arithmetic in UTC. ISO weeks and their Mondays were computed with Python's calendar, not
 * with this code:
 *   /usr/bin/python3 -c "import datetime as d
 *   for s in ['2024-01-01','2023-01-01','2021-01-03','2020-12-31','2026-12-07','1999-12-31','2024-02-29']:
 *     t=d.date.fromisoformat(s); y,w,wd=t.isocalendar(); print(s, f'{y}-W{w:02d}', (t-d.timedelta(days=wd-1)).isoformat(), f'{t.year}-Q{(t.month-1)//3+1}')"
 */
const PYTHON: [string, string, string, string][] = [
  ["2024-01-01", "2024-W01", "2024-01-01", "2024-Q1"],
  ["2023-01-01", "2022-W52", "2022-12-26", "2023-Q1"],
  ["2021-01-03", "2020-W53", "2020-12-28", "2021-Q1"],
  ["2020-12-31", "2020-W53", "2020-12-28", "2020-Q4"],
  ["2026-12-07", "2026-W50", "2026-12-07", "2026-Q4"],
  ["1999-12-31", "1999-W52", "1999-12-27", "1999-Q4"],
  ["2024-02-29", "2024-W09", "2024-02-26", "2024-Q1"],
];
const ms = (s: string) => Date.parse(`${s}T00:00:00Z`);

describe("periods", () => {
  it("ISO weeks, their Mondays and quarters agree with Python's calendar", () => {
    for (const [date, week, monday, quarter] of PYTHON) {
      const t = ms(date) + 13 * 3_600_000; // any instant of the day
      expect(periodKey(t, "week"), date).toBe(week);
      expect(new Date(periodStartMs(t, "week")).toISOString().slice(0, 10), date).toBe(monday);
      expect(periodKey(t, "quarter"), date).toBe(quarter);
    }
  });

  it("keys, labels, starts and the next period of each granularity", () => {
    const t = Date.parse("2024-08-17T22:30:00Z");
    expect((["day", "week", "month", "quarter", "year"] as const).map((by) => [periodKey(t, by), periodLabel(t, by), new Date(periodStartMs(t, by)).toISOString(), new Date(nextPeriodStartMs(periodStartMs(t, by), by)).toISOString()])).toEqual([
      ["2024-08-17", "17 Aug 2024", "2024-08-17T00:00:00.000Z", "2024-08-18T00:00:00.000Z"],
      ["2024-W33", "week of 12 Aug 2024", "2024-08-12T00:00:00.000Z", "2024-08-19T00:00:00.000Z"],
      ["2024-08", "Aug 2024", "2024-08-01T00:00:00.000Z", "2024-09-01T00:00:00.000Z"],
      ["2024-Q3", "Q3 2024", "2024-07-01T00:00:00.000Z", "2024-10-01T00:00:00.000Z"],
      ["2024", "2024", "2024-01-01T00:00:00.000Z", "2025-01-01T00:00:00.000Z"],
    ]);
    // December rolls into the next year; before 1970 works the same
    expect(new Date(nextPeriodStartMs(ms("2023-12-01"), "month")).toISOString()).toBe("2024-01-01T00:00:00.000Z");
    expect(new Date(nextPeriodStartMs(ms("2023-10-01"), "quarter")).toISOString()).toBe("2024-01-01T00:00:00.000Z");
    expect(periodKey(ms("1969-12-31"), "week")).toBe("1970-W01");
    expect(periodKey(ms("1969-12-31"), "month")).toBe("1969-12");
  });

  it("reads ISO 8601 only: YYYY, YYYY-MM, dates, date-times with a zone; impossible dates are NaN, other forms null", () => {
    expect(isoTimeMs("2024")).toBe(ms("2024-01-01"));
    expect(isoTimeMs("2024-03")).toBe(ms("2024-03-01"));
    expect(isoTimeMs("2024-03-04T10:00:00+02:00")).toBe(Date.parse("2024-03-04T08:00:00Z"));
    expect(isoTimeMs("2024-02-30")).toBeNaN();
    for (const s of ["03/04/2024", "4.3.2024", "March 2024", "20240304", ""]) expect(isoTimeMs(s), s).toBeNull();
  });

  it("names a set of periods by how long they are and how far apart they start", () => {
    const months = Array.from({ length: 10 }, (_, i) => ({ start: Date.UTC(2024, i, 1), end: Date.UTC(2024, i, 1) }));
    expect(granularityOf(months)).toBe("month");
    expect(granularityOf([{ start: ms("2024-01-01"), end: ms("2024-03-28") }])).toBe("quarter");
    expect(granularityOf([2021, 2022, 2023].map((y) => ({ start: Date.UTC(y, 0, 1), end: Date.UTC(y, 0, 1) })))).toBe("year");
    expect(granularityOf([{ start: 0, end: 0 }])).toBe("day");
    expect(spanOf(4, (i) => [null, 5, Number.NaN, 2][i])).toEqual({ start: new Date(2), end: new Date(5) });
    expect(spanOf(2, () => undefined)).toBeNull();
  });
});
