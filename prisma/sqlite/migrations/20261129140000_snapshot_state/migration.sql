-- The running state of the training set on each snapshot (lib/db/bulk-ingest.ts)
ALTER TABLE "DataSnapshot" ADD COLUMN "state" TEXT;
