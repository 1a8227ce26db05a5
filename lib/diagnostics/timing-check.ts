import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Db } from "../db/client";
import { countRecords } from "../db/datasets";
import { applyMigrations } from "../db/migrate";
import { openScratchDb } from "../db/scratch";
import { recordTiming } from "../db/timings";
import { AppError } from "../errors";
import { ingestFolder } from "../ingestion/ingest";
import { trainChecked } from "../model/train";
import { timeStep } from "./time-step";

/*
 * The on-demand timing check, like the classic diagnostics.execution_time(): run ingestion
 * and training several times and report the mean per step. Every iteration works on a COPY
 * — the source CSVs copied into a temp folder, a fresh migrated SQLite file in that folder
 * — so the live database and source folder are never written. The means are recorded in
 * the live database as StepTiming rows with source "timing-check" (each iteration is timed
 * with timeStep on its copy, which is thrown away with its timings).
 */

export const TIMING_CHECK_STEPS = ["ingest", "train"] as const;
export const TIMING_CHECK_MAX_ITERATIONS = 10;

export interface TimingCheckResult {
  iterations: number;
  files: string[];
  rows: number;
  steps: Record<(typeof TIMING_CHECK_STEPS)[number], { meanMs: number; samplesMs: number[] }>;
  totalMs: number;
  checkedAt: string;
}

export async function runTimingCheck(
  liveDb: Db,
  { sourceDir, testData, iterations = 3, cwd = /*turbopackIgnore: true*/ process.cwd() }: { sourceDir: string; testData?: string; iterations?: number; cwd?: string },
): Promise<TimingCheckResult> {
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > TIMING_CHECK_MAX_ITERATIONS) {
    throw new AppError("unprocessable:timing_check", `iterations must be an integer from 1 to ${TIMING_CHECK_MAX_ITERATIONS}, got ${iterations}.`);
  }
  const testPath = testData ? path.resolve(testData) : null;
  const files = fs.existsSync(sourceDir)
    ? fs
        .readdirSync(sourceDir)
        .filter((n) => n.toLowerCase().endsWith(".csv") && !n.startsWith("."))
        .filter((n) => path.resolve(sourceDir, n) !== testPath)
        .filter((n) => fs.statSync(path.join(sourceDir, n)).isFile())
        .sort()
    : [];
  if (files.length === 0) {
    throw new AppError("conflict:timing_check", `There are no CSV files in ${sourceDir} to time ingestion and training on.`);
  }
  const started = performance.now();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "dra-timing-"));
  try {
    const copyDir = path.join(tmp, "source");
    fs.mkdirSync(copyDir);
    for (const f of files) fs.copyFileSync(path.join(sourceDir, f), path.join(copyDir, f));
    const template = path.join(tmp, "template.db");
    applyMigrations(`file:${template}`, cwd);
    const samples = { ingest: [] as number[], train: [] as number[] };
    let rows = 0;
    for (let i = 0; i < iterations; i++) {
      const file = path.join(tmp, `iteration-${i}.db`);
      fs.copyFileSync(template, file);
      const scratch = openScratchDb(`file:${file}`);
      try {
        const where = { source: "timing-check" };
        const { value: ingest, ms: ingestMs } = await timeStep(scratch.db, "ingest", () => ingestFolder(scratch.db, copyDir), where);
        samples.ingest.push(ingestMs);
        if (ingest.failed.length > 0 && ingest.ingested.length === 0) {
          throw new AppError("unprocessable:timing_check", `No file could be ingested: ${ingest.failed.map((f) => `${f.name}: ${f.message}`).join("; ")}`);
        }
        rows = (await countRecords(scratch.db)).rows;
        const { ms: trainMs } = await timeStep(scratch.db, "train", () => trainChecked(scratch.db), where);
        samples.train.push(trainMs);
      } finally {
        await scratch.close();
        fs.rmSync(file, { force: true });
      }
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const steps = {
      ingest: { meanMs: mean(samples.ingest), samplesMs: samples.ingest },
      train: { meanMs: mean(samples.train), samplesMs: samples.train },
    };
    for (const step of TIMING_CHECK_STEPS) await recordTiming(liveDb, { step, ms: steps[step].meanMs, source: "timing-check" });
    return { iterations, files, rows, steps, totalMs: performance.now() - started, checkedAt: new Date().toISOString() };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
