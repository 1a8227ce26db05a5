import { loadConfig } from "../config";
import { AppError } from "../errors";
import { canonicalSchemaJson, loadSchemaFile, parseSchema, schemaDifferences, schemaFileForm } from "../schema/parse";
import type { DataSchema } from "../schema/types";
import { databaseUrlOf, type Db } from "./client";

/*
 * The schema of the stored data (DESIGN.md "Schema"). The first ingestion stores the schema it
 * used (StoredSchema, one row; written inside the ingestion's transaction by the bulk path);
 * the stored one is the truth afterwards. Before that, SCHEMA_FILE (default data/schema.json)
 * says what the first file will be read with. A schema once stored never changes (a different
 * schema needs a new database), so it is cached per database once read.
 */

const cache = new Map<string, DataSchema>();

/** The JSON the bulk path stores (the canonical form, so two schemas compare as strings). */
export function canonicalStoredSchemaJson(schema: DataSchema): string {
  return canonicalSchemaJson(schema);
}

/** The stored schema, or null before the first ingestion. */
export async function readStoredSchema(db: Db): Promise<DataSchema | null> {
  const url = databaseUrlOf(db);
  const cached = cache.get(url);
  if (cached) return cached;
  const row = await db.storedSchema.findUnique({ where: { id: 1 } });
  if (!row) return null;
  const schema = parseStored(row.json);
  cache.set(url, schema);
  return schema;
}

/** Stored in the canonical (list) form: back to the file form for the one validator. */
function parseStored(json: string): DataSchema {
  return parseSchema(schemaFileForm(JSON.parse(json) as DataSchema), "the database's stored schema");
}

/** The schema file the configuration names (SCHEMA_FILE, default data/schema.json). */
export function configuredSchema(): DataSchema {
  return loadSchemaFile(loadConfig().SCHEMA_FILE ?? "data/schema.json");
}

/** The schema every layer works with: the stored one, or the configured file's before the first ingestion. */
export async function currentSchema(db: Db): Promise<DataSchema> {
  return (await readStoredSchema(db)) ?? configuredSchema();
}

/**
 * The start-up check: when SCHEMA_FILE is set explicitly and a schema is stored, they must be the
 * same (AppError conflict:schema naming each difference). Unset, the stored schema is used as it is.
 */
export async function checkConfiguredSchema(db: Db): Promise<void> {
  const file = loadConfig().SCHEMA_FILE;
  const wanted = file ? loadSchemaFile(file) : configuredSchema();
  const stored = await readStoredSchema(db);
  if (!stored || !file) return;
  const differences = schemaDifferences(stored, wanted);
  if (differences.length === 0) return;
  throw new AppError(
    "conflict:schema",
    `SCHEMA_FILE ${file} differs from the schema stored in the database: ${differences.join("; ")}. ` +
      "A schema change needs a new database (point DATABASE_URL at a new file), or unset SCHEMA_FILE to keep the stored schema.",
  );
}

/** Forget the cached schemas (tests that reuse a database URL after deleting it). */
export function forgetStoredSchemas(): void {
  cache.clear();
}

/**
 * Store `schema` as the database's (the set-up page, a replay given a schema). The same schema
 * stored already is fine; a different one is AppError conflict:schema (a schema change needs a new
 * database), as is data ingested under the configured schema before.
 */
export async function storeSchema(db: Db, schema: DataSchema): Promise<void> {
  const stored = await readStoredSchema(db);
  if (stored) {
    const differences = schemaDifferences(stored, schema);
    if (differences.length === 0) return;
    throw new AppError("conflict:schema", `The database already stores a different schema (${differences.join("; ")}). A schema change needs a new database (point DATABASE_URL at a new file).`);
  }
  if ((await db.datasetColumns.count()) > 0) {
    throw new AppError("conflict:schema", "The database already holds training data; a schema can only be set on a new database (point DATABASE_URL at a new file).");
  }
  await db.storedSchema.upsert({ where: { id: 1 }, create: { id: 1, json: canonicalStoredSchemaJson(schema) }, update: {} });
}

/** The hold-out a replay stored for this database (StoredSchema.testData); null: the TEST_DATA setting holds. */
export async function storedTestData(db: Db): Promise<string | null> {
  const row = await db.storedSchema.findUnique({ where: { id: 1 }, select: { testData: true } });
  return row?.testData ?? null;
}

/** Name the hold-out this database's models are scored on from now on (a replay that held rows out). */
export async function setStoredTestData(db: Db, path: string): Promise<void> {
  await db.storedSchema.update({ where: { id: 1 }, data: { testData: path } });
}
