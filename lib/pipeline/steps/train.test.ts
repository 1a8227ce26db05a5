import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ingestFile, ingestFolder } from "../../ingestion/ingest";
import { loadTestData } from "../../ingestion/test-data";
import { tableCounts, TINY_DIR, TINY_TEST_DATA } from "../../testing/api";
import { useTestDb } from "../../testing/temp-db";
import { trainStep } from "./train";

/*
 * The train step behind POST /api/train, the full process and `npm run pipeline -- train`
 * refuses data it cannot train on with the API's errors, before it writes anything (not even a
 * timing). app/api/train/route.test.ts checks the same through the route.
 */

const HEADER = "corporation,lastmonth_activity,lastyear_activity,number_of_employees,exited";

const t = useTestDb();

async function expectRefused(run: () => Promise<unknown>, code: string, message?: RegExp) {
  const before = await tableCounts(t.db);
  await expect(run()).rejects.toMatchObject({ code, ...(message ? { message: expect.stringMatching(message) } : {}) });
  expect(await tableCounts(t.db)).toEqual(before);
}

describe("trainStep preconditions", () => {
  const ctx = () => ({ db: t.db, trigger: "cli" });

  it("no training records → conflict:no_training_data (also without test data to check)", async () => {
    await expectRefused(() => trainStep(ctx()), "conflict:no_training_data");
    await expectRefused(() => trainStep(ctx(), { testPath: TINY_TEST_DATA }), "conflict:no_training_data");
  });

  it("too few rows → unprocessable:training", async () => {
    await ingestFile(t.db, { name: "few.csv", content: Buffer.from(`${HEADER}\na,1,2,3,0\nb,4,5,6,1\n`), role: "upload" });
    await expectRefused(() => trainStep(ctx(), { testPath: TINY_TEST_DATA }), "unprocessable:training", /at least 10 labelled rows; there are 2/);
  });

  it("one class → unprocessable:training", async () => {
    // Stored records cannot be deleted (a file's rows are one blob): the one-class training set is a file of negatives alone.
    const oneClass = Array.from({ length: 12 }, (_, i) => `c${i},${i},${i * 10},${i},0`).join("\n");
    await ingestFile(t.db, { name: "one.csv", content: Buffer.from(`${HEADER}\n${oneClass}\n`), role: "upload" });
    await expectRefused(() => trainStep(ctx()), "unprocessable:training", /both label values; all 12 rows have the negative one/);
  });

  it("missing test data → conflict:test_data; max-f1 on test data without an exited client → unprocessable:threshold", async () => {
    await ingestFolder(t.db, TINY_DIR, { exclude: [TINY_TEST_DATA] });
    await expectRefused(() => trainStep(ctx(), { testPath: path.join(t.dir, "missing.csv") }), "conflict:test_data");
    const noExited = path.join(t.dir, "no-exited.csv");
    fs.writeFileSync(noExited, `${HEADER}\n${Array.from({ length: 5 }, (_, i) => `t${i},${i},${i * 10},${i},0`).join("\n")}\n`);
    await loadTestData(t.db, noExited); // reading a test file registers it in the ledger (role test), refused or not
    await expectRefused(() => trainStep(ctx(), { threshold: "max-f1", testPath: noExited }), "unprocessable:threshold");
  });

  it("trainable data → a model version and its timing", async () => {
    await ingestFolder(t.db, TINY_DIR, { exclude: [TINY_TEST_DATA] });
    const m = await trainStep(ctx(), { testPath: TINY_TEST_DATA });
    expect(m.version).toBe(1);
    expect(await t.db.stepTiming.count({ where: { step: "train", source: "cli" } })).toBe(1);
  });
});
