import fs from "node:fs";
import path from "node:path";
import type { DataColumns } from "../schema/columns";
import type { DataSchema } from "../schema/types";

/**
 * The course's data (data/sourcedata, data/testdata) as a schema: the same as data/schema.json,
 * for tests that build rows by hand. The product itself reads the schema from the file or the
 * database, never from here.
 */
export const DEMO_SCHEMA: DataSchema = {
  id: "corporation",
  label: "exited",
  positive: "1",
  negative: "0",
  // each demo source row carries its month (issue 18); other demo files (test data, samples) leave it out
  time: "month",
  features: [
    { name: "lastmonth_activity", type: "numeric", min: 0, max: null },
    { name: "lastyear_activity", type: "numeric", min: 0, max: null },
    { name: "number_of_employees", type: "numeric", min: 0, max: null },
  ],
};

/** data/testdata/testdata.csv (corporation, the three features, exited; no empty cell) as columns of the demo schema. */
export function demoTestColumns(): DataColumns {
  const [, ...lines] = fs.readFileSync(path.join(__dirname, "../../data/testdata/testdata.csv"), "utf8").trim().split("\n");
  const cells = lines.map((l) => l.split(","));
  const n = cells.length;
  const features = Object.fromEntries(
    DEMO_SCHEMA.features.map((f, j) => [f.name, { type: "numeric" as const, values: Float64Array.from(cells, (c) => Number(c[j + 1])), missing: new Uint8Array(n) }]),
  );
  return { n, features, label: Uint8Array.from(cells, (c) => Number(c[4])), time: null, maxId: 0 };
}
