import { spawnSync } from "node:child_process";
import fs from "node:fs";
import parsePrometheusTextFormat, { type PrometheusFamily } from "parse-prometheus-text-format";
import { describe, expect, it } from "vitest";
import { GET } from "@/app/api/metrics/route";
import { POST as predict } from "@/app/api/prediction/route";
import { recordTiming } from "@/lib/db/timings";
import { getRequest, jsonRequest, seedDeployedModel, tableCounts, TINY_TEST_DATA, useRouteTestDb } from "@/lib/testing/api";
import { storedRows } from "@/lib/testing/stored-rows";

const t = useRouteTestDb();

const PROMTOOL = "/usr/bin/promtool";

async function scrape(): Promise<{ families: PrometheusFamily[]; contentType: string }> {
  const res = await GET(getRequest("/api/metrics"), undefined);
  expect(res.status).toBe(200);
  const text = await res.text();
  // Prometheus' own linter (Debian's prometheus package; .ci/run installs it): no problems at all.
  if (fs.existsSync(PROMTOOL)) expect(spawnSync(PROMTOOL, ["check", "metrics"], { input: text, encoding: "utf8" })).toMatchObject({ status: 0, stdout: "", stderr: "" });
  return { families: parsePrometheusTextFormat(text), contentType: res.headers.get("content-type") ?? "" };
}

function sample(families: PrometheusFamily[], name: string, labels: Record<string, string> = {}): number | undefined {
  const family = families.find((f) => f.name === name);
  const m = family?.metrics.find((s) => Object.entries(labels).every(([k, v]) => s.labels?.[k] === v));
  return m?.value === undefined ? undefined : Number(m.value);
}

describe("GET /api/metrics", () => {
  it("an empty database gives parseable text with zero or absent series", async () => {
    const { families, contentType } = await scrape();
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(sample(families, "dra_model_deployed")).toBe(0);
    expect(sample(families, "dra_deployed_model_version")).toBe(0); // unlabelled gauges read 0; dra_model_deployed says there is none
    expect(sample(families, "dra_prediction_requests_total")).toBe(0);
    expect(sample(families, "dra_training_records")).toBe(0);
    expect(sample(families, "dra_drift_score_check_drifted", { check: "latest" })).toBeUndefined();
    expect(families.find((f) => f.name === "dra_deployed_model_f1")?.type).toBe("GAUGE");
  });

  it("reports the deployed model, drift flags, step latencies, prediction counts, data totals and the last run", async () => {
    const { model } = await seedDeployedModel(t.db);
    const score = await t.db.score.findFirstOrThrow({ where: { modelVersionId: model.id } });
    for (let i = 0; i < 2; i++) {
      const res = await predict(jsonRequest("/api/prediction", { rows: [{ corporation: "x", lastmonth_activity: 1, lastyear_activity: 2, number_of_employees: 3 }] }), undefined);
      expect(res.status).toBe(200);
    }
    // ten known timings of one step: p50 and p95 by linear interpolation (numpy's default)
    for (const ms of [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]) await recordTiming(t.db, { step: "diagnostics", ms, source: "test" });
    const run = await t.db.pipelineRun.create({ data: { trigger: "api", status: "succeeded", outcome: "no-drift", finishedAt: new Date() } });
    await t.db.driftCheck.create({
      data: {
        runId: run.id,
        modelVersionId: model.id,
        newScore: 0.5,
        score: JSON.stringify({
          latest: { drifted: true, threshold: 0.6, status: "drift" },
          raw: { drifted: false, threshold: 0.4, status: "ok" },
          parametric: { drifted: null, threshold: null, status: "insufficient-history" },
        }),
        features: JSON.stringify({
          lastmonth_activity: { ks: { statistic: 0.31, pValue: 0.001, drifted: true }, psi: { score: 0.25, drifted: true } },
          lastyear_activity: { ks: { statistic: 0.05, pValue: 0.7, drifted: false }, psi: { score: 0.01, drifted: false } },
        }),
        triggered: true,
      },
    });
    await t.db.alert.create({ data: { kind: "drift", message: "drift", runId: run.id } });

    const before = await tableCounts(t.db);
    const { families } = await scrape();
    expect(await tableCounts(t.db)).toEqual(before);

    expect(sample(families, "dra_model_deployed")).toBe(1);
    expect(sample(families, "dra_deployed_model_version")).toBe(model.version);
    expect(sample(families, "dra_deployed_model_f1")).toBeCloseTo(score.f1, 12);

    expect(sample(families, "dra_drift_score_check_drifted", { check: "latest" })).toBe(1);
    expect(sample(families, "dra_drift_score_check_drifted", { check: "raw" })).toBe(0);
    expect(sample(families, "dra_drift_score_check_drifted", { check: "parametric" })).toBe(-1);
    expect(sample(families, "dra_drift_score_check_drifted", { check: "nonparametric" })).toBeUndefined();
    expect(sample(families, "dra_drift_score_check_threshold", { check: "latest" })).toBe(0.6);
    expect(sample(families, "dra_drift_triggered")).toBe(1);
    expect(sample(families, "dra_drift_new_score")).toBe(0.5);
    expect(sample(families, "dra_drift_feature_drifted", { feature: "lastmonth_activity", method: "ks" })).toBe(1);
    expect(sample(families, "dra_drift_feature_drifted", { feature: "lastyear_activity", method: "psi" })).toBe(0);
    expect(sample(families, "dra_drift_feature_ks_statistic", { feature: "lastmonth_activity" })).toBe(0.31);
    expect(sample(families, "dra_drift_feature_psi", { feature: "lastmonth_activity" })).toBe(0.25);

    expect(sample(families, "dra_step_duration_seconds", { step: "diagnostics", percentile: "50" })).toBeCloseTo(0.055, 12);
    expect(sample(families, "dra_step_duration_seconds", { step: "diagnostics", percentile: "95" })).toBeCloseTo(0.0955, 12);
    expect(sample(families, "dra_step_last_duration_seconds", { step: "diagnostics" })).toBeCloseTo(0.1, 12);
    expect(sample(families, "dra_step_executions_total", { step: "diagnostics" })).toBe(10);
    expect(sample(families, "dra_step_time_spent_seconds_total", { step: "diagnostics" })).toBeCloseTo(0.55, 12);
    expect(sample(families, "dra_step_executions_total", { step: "train" })).toBe(1);
    expect(sample(families, "dra_step_executions_total", { step: "predict" })).toBe(2);
    expect(sample(families, "dra_prediction_requests_total")).toBe(2);
    expect(families.find((f) => f.name === "dra_prediction_requests_total")?.type).toBe("COUNTER");

    // the tiny source files: 44 rows, 4 of them duplicates
    expect(sample(families, "dra_training_records")).toBe((await storedRows(t.db)).length);
    expect(sample(families, "dra_training_records")).toBe(40);
    expect(sample(families, "dra_datasets", { role: "source" })).toBe(3);
    expect(sample(families, "dra_datasets", { role: "test" })).toBe(1);
    expect(sample(families, "dra_rejected_rows")).toBe(await t.db.rejectedRow.count());
    expect(sample(families, "dra_model_versions")).toBe(1);

    expect(sample(families, "dra_last_run_status", { status: "succeeded" })).toBe(1);
    expect(sample(families, "dra_last_run_status", { status: "failed" })).toBe(0);
    expect(sample(families, "dra_last_run_outcome", { outcome: "no-drift" })).toBe(1);
    expect(sample(families, "dra_last_run_id")).toBe(run.id);
    expect(sample(families, "dra_open_alerts")).toBe(1);
  });
  it("exposes this process's prediction latency histogram, and the predictions it has not stored yet, without writing", async () => {
    await seedDeployedModel(t.db);
    const histogram = (families: PrometheusFamily[]) => {
      const family = families.find((f) => f.name === "dra_prediction_duration_seconds");
      expect(family?.type).toBe("HISTOGRAM");
      const m = family!.metrics[0] as unknown as { buckets: Record<string, string>; count: string; sum: string };
      return { count: Number(m.count), sum: Number(m.sum), buckets: m.buckets };
    };
    const before = histogram((await scrape()).families);
    const counts = await tableCounts(t.db);
    for (let i = 0; i < 3; i++) {
      const res = await predict(jsonRequest("/api/prediction", { rows: [{ corporation: "x", lastmonth_activity: 1, lastyear_activity: 2, number_of_employees: 3 }] }), undefined);
      expect(res.status).toBe(200);
    }
    expect(await tableCounts(t.db)).toEqual(counts);
    const { families } = await scrape();
    const after = histogram(families);
    expect(after.count - before.count).toBe(3);
    expect(after.sum).toBeGreaterThan(before.sum);
    expect(Number(after.buckets["+Inf"])).toBe(after.count);
    expect(Object.keys(after.buckets)).toContain("0.02");
    expect(sample(families, "dra_prediction_requests_total")).toBe(3);
    expect(sample(families, "dra_step_executions_total", { step: "predict" })).toBe(3);
    expect(sample(families, "dra_step_duration_seconds", { step: "predict", percentile: "50" })).toBeGreaterThan(0);
  });
});
