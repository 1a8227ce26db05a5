import { describe, expect, it } from "vitest";
import { compareSnapshots, latestStability, stabilitySeries } from "./stability";
import { summarizeTimings } from "./timings";

const snap = (id: number, rows: number, mean: number, median: number, std: number, missing = 0) => ({
  id,
  datasetId: id,
  rows,
  createdAt: new Date(Date.UTC(2026, 0, id)),
  stats: JSON.stringify({ lastmonth_activity: { mean, median, std, min: 0, max: 1, missing } }),
});

describe("stability", () => {
  it("compares each snapshot with the previous one (change and relative change)", () => {
    const c = compareSnapshots(snap(2, 150, 110, 90, 20, 0.01), snap(1, 100, 100, 100, 25));
    expect(c.rows).toEqual({ previous: 100, current: 150, change: 50 });
    expect(c.columns.lastmonth_activity.mean).toEqual({ previous: 100, current: 110, change: 10, relativeChange: 0.1 });
    expect(c.columns.lastmonth_activity.median.relativeChange).toBeCloseTo(-0.1, 12);
    expect(c.columns.lastmonth_activity.std.change).toBe(-5);
    expect(c.columns.lastmonth_activity.missing).toEqual({ previous: 0, current: 0.01, change: 0.01, relativeChange: null });
  });

  it("the first snapshot has no previous; series and latest", () => {
    const series = stabilitySeries([snap(1, 100, 100, 100, 25), snap(2, 150, 110, 90, 20)]);
    expect(series[0].previousSnapshotId).toBeNull();
    expect(series[0].columns.lastmonth_activity.mean).toEqual({ previous: null, current: 100, change: null, relativeChange: null });
    expect(series[1].previousSnapshotId).toBe(1);
    expect(latestStability([])).toBeNull();
    expect(latestStability([snap(1, 100, 100, 100, 25), snap(2, 150, 110, 90, 20)])?.snapshotId).toBe(2);
  });
});

describe("summarizeTimings", () => {
  it("last, p50, p95 (type-7) and count per step", () => {
    const at = (i: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, i));
    // numpy.quantile([10, 20, 30, 40], [0.5, 0.95]) = [25, 38.5]
    const s = summarizeTimings([
      { step: "train", ms: 40, createdAt: at(4) },
      { step: "train", ms: 30, createdAt: at(3) },
      { step: "train", ms: 20, createdAt: at(2) },
      { step: "train", ms: 10, createdAt: at(1) },
      { step: "ingest", ms: 5, createdAt: at(1) },
    ]);
    expect(s.train).toMatchObject({ lastMs: 40, p50Ms: 25, count: 4 });
    expect(s.train.p95Ms).toBeCloseTo(38.5, 10);
    expect(s.ingest).toMatchObject({ lastMs: 5, p50Ms: 5, p95Ms: 5, count: 1 });
  });
});
