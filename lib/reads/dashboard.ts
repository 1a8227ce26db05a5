import type { Db } from "../db/client";
import { listDeployments } from "../db/models";
import { listTimingAggregates } from "../db/timing-aggregates";
import { listNewestTimings } from "../db/timings";
import type { z } from "zod";
import type { DeploymentsResponse, TimingEntry, TimingsResponse } from "../validations/dashboard";
import { deploymentEntry } from "./core";

/*
 * The reads of the dashboard's own routes: GET /api/deployments (the deployment history) and
 * GET /api/diagnostics/timings (step timings over time).
 */

/** GET /api/deployments: every deployment (rollbacks included), oldest first. The last one is live. */
export async function deploymentsView(db: Db): Promise<z.infer<typeof DeploymentsResponse>> {
  return { deployments: (await listDeployments(db)).map(deploymentEntry) };
}

type TimingView = z.infer<typeof TimingEntry>;

/**
 * GET /api/diagnostics/timings: step timings (every source: pipeline runs, API calls, CLI, timing checks), oldest first: the
 * newest `take` StepTiming rows, and the newest `take` aggregated intervals of predictions as
 * one point each (their median, at the interval's last request).
 */
export async function timingsView(db: Db, take = 2000): Promise<z.infer<typeof TimingsResponse>> {
  const [rows, intervals] = await Promise.all([listNewestTimings(db, { take }), listTimingAggregates(db, { take })]);
  const points: TimingView[] = rows.reverse().map((t) => ({ step: t.step, ms: t.ms, source: t.source, runId: t.runId, createdAt: t.createdAt.toISOString() }));
  for (const a of intervals) {
    points.push({ step: a.step, ms: a.p50Ms, source: `${a.source}, median of ${a.count} in ${Math.round(a.periodMs / 1000)} s`, runId: null, createdAt: a.lastAt.toISOString() });
  }
  return { timings: points.sort((a, b) => a.createdAt.localeCompare(b.createdAt)) };
}
