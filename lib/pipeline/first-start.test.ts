import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { getCurrentDeployment } from "../db/models";
import { useTestDb } from "../testing/temp-db";
import { ensureDeployedModel } from "./first-start";

const TINY = path.join(__dirname, "../../data/samples/tiny");

const t = useTestDb();

describe("ensureDeployedModel (what npm start does before serving)", () => {
  it("with an empty source folder leaves no model and says so", async () => {
    const empty = fs.mkdtempSync(path.join(t.dir, "empty-"));
    const r = await ensureDeployedModel({ db: t.db, trigger: "first-start" }, { sourceDir: empty, testData: path.join(TINY, "testdata.csv") });
    expect(r.deployed).toBeNull();
    expect(r.message).toMatch(/no training data/);
    expect(await getCurrentDeployment(t.db)).toBeNull();
  });

  it("trains and deploys a first model once, and a second start adds nothing", async () => {
    const opts = { sourceDir: TINY, testData: path.join(TINY, "testdata.csv") };
    const first = await ensureDeployedModel({ db: t.db, trigger: "first-start" }, opts);
    expect(first.deployed?.modelVersion).toBe(1);
    expect(first.ingest.ingested).toHaveLength(3);
    const d = await getCurrentDeployment(t.db);
    expect(d?.reason).toMatch(/^first model/);
    expect(d?.trigger).toBe("first-start");

    const second = await ensureDeployedModel({ db: t.db, trigger: "first-start" }, opts);
    expect(second.deployed).toBeNull();
    expect(second.ingest.ingested).toHaveLength(0);
    expect((await getCurrentDeployment(t.db))?.id).toBe(d?.id);
  });
});
