import path from "node:path";
import { describe, expect, it } from "vitest";
import { ingestFile, ingestFolder } from "../ingestion/ingest";
import { useTestDb } from "../testing/temp-db";
import { readTrainingColumns, readTrainingColumnsFromBlobs, readTrainingColumnsRowByRow } from "./columns";

const TINY = path.join(__dirname, "../../data/samples/tiny");
const header = "corporation,lastmonth_activity,lastyear_activity,number_of_employees,exited\n";

const t = useTestDb();

describe("training records as columns", () => {
  it("reads the same columns from the files' blobs as from the records, for every filter, and falls back without blobs", async () => {
    await ingestFolder(t.db, TINY, { exclude: [path.join(TINY, "testdata.csv")] });
    const imputedFile = await ingestFile(t.db, { name: "gaps.csv", content: Buffer.from(header + "g1,,5,6,1\ng2,7,,9,0\ng3,1,2,,1\n"), role: "upload" });
    await ingestFile(t.db, { name: "last.csv", content: Buffer.from(header + "h1,3,4,5,0\nh2,6,7,8,1\n"), role: "upload" });
    const maxId = imputedFile.dataset.id; // any id; the first files' last record id comes from the database:
    const firstFilesLastId = (await t.db.record.aggregate({ where: { datasetId: { lte: 3 } }, _max: { id: true } }))._max.id!;
    expect(await t.db.datasetColumns.count()).toBe(5);

    const filters = [{}, { maxId: firstFilesLastId }, { datasetIds: [imputedFile.dataset.id] }, { datasetIds: [1, 5] }, { datasetIds: [] }];
    for (const filter of filters) {
      const fromBlobs = await readTrainingColumnsFromBlobs(t.url, filter);
      const fromRows = await readTrainingColumnsRowByRow(t.url, filter);
      expect(fromBlobs, JSON.stringify(filter)).not.toBeNull();
      expect(fromBlobs, JSON.stringify(filter)).toEqual(fromRows);
      expect(await readTrainingColumns(t.url, filter)).toEqual(fromRows);
    }
    const gaps = await readTrainingColumns(t.url, { datasetIds: [maxId] });
    expect(Array.from(gaps.imputed.lastmonth_activity)).toEqual([1, 0, 0]);
    expect(Array.from(gaps.imputed.number_of_employees)).toEqual([0, 0, 1]);
    const stored = await t.db.record.findMany({ where: { datasetId: maxId }, orderBy: { id: "asc" } });
    expect(Array.from(gaps.x.lastmonth_activity)).toEqual(stored.map((r) => r.lastmonthActivity));

    // a file without blobs (ingested before they existed): read from the records
    await t.db.datasetColumns.deleteMany({ where: { datasetId: 2 } });
    expect(await readTrainingColumnsFromBlobs(t.url)).toBeNull();
    expect(await readTrainingColumns(t.url)).toEqual(await readTrainingColumnsRowByRow(t.url));
  });
});
