import { Counter, Histogram, Registry } from "prom-client";
import type { Db } from "../db/client";
import { recordStepDuration } from "../diagnostics/timing-aggregator";

/*
 * Process-level Prometheus metrics of the prediction path. GET /api/metrics builds everything
 * else from the database per scrape (lib/reads/metrics.ts); latency buckets cannot come from
 * there without a write per request, so they live here, in memory, and the scrape appends
 * them. On globalThis: Next bundles each route apart, and the predicting and the scraping
 * route must see the same histogram.
 */

interface PredictionMetrics {
  registry: Registry;
  latency: Histogram;
  unseen: Counter;
}

const g = globalThis as unknown as { __draPredictionMetrics?: PredictionMetrics };

/** Upper bounds in seconds: sub-millisecond single rows up to multi-second 100,000-row batches. */
const PREDICTION_LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

function metrics(): PredictionMetrics {
  if (!g.__draPredictionMetrics) {
    const registry = new Registry();
    const latency = new Histogram({
      name: "dra_prediction_duration_seconds",
      help: "server time of answered prediction requests (POST /api/prediction), in this server process since it started",
      buckets: PREDICTION_LATENCY_BUCKETS,
      registers: [registry],
    });
    const unseen = new Counter({
      name: "dra_prediction_unseen_levels_total",
      help: "predicted rows whose categorical level the deployed model never saw at training (they add nothing to the log-odds), per feature, in this server process since it started",
      labelNames: ["feature"],
      registers: [registry],
    });
    g.__draPredictionMetrics = { registry, latency, unseen };
  }
  return g.__draPredictionMetrics;
}

/**
 * Count one answered prediction request of `ms` server time, in memory only: the histogram, and
 * step "predict" (source "api") of the per-minute timing aggregate that Diagnostics and the
 * scrape read (lib/diagnostics/timing-aggregator.ts). No I/O.
 */
export function recordPredictionLatency(db: Db, ms: number): void {
  metrics().latency.observe(ms / 1000);
  recordStepDuration(db, { step: "predict", source: "api", ms });
}

/** Count rows with levels the model never saw, per categorical feature (in memory). */
export function recordUnseenLevels(unseen: Readonly<Record<string, number>>): void {
  for (const [feature, count] of Object.entries(unseen)) if (count > 0) metrics().unseen.inc({ feature }, count);
}

/** The exposition text of these metrics, to append to the scrape's own registry. */
export async function predictionMetricsText(): Promise<string> {
  return metrics().registry.metrics();
}
