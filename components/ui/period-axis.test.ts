import { describe, expect, it } from "vitest";
import { periodAxis, periodSpanOf, periodText, periodTickFormatter, xAtPosition } from "./period-axis";

/* The x axis of the period charts: time when every point has a period, else the position axis. */

const month = (m: number) => {
  const iso = `2024-${String(m).padStart(2, "0")}-01T00:00:00.000Z`;
  return { periodStart: iso, periodEnd: iso };
};
const utc = (iso: string) => Date.parse(iso);

describe("periodAxis", () => {
  it("puts month periods (a month column: start = end = the 1st) on a time axis labelled by month", () => {
    const axis = periodAxis([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(month), { indexTitle: "score #" });
    expect(axis.kind).toBe("time");
    expect(axis.by).toBe("month");
    expect(axis.xs[0]).toBe(utc("2024-01-01T00:00:00Z"));
    expect(axis.ticks.map(periodTickFormatter(axis))).toEqual(["Jan 2024", "Feb 2024", "Mar 2024", "Apr 2024", "May 2024", "Jun 2024", "Jul 2024", "Aug 2024", "Sep 2024", "Oct 2024"]);
    // half a month (15 days) beyond the first and last period
    expect(axis.domain).toEqual([utc("2024-01-01T00:00:00Z") - 15 * 86_400_000, utc("2024-10-01T00:00:00Z") + 15 * 86_400_000]);
    expect(axis.title).toBe("period (end of the data, by month)");
  });

  it("labels periods of real time columns by their end (a month of timestamps ends on its last day)", () => {
    const points = ["01", "02", "03"].map((m) => ({ periodStart: `2024-${m}-01T08:00:00Z`, periodEnd: `2024-${m}-27T17:30:00Z` }));
    const axis = periodAxis(points, { indexTitle: "score #" });
    expect(axis.by).toBe("month");
    expect(axis.ticks.map(periodTickFormatter(axis))).toEqual(["Jan 2024", "Feb 2024", "Mar 2024"]);
    expect(periodText(axis.periods[1], axis.by)).toBe("Feb 2024 (1 Feb 2024 – 27 Feb 2024)");
    expect(periodText(periodSpanOf(month(3)), "month")).toBe("Mar 2024 (1 Mar 2024)");
  });

  it("keeps two points of one period apart, in input order, the tick in their middle", () => {
    const axis = periodAxis([month(1), month(2), month(2), month(3)], { indexTitle: "score #" });
    const feb = utc("2024-02-01T00:00:00Z");
    const spread = 30 * 86_400_000 * 0.3; // 30 % of a month's nominal 30 days
    expect(axis.xs[1]).toBe(feb - spread / 2);
    expect(axis.xs[2]).toBe(feb + spread / 2);
    expect(axis.ticks).toEqual([utc("2024-01-01T00:00:00Z"), feb, utc("2024-03-01T00:00:00Z")]);
  });

  it("spreads points of one period that end at different instants (two uploads of one day, seconds apart) around their mean", () => {
    const at = (iso: string) => ({ periodStart: iso, periodEnd: iso });
    const axis = periodAxis([at("2026-12-06T09:00:00Z"), at("2026-12-07T18:37:10Z"), at("2026-12-07T18:37:20Z")], { indexTitle: "batch #" });
    expect(axis.by).toBe("day");
    const mean = utc("2026-12-07T18:37:15Z");
    const width = 0.3 * 86_400_000;
    expect(axis.xs).toEqual([utc("2026-12-06T09:00:00Z"), mean - width / 2, mean + width / 2]);
    expect(axis.ticks).toEqual([utc("2026-12-06T09:00:00Z"), mean]);
    expect(axis.ticks.map(periodTickFormatter(axis))).toEqual(["6 Dec 2026", "7 Dec 2026"]);
  });

  it("thins the ticks to every k-th when there are more periods than maxTicks", () => {
    const axis = periodAxis([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(month), { indexTitle: "check #", maxTicks: 4 });
    expect(axis.ticks.map(periodTickFormatter(axis))).toEqual(["Jan 2024", "Apr 2024", "Jul 2024", "Oct 2024"]);
  });

  it("falls back to the index axis when any point lacks a period (or has an unreadable one), or there is none", () => {
    for (const points of [[month(1), { periodStart: null, periodEnd: null }, month(3)], [month(1), {}], [month(1), { periodStart: "soon", periodEnd: "later" }]]) {
      const axis = periodAxis(points, { indexTitle: "score # (oldest → newest)" });
      expect(axis.kind).toBe("index");
      expect(axis.by).toBeNull();
      expect(axis.xs).toEqual(points.map((_, i) => i + 1));
      expect(axis.periods.every((p) => p === null)).toBe(true);
      expect(axis.title).toBe("score # (oldest → newest)");
      expect(axis.ticks.map(periodTickFormatter(axis))).toEqual(points.map((_, i) => String(i + 1)));
    }
    const empty = periodAxis([], { indexTitle: "score #" });
    expect([empty.kind, empty.xs, empty.domain]).toEqual(["index", [], [0.5, 1.5]]);
    // 30 scores: every 3rd position is a tick
    expect(periodAxis(Array.from({ length: 30 }, () => ({})), { indexTitle: "#" }).ticks).toEqual([1, 4, 7, 10, 13, 16, 19, 22, 25, 28]);
  });

  it("names other granularities: quarters, years, weeks, days; one period gets the room of its nominal length", () => {
    const q = periodAxis(["2023-01-01", "2023-04-01", "2023-07-01"].map((d) => ({ periodStart: d, periodEnd: d })), { indexTitle: "#" });
    expect(q.ticks.map(periodTickFormatter(q))).toEqual(["Q1 2023", "Q2 2023", "Q3 2023"]);
    const y = periodAxis(["2021-06-01", "2022-06-01"].map((d) => ({ periodStart: d, periodEnd: d })), { indexTitle: "#" });
    expect(y.ticks.map(periodTickFormatter(y))).toEqual(["2021", "2022"]);
    const w = periodAxis(["2024-03-04", "2024-03-11"].map((d) => ({ periodStart: d, periodEnd: `${d}T12:00:00Z` })), { indexTitle: "#" });
    expect(w.ticks.map(periodTickFormatter(w))).toEqual(["week of 4 Mar 2024", "week of 11 Mar 2024"]);
    const one = periodAxis([{ periodStart: "2024-03-04", periodEnd: "2024-03-04T18:00:00Z" }], { indexTitle: "#" });
    expect(one.by).toBe("day");
    expect(one.domain[1] - one.domain[0]).toBe(86_400_000);
  });
});

describe("xAtPosition", () => {
  it("interpolates between points, and goes half a step beyond the ends", () => {
    expect(xAtPosition([10, 20, 40], 2.5)).toBe(30);
    expect(xAtPosition([10, 20, 40], 1.2)).toBe(12);
    expect(xAtPosition([10, 20, 40], 0.5)).toBe(5);
    expect(xAtPosition([10, 20, 40], 3.5)).toBe(50);
    expect(xAtPosition([10], 1.5, 4)).toBe(12);
    expect(xAtPosition([], 0.5)).toBe(0.5);
  });
});
