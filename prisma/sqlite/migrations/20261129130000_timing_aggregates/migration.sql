-- CreateTable
CREATE TABLE "TimingAggregate" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "step" TEXT NOT NULL,
    "source" TEXT NOT NULL DEFAULT 'api',
    "periodStart" DATETIME NOT NULL,
    "periodMs" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,
    "sumMs" REAL NOT NULL,
    "minMs" REAL NOT NULL,
    "maxMs" REAL NOT NULL,
    "p50Ms" REAL NOT NULL,
    "p95Ms" REAL NOT NULL,
    "lastMs" REAL NOT NULL,
    "lastAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "TimingAggregate_step_periodStart_idx" ON "TimingAggregate"("step", "periodStart");

-- CreateIndex
CREATE INDEX "StepTiming_step_source_ms_idx" ON "StepTiming"("step", "source", "ms");
