-- Periods (issue 18): every recorded fact says which period of the data it is about: min and max of
-- the schema's time column over its rows, or (no time column) when the rows arrived. Existing rows
-- get the arrival time of the files they are about; the stored schema can name its own hold-out.
ALTER TABLE "Dataset" ADD COLUMN "periodStart" TIMESTAMP(3);
ALTER TABLE "Dataset" ADD COLUMN "periodEnd" TIMESTAMP(3);
ALTER TABLE "PipelineRun" ADD COLUMN "periodStart" TIMESTAMP(3);
ALTER TABLE "PipelineRun" ADD COLUMN "periodEnd" TIMESTAMP(3);
ALTER TABLE "Score" ADD COLUMN "periodStart" TIMESTAMP(3);
ALTER TABLE "Score" ADD COLUMN "periodEnd" TIMESTAMP(3);
ALTER TABLE "DriftCheck" ADD COLUMN "periodStart" TIMESTAMP(3);
ALTER TABLE "DriftCheck" ADD COLUMN "periodEnd" TIMESTAMP(3);
ALTER TABLE "MonitoredBatch" ADD COLUMN "periodStart" TIMESTAMP(3);
ALTER TABLE "MonitoredBatch" ADD COLUMN "periodEnd" TIMESTAMP(3);
ALTER TABLE "Alert" ADD COLUMN "periodStart" TIMESTAMP(3);
ALTER TABLE "Alert" ADD COLUMN "periodEnd" TIMESTAMP(3);
ALTER TABLE "StoredSchema" ADD COLUMN "testData" TEXT;

UPDATE "Dataset" SET "periodStart" = "ingestedAt", "periodEnd" = "ingestedAt";
UPDATE "PipelineRun" SET
  "periodStart" = (SELECT min(d."ingestedAt") FROM "Dataset" d WHERE d."checkedByRunId" = "PipelineRun".id),
  "periodEnd" = (SELECT max(d."ingestedAt") FROM "Dataset" d WHERE d."checkedByRunId" = "PipelineRun".id);
UPDATE "Score" SET
  "periodStart" = coalesce((SELECT d."ingestedAt" FROM "Dataset" d WHERE d.id = "Score"."datasetId"), (SELECT r."periodStart" FROM "PipelineRun" r WHERE r.id = "Score"."runId")),
  "periodEnd" = coalesce((SELECT d."ingestedAt" FROM "Dataset" d WHERE d.id = "Score"."datasetId"), (SELECT r."periodEnd" FROM "PipelineRun" r WHERE r.id = "Score"."runId"));
UPDATE "DriftCheck" SET
  "periodStart" = (SELECT r."periodStart" FROM "PipelineRun" r WHERE r.id = "DriftCheck"."runId"),
  "periodEnd" = (SELECT r."periodEnd" FROM "PipelineRun" r WHERE r.id = "DriftCheck"."runId");
UPDATE "Alert" SET
  "periodStart" = (SELECT r."periodStart" FROM "PipelineRun" r WHERE r.id = "Alert"."runId"),
  "periodEnd" = (SELECT r."periodEnd" FROM "PipelineRun" r WHERE r.id = "Alert"."runId");
UPDATE "MonitoredBatch" SET "periodStart" = "createdAt", "periodEnd" = "createdAt";
