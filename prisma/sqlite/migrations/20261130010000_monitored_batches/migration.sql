-- Monitored batches (issue 11, must-have 3): batches of clients without labels, their predictions,
-- the estimated performance and feature drift, and the realized scores once labels arrive. Additive.
-- CreateTable
CREATE TABLE "MonitoredBatch" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "rows" INTEGER NOT NULL,
    "modelVersionId" INTEGER NOT NULL,
    "modelVersion" INTEGER NOT NULL,
    "threshold" REAL NOT NULL,
    "calibrated" BOOLEAN NOT NULL,
    "calibration" TEXT NOT NULL,
    "estimate" TEXT NOT NULL,
    "estimatedF1" REAL NOT NULL,
    "estimatedF1Lower" REAL NOT NULL,
    "estimatedF1Upper" REAL NOT NULL,
    "features" TEXT NOT NULL,
    "labelledRows" INTEGER NOT NULL DEFAULT 0,
    "realized" TEXT,
    "realizedF1" REAL,
    "realizedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "MonitoredBatchRow" (
    "batchId" INTEGER NOT NULL,
    "row" INTEGER NOT NULL,
    "corporation" TEXT NOT NULL,
    "probability" REAL NOT NULL,
    "predicted" INTEGER NOT NULL,
    "exited" INTEGER,

    PRIMARY KEY ("batchId", "row"),
    CONSTRAINT "MonitoredBatchRow_batchId_fkey" FOREIGN KEY ("batchId") REFERENCES "MonitoredBatch" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "MonitoredBatch_modelVersionId_createdAt_idx" ON "MonitoredBatch"("modelVersionId", "createdAt");

-- CreateIndex
CREATE INDEX "MonitoredBatchRow_corporation_exited_idx" ON "MonitoredBatchRow"("corporation", "exited");

