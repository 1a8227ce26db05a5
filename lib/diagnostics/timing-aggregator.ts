import { isOpenClient, type Db } from "../db/client";
import { createTimingAggregates, type NewTimingAggregate } from "../db/timing-aggregates";
import { quantiles } from "../stats/quantile";
import type { StepTimingPart } from "./timings";

/*
 * Timings of frequent steps (every prediction request) are kept in memory and written as ONE
 * TimingAggregate row per step, source and interval (count, sum, min, max, p50, p95, last), so
 * the request path never writes to the database. An unref'd timer flushes the intervals that
 * are over; the rest is flushed when the process runs out of work (`beforeExit`: CLI, scripts,
 * tests). A server killed by a signal loses its current interval, at most TIMING_INTERVAL_MS of
 * timings. Readers (GET /api/diagnostics, /api/metrics) add the unflushed part with
 * `liveStepTimings`, so counts are exact in the process that served the requests.
 *
 * State is per database client (one per URL per process, lib/db/client.ts) and lives on
 * globalThis, because Next bundles each route separately and the predicting route and the
 * reading routes must share it.
 */

/** Length of one aggregated interval. */
export const TIMING_INTERVAL_MS = 60_000;
/** Durations kept per interval for its quantiles; beyond that a uniform reservoir sample (count, sum, min, max stay exact). */
const MAX_SAMPLES_PER_INTERVAL = 50_000;
/** Durations kept per step for the live p50/p95 (the newest ones, across intervals). */
const RECENT_SAMPLES = 1000;
/** A failed write is retried with the next flushes this many times in all, then dropped (logged). */
const MAX_WRITE_ATTEMPTS = 3;

interface Interval {
  step: string;
  source: string;
  periodStart: number;
  count: number;
  sumMs: number;
  minMs: number;
  maxMs: number;
  lastMs: number;
  lastAt: number;
  samples: number[];
  attempts: number;
}

interface Recent {
  values: Float64Array;
  size: number;
  next: number;
  lastMs: number;
  lastAt: number;
}

interface DbTimings {
  pending: Map<string, Interval>;
  /** intervals being written: still counted by readers until the write settles */
  inFlight: Set<Interval>;
  recent: Map<string, Recent>;
}

interface AggregatorState {
  byDb: Map<Db, DbTimings>;
  timer: ReturnType<typeof setInterval> | null;
  exitHook: boolean;
}

const g = globalThis as unknown as { __draTimingAggregator?: AggregatorState };

function state(): AggregatorState {
  return (g.__draTimingAggregator ??= { byDb: new Map(), timer: null, exitHook: false });
}

function timingsOf(db: Db): DbTimings {
  const s = state();
  let t = s.byDb.get(db);
  if (!t) s.byDb.set(db, (t = { pending: new Map(), inFlight: new Set(), recent: new Map() }));
  return t;
}

function keep(samples: number[], seen: number, ms: number): void {
  if (samples.length < MAX_SAMPLES_PER_INTERVAL) samples.push(ms);
  else {
    const j = Math.floor(Math.random() * seen);
    if (j < MAX_SAMPLES_PER_INTERVAL) samples[j] = ms;
  }
}

/**
 * Count one execution of `step` (ms) in memory: no I/O, O(1). Starts the flush timer on first use.
 */
export function recordStepDuration(db: Db, { step, ms, source = "api", at = Date.now() }: { step: string; ms: number; source?: string; at?: number }): void {
  if (!Number.isFinite(ms) || ms < 0) return;
  const t = timingsOf(db);
  const periodStart = at - (at % TIMING_INTERVAL_MS);
  const key = `${step}\u0000${source}\u0000${periodStart}`;
  let i = t.pending.get(key);
  if (!i) {
    i = { step, source, periodStart, count: 0, sumMs: 0, minMs: ms, maxMs: ms, lastMs: ms, lastAt: at, samples: [], attempts: 0 };
    t.pending.set(key, i);
  }
  i.count += 1;
  i.sumMs += ms;
  if (ms < i.minMs) i.minMs = ms;
  if (ms > i.maxMs) i.maxMs = ms;
  if (at >= i.lastAt) {
    i.lastMs = ms;
    i.lastAt = at;
  }
  keep(i.samples, i.count, ms);

  let r = t.recent.get(step);
  if (!r) t.recent.set(step, (r = { values: new Float64Array(RECENT_SAMPLES), size: 0, next: 0, lastMs: ms, lastAt: at }));
  r.values[r.next] = ms;
  r.next = (r.next + 1) % RECENT_SAMPLES;
  r.size = Math.min(r.size + 1, RECENT_SAMPLES);
  if (at >= r.lastAt) {
    r.lastMs = ms;
    r.lastAt = at;
  }
  startFlushing();
}

function toRow(i: Interval): NewTimingAggregate {
  const [p50, p95] = quantiles(i.samples, [0.5, 0.95]);
  return {
    step: i.step,
    source: i.source,
    periodStart: new Date(i.periodStart),
    periodMs: TIMING_INTERVAL_MS,
    count: i.count,
    sumMs: i.sumMs,
    minMs: i.minMs,
    maxMs: i.maxMs,
    p50Ms: p50,
    p95Ms: p95,
    lastMs: i.lastMs,
    lastAt: new Date(i.lastAt),
  };
}

/** Put an interval whose write failed back, merged with what arrived for it meanwhile. */
function requeue(t: DbTimings, i: Interval): void {
  const key = `${i.step}\u0000${i.source}\u0000${i.periodStart}`;
  const now = t.pending.get(key);
  if (!now) {
    t.pending.set(key, i);
    return;
  }
  for (const ms of i.samples) keep(now.samples, now.count + 1, ms);
  now.count += i.count;
  now.sumMs += i.sumMs;
  now.minMs = Math.min(now.minMs, i.minMs);
  now.maxMs = Math.max(now.maxMs, i.maxMs);
  if (i.lastAt > now.lastAt) {
    now.lastMs = i.lastMs;
    now.lastAt = i.lastAt;
  }
  now.attempts = Math.max(now.attempts, i.attempts);
}

async function write(db: Db, t: DbTimings, intervals: Interval[]): Promise<number> {
  for (const i of intervals) t.inFlight.add(i);
  try {
    return await createTimingAggregates(db, intervals.map(toRow));
  } catch (e) {
    const dropped: Interval[] = [];
    for (const i of intervals) {
      i.attempts += 1;
      if (i.attempts < MAX_WRITE_ATTEMPTS) requeue(t, i);
      else dropped.push(i);
    }
    const lost = dropped.reduce((n, i) => n + i.count, 0);
    console.warn(
      `[timings] could not store ${intervals.length} aggregated timing interval(s): ${(e as Error).message}` +
        (lost ? `; gave up on ${lost} timing(s) after ${MAX_WRITE_ATTEMPTS} attempts` : "; will retry with the next flush"),
    );
    return 0;
  } finally {
    for (const i of intervals) t.inFlight.delete(i);
  }
}

/**
 * Write the intervals that are over (all of them with `all: true`) as TimingAggregate rows,
 * one row per step, source and interval. Never throws: a failed write is logged and retried
 * by the next flush. Returns the number of rows written.
 */
export async function flushTimingAggregates({ all = false, now = Date.now() }: { all?: boolean; now?: number } = {}): Promise<number> {
  const s = state();
  const writes: Promise<number>[] = [];
  for (const [db, t] of s.byDb) {
    // A client closed by disconnectAll (CLI exit, a test's cleanup) has nowhere to write to.
    if (!isOpenClient(db)) {
      s.byDb.delete(db);
      continue;
    }
    const due = [...t.pending].filter(([, i]) => all || i.periodStart + TIMING_INTERVAL_MS <= now);
    if (due.length === 0) continue;
    for (const [key] of due) t.pending.delete(key);
    writes.push(write(db, t, due.map(([, i]) => i)));
  }
  const written = await Promise.all(writes);
  return written.reduce((a, b) => a + b, 0);
}

function hasPending(): boolean {
  for (const t of state().byDb.values()) if (t.pending.size > 0) return true;
  return false;
}

function startFlushing(): void {
  const s = state();
  if (!s.timer) {
    s.timer = setInterval(() => void flushTimingAggregates(), TIMING_INTERVAL_MS);
    s.timer.unref?.();
  }
  if (!s.exitHook && typeof process !== "undefined" && typeof process.on === "function") {
    s.exitHook = true;
    // Fires each time the event loop runs dry; the retry limit makes it stop.
    process.on("beforeExit", () => {
      if (hasPending()) void flushTimingAggregates({ all: true });
    });
  }
}

/** What this process measured and has not stored yet (count, sum), plus its newest durations (last, p50, p95), per step. */
export type LiveStepTimings = StepTimingPart;

export function liveStepTimings(db: Db): LiveStepTimings[] {
  const t = state().byDb.get(db);
  if (!t) return [];
  const totals = new Map<string, { count: number; sumMs: number }>();
  for (const i of [...t.pending.values(), ...t.inFlight]) {
    const s = totals.get(i.step) ?? { count: 0, sumMs: 0 };
    s.count += i.count;
    s.sumMs += i.sumMs;
    totals.set(i.step, s);
  }
  return [...t.recent]
    .filter(([, r]) => r.size > 0)
    .map(([step, r]) => {
      const [p50, p95] = quantiles(Array.from(r.values.subarray(0, r.size)), [0.5, 0.95]);
      const s = totals.get(step) ?? { count: 0, sumMs: 0 };
      return { step, count: s.count, sumMs: s.sumMs, lastMs: r.lastMs, lastAt: new Date(r.lastAt), p50Ms: p50, p95Ms: p95 };
    })
    .sort((a, b) => a.step.localeCompare(b.step));
}
