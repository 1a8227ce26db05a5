-- AlterTable
ALTER TABLE "Dataset" ADD COLUMN "checkedByRunId" INTEGER;

