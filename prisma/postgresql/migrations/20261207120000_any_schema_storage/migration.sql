-- Storage for any schema (issue 17), as prisma/sqlite/migrations/20261207120000_any_schema_storage. No table holds one row per training record any more: a file's
-- rows are blobs (DatasetColumns: record ids firstId..lastId, labels, times, the id column, row-key
-- hashes; one ColumnBlob per feature), a categorical feature's dictionary is CategoryLevel, the
-- schema is StoredSchema. What the previous layout stored (the course's schema: a Record row per
-- record, a DatasetColumns blob per feature) moves here: the feature blobs were already Float64
-- arrays in record order; the per-row imputation mask (bit j = feature j was imputed) becomes each
-- feature's missing map (one byte per row) through hex text; the ids and labels are gathered from
-- Record in id order; the row keys are kept as text (legacyKeys) for the next ingestion to hash.


CREATE TABLE "StoredSchema" (
    "id" INTEGER NOT NULL,
    "json" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StoredSchema_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "ColumnBlob" (
    "datasetId" INTEGER NOT NULL,
    "column" TEXT NOT NULL,
    "values" BYTEA NOT NULL,
    "missing" BYTEA NOT NULL,

    CONSTRAINT "ColumnBlob_pkey" PRIMARY KEY ("datasetId","column")
);

CREATE TABLE "CategoryLevel" (
    "column" TEXT NOT NULL,
    "code" INTEGER NOT NULL,
    "value" TEXT NOT NULL,

    CONSTRAINT "CategoryLevel_pkey" PRIMARY KEY ("column","code")
);
CREATE UNIQUE INDEX "CategoryLevel_column_value_key" ON "CategoryLevel"("column", "value");

ALTER TABLE "Dataset" ADD COLUMN "ignoredColumns" TEXT NOT NULL DEFAULT '[]';
ALTER TABLE "ModelVersion" ADD COLUMN "encoding" TEXT;

INSERT INTO "StoredSchema" ("id", "json") SELECT 1, '{"id":"corporation","label":"exited","positive":"1","negative":"0","time":null,"features":[{"name":"lastmonth_activity","type":"numeric","min":0,"max":null},{"name":"lastyear_activity","type":"numeric","min":0,"max":null},{"name":"number_of_employees","type":"numeric","min":0,"max":null}]}' WHERE EXISTS (SELECT 1 FROM "Record");

-- Files ingested before DatasetColumns existed (20261129150000 did not back-fill) get the blobs
-- that code would have written, so that the moves below keep their records: each double's 8 bytes
-- (float8send is big-endian; the blobs are the app's little-endian Float64Array bytes), the labels,
-- and the imputation mask (bit j = feature j).
INSERT INTO "DatasetColumns" ("datasetId", "rows", "firstId", "lastId", "lastmonthActivity", "lastyearActivity", "numberOfEmployees", "exited", "imputed")
SELECT "datasetId", count(*), min("id"), max("id"),
       decode(string_agg(substr(encode(float8send("lastmonthActivity"), 'hex'), 15, 2)||substr(encode(float8send("lastmonthActivity"), 'hex'), 13, 2)||substr(encode(float8send("lastmonthActivity"), 'hex'), 11, 2)||substr(encode(float8send("lastmonthActivity"), 'hex'), 9, 2)||substr(encode(float8send("lastmonthActivity"), 'hex'), 7, 2)||substr(encode(float8send("lastmonthActivity"), 'hex'), 5, 2)||substr(encode(float8send("lastmonthActivity"), 'hex'), 3, 2)||substr(encode(float8send("lastmonthActivity"), 'hex'), 1, 2), '' ORDER BY "id"), 'hex'), decode(string_agg(substr(encode(float8send("lastyearActivity"), 'hex'), 15, 2)||substr(encode(float8send("lastyearActivity"), 'hex'), 13, 2)||substr(encode(float8send("lastyearActivity"), 'hex'), 11, 2)||substr(encode(float8send("lastyearActivity"), 'hex'), 9, 2)||substr(encode(float8send("lastyearActivity"), 'hex'), 7, 2)||substr(encode(float8send("lastyearActivity"), 'hex'), 5, 2)||substr(encode(float8send("lastyearActivity"), 'hex'), 3, 2)||substr(encode(float8send("lastyearActivity"), 'hex'), 1, 2), '' ORDER BY "id"), 'hex'), decode(string_agg(substr(encode(float8send("numberOfEmployees"), 'hex'), 15, 2)||substr(encode(float8send("numberOfEmployees"), 'hex'), 13, 2)||substr(encode(float8send("numberOfEmployees"), 'hex'), 11, 2)||substr(encode(float8send("numberOfEmployees"), 'hex'), 9, 2)||substr(encode(float8send("numberOfEmployees"), 'hex'), 7, 2)||substr(encode(float8send("numberOfEmployees"), 'hex'), 5, 2)||substr(encode(float8send("numberOfEmployees"), 'hex'), 3, 2)||substr(encode(float8send("numberOfEmployees"), 'hex'), 1, 2), '' ORDER BY "id"), 'hex'),
       decode(string_agg(lpad(to_hex("exited"), 2, '0'), '' ORDER BY "id"), 'hex'),
       decode(string_agg(lpad(to_hex((CASE WHEN strpos("imputedColumns", 'lastmonth_activity') > 0 THEN 1 ELSE 0 END) | (CASE WHEN strpos("imputedColumns", 'lastyear_activity') > 0 THEN 2 ELSE 0 END) | (CASE WHEN strpos("imputedColumns", 'number_of_employees') > 0 THEN 4 ELSE 0 END)), 2, '0'), '' ORDER BY "id"), 'hex')
FROM "Record" WHERE "datasetId" NOT IN (SELECT "datasetId" FROM "DatasetColumns") GROUP BY "datasetId";

INSERT INTO "ColumnBlob" ("datasetId", "column", "values", "missing")
SELECT "datasetId", 'lastmonth_activity', "lastmonthActivity", CASE WHEN ltrim(encode("imputed", 'hex'), '0') = '' THEN ''::bytea ELSE decode(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(encode("imputed", 'hex'), '00', 'g'), '01', 'h'), '02', 'i'), '03', 'j'), '04', 'k'), '05', 'l'), '06', 'm'), '07', 'n'), 'g', '00'), 'h', '01'), 'i', '00'), 'j', '01'), 'k', '00'), 'l', '01'), 'm', '00'), 'n', '01'), 'hex') END FROM "DatasetColumns";

INSERT INTO "ColumnBlob" ("datasetId", "column", "values", "missing")
SELECT "datasetId", 'lastyear_activity', "lastyearActivity", CASE WHEN ltrim(encode("imputed", 'hex'), '0') = '' THEN ''::bytea ELSE decode(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(encode("imputed", 'hex'), '00', 'g'), '01', 'h'), '02', 'i'), '03', 'j'), '04', 'k'), '05', 'l'), '06', 'm'), '07', 'n'), 'g', '00'), 'h', '00'), 'i', '01'), 'j', '01'), 'k', '00'), 'l', '00'), 'm', '01'), 'n', '01'), 'hex') END FROM "DatasetColumns";

INSERT INTO "ColumnBlob" ("datasetId", "column", "values", "missing")
SELECT "datasetId", 'number_of_employees', "numberOfEmployees", CASE WHEN ltrim(encode("imputed", 'hex'), '0') = '' THEN ''::bytea ELSE decode(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(encode("imputed", 'hex'), '00', 'g'), '01', 'h'), '02', 'i'), '03', 'j'), '04', 'k'), '05', 'l'), '06', 'm'), '07', 'n'), 'g', '00'), 'h', '00'), 'i', '00'), 'j', '00'), 'k', '01'), 'l', '01'), 'm', '01'), 'n', '01'), 'hex') END FROM "DatasetColumns";


ALTER TABLE "DatasetColumns" RENAME COLUMN "exited" TO "label";
ALTER TABLE "DatasetColumns" DROP COLUMN "lastmonthActivity", DROP COLUMN "lastyearActivity", DROP COLUMN "numberOfEmployees", DROP COLUMN "imputed",
  ADD COLUMN "positives" INTEGER NOT NULL DEFAULT 0, ADD COLUMN "time" BYTEA, ADD COLUMN "ids" BYTEA, ADD COLUMN "keys" BYTEA, ADD COLUMN "legacyKeys" TEXT;
UPDATE "DatasetColumns" c SET
  "positives" = r.positives, "ids" = r.ids, "legacyKeys" = r.keys
FROM (SELECT "datasetId", count(*) FILTER (WHERE "exited" = 1) AS positives,
             decode(string_agg(encode(convert_to("corporation", 'UTF8'), 'hex') || '00', '' ORDER BY "id"), 'hex') AS ids,
             string_agg("rowKey", E'\n' ORDER BY "id") AS keys
      FROM "Record" GROUP BY "datasetId") r
WHERE c."datasetId" = r."datasetId";
DROP TABLE "Record";
