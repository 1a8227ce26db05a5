-- The rows of each ingested file as columns (lib/db/bulk-ingest.ts writes, lib/db/columns.ts reads)
CREATE TABLE "DatasetColumns" (
    "datasetId" INTEGER NOT NULL PRIMARY KEY,
    "rows" INTEGER NOT NULL,
    "firstId" INTEGER NOT NULL,
    "lastId" INTEGER NOT NULL,
    "lastmonthActivity" BLOB NOT NULL,
    "lastyearActivity" BLOB NOT NULL,
    "numberOfEmployees" BLOB NOT NULL,
    "exited" BLOB NOT NULL,
    "imputed" BLOB NOT NULL
);
