import { FEATURES, type Feature } from "../domain";
import { sqliteConnection } from "./sqlite";

/*
 * Training records as columns of typed arrays, read with `.raw()` rows on the plain
 * connection (lib/db/sqlite.ts): no object per record, ~30 bytes per record in memory.
 * Training, scoring of new rows, feature drift and the summary statistics read them here.
 */

export interface TrainingColumns {
  /** number of records */
  n: number;
  /** feature values as stored (imputed cells hold the imputation mean) */
  x: Record<Feature, Float64Array>;
  /** 1 where the cell was empty in its file and was imputed */
  imputed: Record<Feature, Uint8Array>;
  exited: Uint8Array;
  /** highest Record.id read (0 when none) */
  maxId: number;
}

export interface RecordFilter {
  /** records with id ≤ maxId (a model's training set) */
  maxId?: number;
  /** records of these datasets */
  datasetIds?: readonly number[];
}

function whereOf(filter: RecordFilter): { sql: string; args: number[] } {
  const parts: string[] = [];
  const args: number[] = [];
  if (filter.maxId !== undefined) {
    parts.push("id <= ?");
    args.push(filter.maxId);
  }
  if (filter.datasetIds !== undefined) {
    parts.push(filter.datasetIds.length ? `datasetId IN (${filter.datasetIds.map(() => "?").join(", ")})` : "0");
    args.push(...filter.datasetIds);
  }
  return { sql: parts.length ? `WHERE ${parts.join(" AND ")}` : "", args };
}

export function countTrainingRecords(databaseUrl: string, filter: RecordFilter = {}): { n: number; ones: number; maxId: number } {
  const { sql, args } = whereOf(filter);
  const r = sqliteConnection(databaseUrl)
    .prepare(`SELECT count(*), coalesce(sum(exited), 0), coalesce(max(id), 0) FROM "Record" ${sql}`)
    .raw()
    .get(...args) as [number, number, number];
  return { n: r[0], ones: r[1], maxId: r[2] };
}

/** Read the records that match `filter` into typed arrays, in id order. */
export function readTrainingColumns(databaseUrl: string, filter: RecordFilter = {}): TrainingColumns {
  const db = sqliteConnection(databaseUrl);
  const { sql, args } = whereOf(filter);
  // Read inside one transaction so the count and the rows agree while others write.
  return db.transaction(() => {
    const { n } = countTrainingRecords(databaseUrl, filter);
    const x = { lastmonth_activity: new Float64Array(n), lastyear_activity: new Float64Array(n), number_of_employees: new Float64Array(n) };
    const imputed = { lastmonth_activity: new Uint8Array(n), lastyear_activity: new Uint8Array(n), number_of_employees: new Uint8Array(n) };
    const exited = new Uint8Array(n);
    const stmt = db.prepare(`SELECT id, lastmonthActivity, lastyearActivity, numberOfEmployees, exited, imputedColumns FROM "Record" ${sql} ORDER BY id`).raw();
    let i = 0;
    let maxId = 0;
    for (const r of stmt.iterate(...args) as IterableIterator<[number, number, number, number, number, string]>) {
      if (i >= n) break;
      maxId = r[0];
      x.lastmonth_activity[i] = r[1];
      x.lastyear_activity[i] = r[2];
      x.number_of_employees[i] = r[3];
      exited[i] = r[4];
      if (r[5] !== "") for (const f of FEATURES) if (r[5].includes(f)) imputed[f][i] = 1;
      i++;
    }
    return { n: i, x, imputed, exited, maxId };
  })();
}

/** The observed (not imputed) values of one feature. */
export function observedValues(cols: TrainingColumns, f: Feature): Float64Array {
  const mask = cols.imputed[f];
  let m = 0;
  for (let i = 0; i < cols.n; i++) if (!mask[i]) m++;
  if (m === cols.n) return cols.x[f].subarray(0, cols.n);
  const out = new Float64Array(m);
  let j = 0;
  for (let i = 0; i < cols.n; i++) if (!mask[i]) out[j++] = cols.x[f][i];
  return out;
}
