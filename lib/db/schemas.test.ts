import { execFileSync, spawnSync } from "node:child_process";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createTestDb, testDatabaseKind, type TestDb } from "../testing/temp-db";

/*
 * One model source (prisma/models.prisma) for both databases: the generated schemas are up to
 * date, and each provider's migrations build exactly its schema (`prisma migrate diff` from the
 * migrations to the datamodel finds nothing). Runs in both vitest projects, each for its database.
 */

const ROOT = path.join(__dirname, "../..");
let t: TestDb | null = null;
afterAll(async () => {
  await t?.cleanup();
});

describe("schemas", () => {
  it("prisma/sqlite and prisma/postgresql schemas are generated from prisma/models.prisma (gen-schemas --check)", () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, "scripts/gen-schemas.mjs"), "--check"], { cwd: ROOT, encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it(`the ${testDatabaseKind()} migrations match the schema`, () => {
    const kind = testDatabaseKind();
    // The PostgreSQL CLI connects even for a diff (its shadow database is made on that server).
    const url = kind === "postgresql" ? (t = createTestDb()).url : "file::memory:";
    const out = execFileSync(
      process.execPath,
      [
        path.join(ROOT, "node_modules/prisma/build/index.js"),
        "migrate", "diff",
        "--from-migrations", `prisma/${kind}/migrations`,
        "--to-schema-datamodel", `prisma/${kind}/schema.prisma`,
        "--exit-code",
      ],
      { cwd: ROOT, env: { ...process.env, DATABASE_URL: url, PRISMA_HIDE_UPDATE_MESSAGE: "1" }, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 120_000 },
    );
    expect(out).toMatch(/No difference detected/);
  });
});
