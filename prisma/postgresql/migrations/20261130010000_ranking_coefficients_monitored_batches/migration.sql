-- AlterTable
ALTER TABLE "ModelVersion" ADD COLUMN     "coefficients" TEXT;

-- AlterTable
ALTER TABLE "Score" ADD COLUMN     "averagePrecision" DOUBLE PRECISION,
ADD COLUMN     "brierScore" DOUBLE PRECISION,
ADD COLUMN     "calibration" TEXT,
ADD COLUMN     "curves" TEXT,
ADD COLUMN     "logLoss" DOUBLE PRECISION,
ADD COLUMN     "rocAuc" DOUBLE PRECISION;

-- CreateTable
CREATE TABLE "MonitoredBatch" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "rows" INTEGER NOT NULL,
    "modelVersionId" INTEGER NOT NULL,
    "modelVersion" INTEGER NOT NULL,
    "threshold" DOUBLE PRECISION NOT NULL,
    "calibrated" BOOLEAN NOT NULL,
    "calibration" TEXT NOT NULL,
    "estimate" TEXT NOT NULL,
    "estimatedF1" DOUBLE PRECISION NOT NULL,
    "estimatedF1Lower" DOUBLE PRECISION NOT NULL,
    "estimatedF1Upper" DOUBLE PRECISION NOT NULL,
    "features" TEXT NOT NULL,
    "labelledRows" INTEGER NOT NULL DEFAULT 0,
    "realized" TEXT,
    "realizedF1" DOUBLE PRECISION,
    "realizedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MonitoredBatch_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MonitoredBatchRow" (
    "batchId" INTEGER NOT NULL,
    "row" INTEGER NOT NULL,
    "corporation" TEXT NOT NULL,
    "probability" DOUBLE PRECISION NOT NULL,
    "predicted" INTEGER NOT NULL,
    "exited" INTEGER,

    CONSTRAINT "MonitoredBatchRow_pkey" PRIMARY KEY ("batchId","row")
);

-- CreateIndex
CREATE INDEX "MonitoredBatch_modelVersionId_createdAt_idx" ON "MonitoredBatch"("modelVersionId", "createdAt");

-- CreateIndex
CREATE INDEX "MonitoredBatchRow_corporation_exited_idx" ON "MonitoredBatchRow"("corporation", "exited");

-- AddForeignKey
ALTER TABLE "MonitoredBatchRow" ADD CONSTRAINT "MonitoredBatchRow_batchId_fkey" FOREIGN KEY ("batchId") REFERENCES "MonitoredBatch"("id") ON DELETE CASCADE ON UPDATE CASCADE;

