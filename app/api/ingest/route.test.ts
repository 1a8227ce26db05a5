import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { POST } from "@/app/api/ingest/route";
import { GET as getDatasets } from "@/app/api/datasets/route";
import { listRejectedRows } from "@/lib/db/datasets";
import { HEADER, TINY_DIR, getRequest, multipartRequest, tableCounts } from "@/lib/testing/api";
import { storedRows } from "@/lib/testing/stored-rows";
import { createTestDb, type TestDb } from "@/lib/testing/temp-db";
import { DatasetsResponse } from "@/lib/validations/core";
import { IngestResponse } from "@/lib/validations/ingest";

let t: TestDb;
beforeEach(() => {
  t = createTestDb();
  delete process.env.ADMIN_TOKEN;
  delete process.env.MAX_UPLOAD_MB;
});
afterEach(async () => {
  await t.cleanup();
});

const call = (req: Request) => POST(req, undefined);
const batch1 = fs.readFileSync(path.join(TINY_DIR, "batch1.csv"));
const batch2 = fs.readFileSync(path.join(TINY_DIR, "batch2.csv"));
const withProblems = `${HEADER}\na,10,100,5,0\nb,,300,15,1\nc,30,200,10,yes\nd,-1,1,1,0\n`;

describe("POST /api/ingest", () => {
  it("ingests several files (201), reports per-row problems and quarantines the rejected rows", async () => {
    const res = await call(
      multipartRequest("/api/ingest", [
        { name: "batch1.csv", content: batch1 },
        { name: "mixed.csv", content: withProblems },
      ]),
    );
    expect(res.status).toBe(201);
    const body = IngestResponse.parse(await res.json());
    expect(body.datasets.map((d) => [d.name, d.role, d.rowsRead, d.rowsAccepted, d.rejected, d.imputed, d.alreadyIngested])).toEqual([
      ["batch1.csv", "upload", 14, 14, 0, 0, false],
      ["mixed.csv", "upload", 4, 2, 2, 1, false],
    ]);
    expect(body.datasets[1].problems).toEqual([
      { row: 4, column: "exited", problem: 'must be 0 or 1, got "yes"' },
      { row: 5, column: "lastmonth_activity", problem: 'must not be negative: "-1"' },
    ]);
    expect(body.details).toEqual(body.datasets[1].problems.map((p) => ({ file: "mixed.csv", ...p })));
    expect(await storedRows(t.db)).toHaveLength(16);
    expect((await listRejectedRows(t.db)).map((r) => r.rowNumber).sort()).toEqual([4, 5]);
    expect(await t.db.stepTiming.count({ where: { step: "ingest", source: "api" } })).toBe(2);

    const ledger = DatasetsResponse.parse(await (await getDatasets(getRequest("/api/datasets"), undefined)).json());
    expect(ledger.datasets.map((d) => [d.name, d.rejected, d.imputed])).toEqual([
      ["batch1.csv", 0, 0],
      ["mixed.csv", 2, 1],
    ]);
    expect(ledger.datasets[1].sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("the same content again → 200 with alreadyIngested: true and nothing added", async () => {
    expect((await call(multipartRequest("/api/ingest", [{ name: "batch1.csv", content: batch1 }]))).status).toBe(201);
    const before = await tableCounts(t.db);
    const res = await call(multipartRequest("/api/ingest", [{ name: "renamed.csv", content: batch1 }]));
    expect(res.status).toBe(200);
    const body = IngestResponse.parse(await res.json());
    expect(body.datasets).toHaveLength(1);
    expect(body.datasets[0]).toMatchObject({ name: "batch1.csv", alreadyIngested: true, rowsAccepted: 14 });
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it("the same file uploaded twice at once is ingested once", async () => {
    const [a, b] = await Promise.all([
      call(multipartRequest("/api/ingest", [{ name: "batch1.csv", content: batch1 }])),
      call(multipartRequest("/api/ingest", [{ name: "batch1-copy.csv", content: batch1 }])),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    const bodies = [IngestResponse.parse(await a.json()), IngestResponse.parse(await b.json())];
    expect(bodies.map((x) => x.datasets[0].alreadyIngested).sort()).toEqual([false, true]);
    expect(await t.db.dataset.count()).toBe(1);
    expect(await storedRows(t.db)).toHaveLength(14);
  });

  it("dedupes rows across files and counts duplicates in the ledger", async () => {
    const res = await call(
      multipartRequest("/api/ingest", [
        { name: "batch1.csv", content: batch1 },
        { name: "batch2.csv", content: batch2 },
      ]),
    );
    const body = IngestResponse.parse(await res.json());
    expect(body.datasets[1].duplicates).toBe(2);
    expect(await storedRows(t.db)).toHaveLength(14 + 14 - 2);
  });

  describe("refuses unusable uploads with a 4xx JSON error and writes nothing", () => {
    const cases: [string, () => Request, number, string][] = [
      ["empty file", () => multipartRequest("/api/ingest", [{ name: "empty.csv", content: "" }]), 422, "unprocessable:csv"],
      ["header only", () => multipartRequest("/api/ingest", [{ name: "h.csv", content: HEADER + "\n" }]), 422, "unprocessable:csv"],
      [
        "missing columns (exited is required for training data)",
        () => multipartRequest("/api/ingest", [{ name: "nolabel.csv", content: "corporation,lastmonth_activity,lastyear_activity,number_of_employees\na,1,2,3\n" }]),
        422,
        "unprocessable:csv",
      ],
      [
        "a binary file",
        () => multipartRequest("/api/ingest", [{ name: "x.xlsx", content: Buffer.from([0x50, 0x4b, 3, 4, 0, 0, 0]) }]),
        415,
        "unsupported_media_type:csv",
      ],
      ["broken CSV syntax", () => multipartRequest("/api/ingest", [{ name: "q.csv", content: `${HEADER}\n"a,1,2,3,0\n` }]), 400, "bad_request:csv"],
      [
        "one good and one unusable file: the whole request is refused",
        () =>
          multipartRequest("/api/ingest", [
            { name: "batch1.csv", content: batch1 },
            { name: "empty.csv", content: "" },
          ]),
        422,
        "unprocessable:csv",
      ],
      [
        "wrong content type of the request",
        () => new Request("http://localhost/api/ingest", { method: "POST", headers: { "content-type": "text/csv" }, body: batch1 }),
        415,
        "unsupported_media_type:multipart",
      ],
      [
        "no file in the field",
        () => multipartRequest("/api/ingest", [{ name: "batch1.csv", content: batch1 }], { field: "upload" }),
        422,
        "unprocessable:upload",
      ],
      [
        "a broken multipart body",
        () =>
          new Request("http://localhost/api/ingest", {
            method: "POST",
            headers: { "content-type": "multipart/form-data; boundary=nope" },
            body: "garbage",
          }),
        400,
        "bad_request:multipart",
      ],
    ];
    for (const [name, build, status, code] of cases) {
      it(name, async () => {
        const before = await tableCounts(t.db);
        const res = await call(build());
        expect(res.status).toBe(status);
        const body = await res.json();
        expect(body.error.code).toBe(code);
        expect(body.error.message).toMatch(/\w+ \w+/);
        expect(await tableCounts(t.db)).toEqual(before);
      });
    }

    it("names the unusable file among several, with details per file", async () => {
      const res = await call(
        multipartRequest("/api/ingest", [
          { name: "batch1.csv", content: batch1 },
          { name: "nolabel.csv", content: "corporation,lastmonth_activity,lastyear_activity,number_of_employees\na,1,2,3\n" },
        ]),
      );
      const body = await res.json();
      expect(body.error.message).toContain("nolabel.csv");
      expect(body.error.details).toEqual([{ file: "nolabel.csv", row: 1, column: "exited", problem: "required column is missing" }]);
    });

    it("over MAX_UPLOAD_MB → 413, from Content-Length and while reading", async () => {
      process.env.MAX_UPLOAD_MB = "0.0001"; // ~104 bytes
      const before = await tableCounts(t.db);
      const declared = await call(multipartRequest("/api/ingest", [{ name: "batch1.csv", content: batch1 }], { headers: { "content-length": "99999999" } }));
      expect(declared.status).toBe(413);
      expect((await declared.json()).error.code).toBe("payload_too_large:body");
      const streamed = await call(multipartRequest("/api/ingest", [{ name: "batch1.csv", content: batch1 }]));
      expect(streamed.status).toBe(413);
      expect(await tableCounts(t.db)).toEqual(before);
    });
  });
});
