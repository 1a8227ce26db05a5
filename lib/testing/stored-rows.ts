import { databaseUrlOf, type Db } from "../db/client";
import { readTrainingColumns, type RecordFilter } from "../db/columns";
import { decodeIds } from "../db/kept-columns";
import { currentSchema } from "../db/stored-schema";

/*
 * The stored training rows as objects, for tests that list what an ingestion kept (there is no
 * table with one row per record: a file's rows are DatasetColumns + ColumnBlob blobs). Built from
 * readTrainingColumns (the product's own read) and each file's DatasetColumns.ids.
 */

export interface StoredRow {
  /** the record id (DatasetColumns firstId..lastId) */
  recordId: number;
  datasetId: number;
  /** the id column's cell (null when the schema has no id) */
  id: string | null;
  /** by feature name: a numeric value as stored (an empty cell holds the imputation mean), or a categorical level */
  values: Record<string, number | string>;
  /** the numeric features whose cell was empty in the file (imputed with the mean), in schema order */
  imputed: string[];
  /** 1 = the schema's positive label value */
  label: number;
}

/** The stored rows that match `filter`, in record id order, with the stored schema's features. */
export async function storedRows(db: Db, filter: RecordFilter = {}): Promise<StoredRow[]> {
  const schema = await currentSchema(db);
  const cols = await readTrainingColumns(databaseUrlOf(db), schema, filter);
  const files = await db.datasetColumns.findMany({
    where: {
      ...(filter.maxId !== undefined ? { firstId: { lte: filter.maxId } } : {}),
      ...(filter.datasetIds !== undefined ? { datasetId: { in: [...filter.datasetIds] } } : {}),
    },
    orderBy: { firstId: "asc" },
    select: { datasetId: true, firstId: true, rows: true, ids: true },
  });
  const out: StoredRow[] = [];
  for (const file of files) {
    const ids = file.ids ? decodeIds(file.ids) : null;
    for (let k = 0; k < file.rows; k++) {
      const i = out.length;
      const values: Record<string, number | string> = {};
      const imputed: string[] = [];
      for (const f of schema.features) {
        const c = cols.features[f.name];
        if (c.type === "numeric") {
          values[f.name] = c.values[i];
          if (c.missing[i]) imputed.push(f.name);
        } else values[f.name] = c.levels[c.codes[i]];
      }
      out.push({ recordId: file.firstId + k, datasetId: file.datasetId, id: ids ? ids[k] : null, values, imputed, label: cols.label[i] });
    }
  }
  if (out.length !== cols.n) throw new Error(`the files list ${out.length} rows where the columns hold ${cols.n}`);
  return out;
}
