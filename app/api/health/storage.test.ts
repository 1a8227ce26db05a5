import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { POST as ingest } from "@/app/api/ingest/route";
import { GET as datasets } from "@/app/api/datasets/route";
import { disconnectAll } from "@/lib/db/client";
import { closeSqliteConnections } from "@/lib/db/sqlite";
import { forgetStorageProblems } from "@/lib/db/storage-health";
import { getRequest, multipartRequest, ROOT } from "@/lib/testing/api";
import { healthNow } from "@/lib/testing/storage";
import { testDatabaseKind, useTestDb } from "@/lib/testing/temp-db";

/*
 * The storage block of /api/health (issue 20) beyond the reliability battery's scenarios
 * (app/api/battery-storage.test.ts: mid-file damage, a full volume, PostgreSQL's errors and a
 * standby): the free space against MIN_FREE_MB, and a SQLite file damaged from its third page on,
 * which cannot even be opened.
 */

const t = useTestDb();
const onPostgres = testDatabaseKind() === "postgresql";
const saved = { ...process.env };

afterEach(() => {
  if (saved.MIN_FREE_MB === undefined) delete process.env.MIN_FREE_MB;
  else process.env.MIN_FREE_MB = saved.MIN_FREE_MB;
  forgetStorageProblems();
});

describe("free space", () => {
  it.runIf(!onPostgres)("SQLite: degraded (200) while the file's volume has less free space than MIN_FREE_MB, with the free megabytes", async () => {
    process.env.MIN_FREE_MB = String(1e12);
    const { status, body } = await healthNow();
    expect(status).toBe(200);
    expect(body.status).toBe("degraded");
    expect(body.storage!.freeMb).toBeGreaterThan(0);
    expect(body.storage!.freeMb).toBeLessThan(1e12);
    expect(body.storage!.message).toMatch(/MB free on the database's volume/);
  });

  it.runIf(onPostgres)("PostgreSQL: the server's disk is not the app's to measure (freeMb null, MIN_FREE_MB does not apply); a primary is not in recovery", async () => {
    process.env.MIN_FREE_MB = String(1e12);
    const { status, body } = await healthNow();
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: "ok", storage: { status: "ok", freeMb: null, inRecovery: false } });
  });
});

describe.runIf(!onPostgres)("a SQLite file damaged from its third page on", () => {
  it("a read answers 503 database_damaged; /api/health is 503 naming it and when it was first seen, and keeps the first sighting", async () => {
    process.env.MIN_FREE_MB = "0";
    // Some data, so that the file has pages beyond the schema's; then pages 3.. overwritten.
    const jan = fs.readFileSync(path.join(ROOT, "data/sourcedata/clients_2024-01.csv"));
    const r = await ingest(multipartRequest("/api/ingest", [{ name: "jan.csv", content: jan }]), undefined);
    expect(r.status).toBe(201);
    closeSqliteConnections();
    await disconnectAll();
    const fd = fs.openSync(t.file, "r+");
    const size = fs.fstatSync(fd).size;
    const pageSize = 4096;
    for (let off = 2 * pageSize; off < size; off += pageSize) fs.writeSync(fd, Buffer.alloc(pageSize, 0x5a), 0, pageSize, off);
    fs.closeSync(fd);
    fs.rmSync(`${t.file}-wal`, { force: true });
    fs.rmSync(`${t.file}-shm`, { force: true });

    const res = await datasets(getRequest("/api/datasets"), undefined);
    expect(res.status).toBe(503);
    expect((await res.json()).error).toMatchObject({ code: "unavailable:database_damaged", message: expect.stringMatching(/damaged.*check-db/) });

    const { status, body } = await healthNow();
    expect(status).toBe(503);
    expect(body.storage).toMatchObject({ status: "down", damaged: { firstSeenAt: expect.any(String), message: expect.stringMatching(/malformed|not a database/) } });
    const first = body.storage!.damaged!.firstSeenAt;
    await datasets(getRequest("/api/datasets"), undefined);
    expect((await healthNow()).body.storage!.damaged!.firstSeenAt).toBe(first); // the first sighting, kept
  });
});
