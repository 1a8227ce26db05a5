-- Storage for any schema (issue 17). No table holds one row per training record any more: a file's
-- rows are blobs (DatasetColumns: record ids firstId..lastId, labels, times, the id column, row-key
-- hashes; one ColumnBlob per feature), a categorical feature's dictionary is CategoryLevel, the
-- schema is StoredSchema. What the previous layout stored (the course's schema: a Record row per
-- record, a DatasetColumns blob per feature) moves here: the feature blobs were already Float64
-- arrays in record order; the per-row imputation mask (bit j = feature j was imputed) becomes each
-- feature's missing map (one byte per row) through hex text; the ids and labels are gathered from
-- Record in id order; the row keys are kept as text (legacyKeys) for the next ingestion to hash.


CREATE TABLE "StoredSchema" (
    "id" INTEGER NOT NULL PRIMARY KEY,
    "json" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE "ColumnBlob" (
    "datasetId" INTEGER NOT NULL,
    "column" TEXT NOT NULL,
    "values" BLOB NOT NULL,
    "missing" BLOB NOT NULL,

    PRIMARY KEY ("datasetId", "column")
);

CREATE TABLE "CategoryLevel" (
    "column" TEXT NOT NULL,
    "code" INTEGER NOT NULL,
    "value" TEXT NOT NULL,

    PRIMARY KEY ("column", "code")
);
CREATE UNIQUE INDEX "CategoryLevel_column_value_key" ON "CategoryLevel"("column", "value");

ALTER TABLE "Dataset" ADD COLUMN "ignoredColumns" TEXT NOT NULL DEFAULT '[]';
ALTER TABLE "ModelVersion" ADD COLUMN "encoding" TEXT;

-- Data stored by the previous layout is the course's schema.
INSERT INTO "StoredSchema" ("id", "json") SELECT 1, '{"id":"corporation","label":"exited","positive":"1","negative":"0","time":null,"features":[{"name":"lastmonth_activity","type":"numeric","min":0,"max":null},{"name":"lastyear_activity","type":"numeric","min":0,"max":null},{"name":"number_of_employees","type":"numeric","min":0,"max":null}]}' WHERE EXISTS (SELECT 1 FROM "Record");

INSERT INTO "ColumnBlob" ("datasetId", "column", "values", "missing")
SELECT "datasetId", 'lastmonth_activity', "lastmonthActivity", CASE WHEN "imputed" = zeroblob(length("imputed")) THEN x'' ELSE unhex(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(hex("imputed"), '00', 'a'), '01', 'b'), '02', 'c'), '03', 'd'), '04', 'e'), '05', 'f'), '06', 'g'), '07', 'h'), 'a', '00'), 'b', '01'), 'c', '00'), 'd', '01'), 'e', '00'), 'f', '01'), 'g', '00'), 'h', '01')) END FROM "DatasetColumns";

INSERT INTO "ColumnBlob" ("datasetId", "column", "values", "missing")
SELECT "datasetId", 'lastyear_activity', "lastyearActivity", CASE WHEN "imputed" = zeroblob(length("imputed")) THEN x'' ELSE unhex(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(hex("imputed"), '00', 'a'), '01', 'b'), '02', 'c'), '03', 'd'), '04', 'e'), '05', 'f'), '06', 'g'), '07', 'h'), 'a', '00'), 'b', '00'), 'c', '01'), 'd', '01'), 'e', '00'), 'f', '00'), 'g', '01'), 'h', '01')) END FROM "DatasetColumns";

INSERT INTO "ColumnBlob" ("datasetId", "column", "values", "missing")
SELECT "datasetId", 'number_of_employees', "numberOfEmployees", CASE WHEN "imputed" = zeroblob(length("imputed")) THEN x'' ELSE unhex(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(hex("imputed"), '00', 'a'), '01', 'b'), '02', 'c'), '03', 'd'), '04', 'e'), '05', 'f'), '06', 'g'), '07', 'h'), 'a', '00'), 'b', '00'), 'c', '00'), 'd', '00'), 'e', '01'), 'f', '01'), 'g', '01'), 'h', '01')) END FROM "DatasetColumns";


CREATE TABLE "new_DatasetColumns" (
    "datasetId" INTEGER NOT NULL PRIMARY KEY,
    "rows" INTEGER NOT NULL,
    "firstId" INTEGER NOT NULL,
    "lastId" INTEGER NOT NULL,
    "positives" INTEGER NOT NULL DEFAULT 0,
    "label" BLOB NOT NULL,
    "time" BLOB,
    "ids" BLOB,
    "keys" BLOB,
    "legacyKeys" TEXT
);
INSERT INTO "new_DatasetColumns" ("datasetId", "rows", "firstId", "lastId", "positives", "label", "ids", "legacyKeys")
SELECT c."datasetId", c."rows", c."firstId", c."lastId",
       (SELECT count(*) FROM "Record" r WHERE r."datasetId" = c."datasetId" AND r."exited" = 1),
       c."exited",
       (SELECT unhex(group_concat(hex(r."corporation") || '00', '' ORDER BY r."id")) FROM "Record" r WHERE r."datasetId" = c."datasetId"),
       (SELECT group_concat(r."rowKey", char(10) ORDER BY r."id") FROM "Record" r WHERE r."datasetId" = c."datasetId")
FROM "DatasetColumns" c;
DROP TABLE "DatasetColumns";
ALTER TABLE "new_DatasetColumns" RENAME TO "DatasetColumns";
DROP TABLE "Record";
