-- CreateTable
CREATE TABLE "Dataset" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "rowsRead" INTEGER NOT NULL,
    "rowsAccepted" INTEGER NOT NULL,
    "duplicates" INTEGER NOT NULL,
    "rejected" INTEGER NOT NULL,
    "imputed" INTEGER NOT NULL,
    "imputedByColumn" TEXT NOT NULL DEFAULT '{}',
    "missingByColumn" TEXT NOT NULL DEFAULT '{}',
    "ingestedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "Record" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "datasetId" INTEGER NOT NULL,
    "rowKey" TEXT NOT NULL,
    "corporation" TEXT NOT NULL,
    "lastmonthActivity" REAL NOT NULL,
    "lastyearActivity" REAL NOT NULL,
    "numberOfEmployees" REAL NOT NULL,
    "exited" INTEGER NOT NULL,
    "imputedColumns" TEXT NOT NULL DEFAULT '',
    CONSTRAINT "Record_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RejectedRow" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "datasetId" INTEGER NOT NULL,
    "rowNumber" INTEGER NOT NULL,
    "column" TEXT,
    "problem" TEXT NOT NULL,
    "raw" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "RejectedRow_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DataSnapshot" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "datasetId" INTEGER,
    "rows" INTEGER NOT NULL,
    "stats" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "DataSnapshot_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ModelVersion" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "version" INTEGER NOT NULL,
    "algorithm" TEXT NOT NULL,
    "hyperParameters" TEXT NOT NULL,
    "weights" TEXT NOT NULL,
    "scaler" TEXT NOT NULL,
    "trainedRows" INTEGER NOT NULL,
    "maxRecordId" INTEGER NOT NULL,
    "trainingMs" REAL NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "Deployment" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "modelVersionId" INTEGER NOT NULL,
    "previousModelVersionId" INTEGER,
    "reason" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "deployedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Deployment_modelVersionId_fkey" FOREIGN KEY ("modelVersionId") REFERENCES "ModelVersion" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Score" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "modelVersionId" INTEGER NOT NULL,
    "datasetId" INTEGER,
    "datasetName" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'test',
    "runId" INTEGER,
    "rows" INTEGER NOT NULL,
    "f1" REAL NOT NULL,
    "precision" REAL NOT NULL,
    "recall" REAL NOT NULL,
    "accuracy" REAL NOT NULL,
    "tp" INTEGER NOT NULL,
    "fp" INTEGER NOT NULL,
    "tn" INTEGER NOT NULL,
    "fn" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Score_modelVersionId_fkey" FOREIGN KEY ("modelVersionId") REFERENCES "ModelVersion" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Score_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DriftCheck" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "runId" INTEGER,
    "modelVersionId" INTEGER NOT NULL,
    "newScore" REAL,
    "score" TEXT NOT NULL,
    "features" TEXT NOT NULL,
    "detail" TEXT NOT NULL DEFAULT '{}',
    "triggered" BOOLEAN NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "DriftCheck_modelVersionId_fkey" FOREIGN KEY ("modelVersionId") REFERENCES "ModelVersion" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "StepTiming" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "runId" INTEGER,
    "step" TEXT NOT NULL,
    "ms" REAL NOT NULL,
    "source" TEXT NOT NULL DEFAULT 'pipeline',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "DependencyCheck" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "declared" TEXT NOT NULL,
    "installed" TEXT,
    "latest" TEXT,
    "status" TEXT NOT NULL,
    "reason" TEXT,
    "checkedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "PipelineRun" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "trigger" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "outcome" TEXT,
    "steps" TEXT NOT NULL DEFAULT '[]',
    "reason" TEXT,
    "error" TEXT,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME
);

-- CreateTable
CREATE TABLE "PipelineLock" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "runId" INTEGER,
    "owner" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "Alert" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "kind" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "runId" INTEGER,
    "delivered" BOOLEAN NOT NULL DEFAULT false,
    "deliveryInfo" TEXT,
    "acknowledged" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE UNIQUE INDEX "Dataset_sha256_role_key" ON "Dataset"("sha256", "role");

-- CreateIndex
CREATE UNIQUE INDEX "Record_rowKey_key" ON "Record"("rowKey");

-- CreateIndex
CREATE INDEX "Record_datasetId_idx" ON "Record"("datasetId");

-- CreateIndex
CREATE INDEX "RejectedRow_datasetId_idx" ON "RejectedRow"("datasetId");

-- CreateIndex
CREATE UNIQUE INDEX "ModelVersion_version_key" ON "ModelVersion"("version");

-- CreateIndex
CREATE INDEX "Score_modelVersionId_idx" ON "Score"("modelVersionId");

-- CreateIndex
CREATE INDEX "StepTiming_step_createdAt_idx" ON "StepTiming"("step", "createdAt");

