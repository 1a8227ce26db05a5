import Database from "better-sqlite3";

/*
 * Before the any-schema migration (prisma/sqlite/migrations/20261207120000_any_schema_storage)
 * runs on a SQLite database of the old layout: give every file that has training rows in the old
 * `Record` table but no `DatasetColumns` row (files ingested before 20261129150000_dataset_columns,
 * which did not back-fill) its column blobs, as the code of that time wrote them — one Float64 blob
 * per feature column, the labels, and the per-row mask of imputed features (bit j = feature j, in
 * the table's column order). The migration then moves every file's blobs into the new layout in
 * SQL; without this step it would drop those files' records. (PostgreSQL builds the same blobs
 * inside its migration: it can write a double's bytes in SQL, SQLite cannot.)
 *
 * Generic over the old feature columns: they are the old Record table's columns other than the
 * fixed ones, and `imputedColumns` named them in snake_case.
 */

const FIXED = new Set(["id", "datasetId", "rowKey", "corporation", "exited", "imputedColumns"]);

const snake = (camel: string) => camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** Whether the database still has the old layout (a Record table with an `exited` column). */
function oldLayout(db: Database.Database): string[] | null {
  const cols = db.prepare(`SELECT name FROM pragma_table_info('Record')`).pluck().all() as string[];
  if (!cols.includes("exited")) return null;
  return cols.filter((c) => !FIXED.has(c));
}

/** Back-fill the old layout's blobs of files that lack them (one transaction); returns how many files got them. */
export function backfillLegacyBlobs(file: string): number {
  const db = new Database(file, { fileMustExist: true });
  try {
    const features = oldLayout(db);
    if (!features) return 0;
    const missing = db.prepare(`SELECT DISTINCT "datasetId" FROM "Record" WHERE "datasetId" NOT IN (SELECT "datasetId" FROM "DatasetColumns") ORDER BY 1`).pluck().all() as number[];
    if (missing.length === 0) return 0;
    const read = db.prepare(`SELECT "id", ${features.map((f) => `"${f}"`).join(", ")}, "exited", "imputedColumns" FROM "Record" WHERE "datasetId" = ? ORDER BY "id"`).raw();
    const insert = db.prepare(
      `INSERT INTO "DatasetColumns" ("datasetId", "rows", "firstId", "lastId", ${features.map((f) => `"${f}"`).join(", ")}, "exited", "imputed") VALUES (${Array(features.length + 6).fill("?").join(", ")})`,
    );
    db.transaction(() => {
      for (const datasetId of missing) {
        const rows = read.all(datasetId) as (number | string)[][];
        const values = features.map(() => new Float64Array(rows.length));
        const exited = new Uint8Array(rows.length);
        const imputed = new Uint8Array(rows.length);
        rows.forEach((r, i) => {
          features.forEach((f, j) => {
            values[j][i] = r[1 + j] as number;
            if ((r[features.length + 2] as string).split(",").includes(snake(f))) imputed[i] |= 1 << j;
          });
          exited[i] = r[features.length + 1] as number;
        });
        const bytes = (a: Float64Array | Uint8Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
        insert.run(datasetId, rows.length, rows[0][0], rows[rows.length - 1][0], ...values.map(bytes), bytes(exited), bytes(imputed));
      }
    })();
    return missing.length;
  } finally {
    db.close();
  }
}
