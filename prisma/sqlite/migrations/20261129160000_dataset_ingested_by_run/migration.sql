-- The run that ingested a file: a run that did not finish leaves its files for the next run to check
ALTER TABLE "Dataset" ADD COLUMN "ingestedByRunId" INTEGER;
