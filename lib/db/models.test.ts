import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { useTestDb } from "../testing/temp-db";
import { createModelVersion } from "./models";

const ROOT = path.join(__dirname, "../..");
const t = useTestDb();

const version = { algorithm: "logistic-regression", hyperParameters: {}, weights: {}, scaler: {}, trainedRows: 1, maxRecordId: 0, trainingMs: 1 };

describe("createModelVersion", () => {
  it("trainings finishing at once in two processes (a run's challenger and POST /api/train) each get their own version", async () => {
    // another process stores versions for 2 s while this one does, both starting when the other is ready
    const SECONDS = 2;
    const script = `
      const { getDb } = require("./lib/db/client");
      const { createModelVersion } = require("./lib/db/models");
      (async () => {
        const db = getDb(process.env.DATABASE_URL);
        await db.modelVersion.count();
        process.stdout.write("ready\\n");
        const end = Date.now() + ${SECONDS} * 1000;
        while (Date.now() < end) await createModelVersion(db, ${JSON.stringify(version)});
      })().then(() => process.exit(0), (e) => { console.error(e.message); process.exit(1); });`;
    const child = spawn(process.execPath, [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), "-e", script], { cwd: ROOT, env: { ...process.env, DATABASE_URL: t.url }, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    await new Promise<void>((resolve) => child.stdout.on("data", (d) => String(d).includes("ready") && resolve()));
    const mine = [];
    const end = Date.now() + SECONDS * 1000;
    while (Date.now() < end) mine.push((await createModelVersion(t.db, version)).version);
    expect(await exited, stderr).toBe(0);
    const versions = (await t.db.modelVersion.findMany({ orderBy: { version: "asc" } })).map((m) => m.version);
    expect(versions).toEqual(Array.from({ length: versions.length }, (_, i) => i + 1));
    // the two processes did write at the same time: this one's versions are not one contiguous block
    expect(mine[mine.length - 1] - mine[0]).toBeGreaterThan(mine.length - 1);
  }, 60_000);
});
