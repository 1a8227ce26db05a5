import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { GET as health } from "@/app/api/health/route";
import { POST as ingest } from "@/app/api/ingest/route";
import { GET as datasets } from "@/app/api/datasets/route";
import { disconnectAll } from "@/lib/db/client";
import { closeSqliteConnections, sqliteConnection } from "@/lib/db/sqlite";
import { forgetStorageProblems } from "@/lib/db/storage-health";
import { getRequest, ROOT } from "@/lib/testing/api";
import { useTestDb } from "@/lib/testing/temp-db";
import { HealthResponse } from "@/lib/validations/core";

/*
 * A full volume and a damaged database file, as the server meets them (issue 20): the volume is
 * "full" through SQLite's max_page_count (SQLITE_MAX_PAGE_COUNT caps every connection, the job's
 * worker thread's too), so no root and no real disk is needed; the damage is pages of the file
 * overwritten in the middle, as a failing disk or a bad copy leaves them.
 */

const t = useTestDb();
const saved = { ...process.env };

afterEach(() => {
  for (const k of ["SQLITE_MAX_PAGE_COUNT", "MIN_FREE_MB"]) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
  forgetStorageProblems();
});

async function healthNow() {
  const res = await health(getRequest("/api/health"), undefined);
  return { status: res.status, body: HealthResponse.parse(await res.json()) };
}

function upload(csv: string, name = "big.csv"): Request {
  const form = new FormData();
  form.append("file", new Blob([csv], { type: "text/csv" }), name);
  return new Request("http://localhost/api/ingest", { method: "POST", body: form });
}

/** Demo-schema rows enough to need a few MB of pages. */
function demoRows(n: number): string {
  const lines = ["corporation,lastmonth_activity,lastyear_activity,number_of_employees,exited"];
  for (let i = 0; i < n; i++) lines.push(`c${i},${i % 977},${(i * 7) % 10007},${i % 313},${i % 2}`);
  return `${lines.join("\n")}\n`;
}

describe("a full volume", () => {
  it("answers 507 disk_full naming the file's volume, stores nothing, makes /api/health degraded (200) until there is room again", async () => {
    process.env.MIN_FREE_MB = "0";
    const pages = sqliteConnection(t.url).pragma("page_count", { simple: true }) as number;
    process.env.SQLITE_MAX_PAGE_COUNT = String(pages + 100); // 400 KiB of room: far less than the upload needs
    closeSqliteConnections();
    await disconnectAll();

    const res = await ingest(upload(demoRows(200_000)), undefined);
    expect(res.status).toBe(507);
    const body = await res.json();
    expect(body.error.code).toBe("insufficient_storage:disk_full");
    expect(body.error.message).toContain(path.dirname(t.file));
    expect(body.error.message).toMatch(/Free space there/);
    expect(await t.db.dataset.count()).toBe(0); // nothing partial

    const during = await healthNow();
    expect(during.status).toBe(200);
    expect(during.body.status).toBe("degraded");
    expect(during.body.storage).toMatchObject({ status: "degraded", lastFull: { message: expect.stringMatching(/full/) } });

    delete process.env.SQLITE_MAX_PAGE_COUNT; // the room is back
    const after = await healthNow();
    expect(after.body.storage).toMatchObject({ status: "ok", lastFull: null });
    expect(after.body.status).toBe("ok");
  });

  it("is degraded while the volume has less free space than MIN_FREE_MB, with the free megabytes", async () => {
    process.env.MIN_FREE_MB = String(1e12);
    const { status, body } = await healthNow();
    expect(status).toBe(200);
    expect(body.status).toBe("degraded");
    expect(body.storage!.freeMb).toBeGreaterThan(0);
    expect(body.storage!.message).toMatch(/MB free on the database's volume/);
  });
});

describe("a damaged database file", () => {
  it("a read that meets the damage answers 503 database_damaged; /api/health is 503 naming it and when it was first seen", async () => {
    process.env.MIN_FREE_MB = "0";
    // Some data, so that the file has pages beyond the schema's; then pages 3.. overwritten.
    const r = await ingest(upload(fs.readFileSync(path.join(ROOT, "data/sourcedata/clients_2024-01.csv"), "utf8"), "jan.csv"), undefined);
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
