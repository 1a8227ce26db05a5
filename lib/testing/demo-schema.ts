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
  time: null,
  features: [
    { name: "lastmonth_activity", type: "numeric", min: 0, max: null },
    { name: "lastyear_activity", type: "numeric", min: 0, max: null },
    { name: "number_of_employees", type: "numeric", min: 0, max: null },
  ],
};
