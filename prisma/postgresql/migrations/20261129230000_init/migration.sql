-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "Dataset" (
    "id" SERIAL NOT NULL,
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
    "ingestedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "checkedByRunId" INTEGER,
    "ingestedByRunId" INTEGER,

    CONSTRAINT "Dataset_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Record" (
    "id" SERIAL NOT NULL,
    "datasetId" INTEGER NOT NULL,
    "rowKey" TEXT NOT NULL,
    "corporation" TEXT NOT NULL,
    "lastmonthActivity" DOUBLE PRECISION NOT NULL,
    "lastyearActivity" DOUBLE PRECISION NOT NULL,
    "numberOfEmployees" DOUBLE PRECISION NOT NULL,
    "exited" INTEGER NOT NULL,
    "imputedColumns" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "Record_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DatasetColumns" (
    "datasetId" INTEGER NOT NULL,
    "rows" INTEGER NOT NULL,
    "firstId" INTEGER NOT NULL,
    "lastId" INTEGER NOT NULL,
    "lastmonthActivity" BYTEA NOT NULL,
    "lastyearActivity" BYTEA NOT NULL,
    "numberOfEmployees" BYTEA NOT NULL,
    "exited" BYTEA NOT NULL,
    "imputed" BYTEA NOT NULL,

    CONSTRAINT "DatasetColumns_pkey" PRIMARY KEY ("datasetId")
);

-- CreateTable
CREATE TABLE "RejectedRow" (
    "id" SERIAL NOT NULL,
    "datasetId" INTEGER NOT NULL,
    "rowNumber" INTEGER NOT NULL,
    "column" TEXT,
    "problem" TEXT NOT NULL,
    "raw" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RejectedRow_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DataSnapshot" (
    "id" SERIAL NOT NULL,
    "datasetId" INTEGER,
    "rows" INTEGER NOT NULL,
    "stats" TEXT NOT NULL,
    "state" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DataSnapshot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ModelVersion" (
    "id" SERIAL NOT NULL,
    "version" INTEGER NOT NULL,
    "algorithm" TEXT NOT NULL,
    "hyperParameters" TEXT NOT NULL,
    "weights" TEXT NOT NULL,
    "scaler" TEXT NOT NULL,
    "trainedRows" INTEGER NOT NULL,
    "maxRecordId" INTEGER NOT NULL,
    "trainingMs" DOUBLE PRECISION NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ModelVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Deployment" (
    "id" SERIAL NOT NULL,
    "modelVersionId" INTEGER NOT NULL,
    "previousModelVersionId" INTEGER,
    "reason" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "deployedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Deployment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Score" (
    "id" SERIAL NOT NULL,
    "modelVersionId" INTEGER NOT NULL,
    "datasetId" INTEGER,
    "datasetName" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'test',
    "runId" INTEGER,
    "rows" INTEGER NOT NULL,
    "f1" DOUBLE PRECISION NOT NULL,
    "precision" DOUBLE PRECISION NOT NULL,
    "recall" DOUBLE PRECISION NOT NULL,
    "accuracy" DOUBLE PRECISION NOT NULL,
    "tp" INTEGER NOT NULL,
    "fp" INTEGER NOT NULL,
    "tn" INTEGER NOT NULL,
    "fn" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Score_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DriftCheck" (
    "id" SERIAL NOT NULL,
    "runId" INTEGER,
    "modelVersionId" INTEGER NOT NULL,
    "newScore" DOUBLE PRECISION,
    "score" TEXT NOT NULL,
    "features" TEXT NOT NULL,
    "detail" TEXT NOT NULL DEFAULT '{}',
    "triggered" BOOLEAN NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DriftCheck_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StepTiming" (
    "id" SERIAL NOT NULL,
    "runId" INTEGER,
    "step" TEXT NOT NULL,
    "ms" DOUBLE PRECISION NOT NULL,
    "source" TEXT NOT NULL DEFAULT 'pipeline',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StepTiming_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DependencyCheck" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "declared" TEXT NOT NULL,
    "installed" TEXT,
    "latest" TEXT,
    "status" TEXT NOT NULL,
    "reason" TEXT,
    "checkedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DependencyCheck_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PipelineRun" (
    "id" SERIAL NOT NULL,
    "trigger" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "outcome" TEXT,
    "steps" TEXT NOT NULL DEFAULT '[]',
    "reason" TEXT,
    "error" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "PipelineRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PipelineLock" (
    "id" INTEGER NOT NULL,
    "runId" INTEGER,
    "owner" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PipelineLock_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Alert" (
    "id" SERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "runId" INTEGER,
    "delivered" BOOLEAN NOT NULL DEFAULT false,
    "deliveryInfo" TEXT,
    "acknowledged" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Alert_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TimingAggregate" (
    "id" SERIAL NOT NULL,
    "step" TEXT NOT NULL,
    "source" TEXT NOT NULL DEFAULT 'api',
    "periodStart" TIMESTAMP(3) NOT NULL,
    "periodMs" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,
    "sumMs" DOUBLE PRECISION NOT NULL,
    "minMs" DOUBLE PRECISION NOT NULL,
    "maxMs" DOUBLE PRECISION NOT NULL,
    "p50Ms" DOUBLE PRECISION NOT NULL,
    "p95Ms" DOUBLE PRECISION NOT NULL,
    "lastMs" DOUBLE PRECISION NOT NULL,
    "lastAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TimingAggregate_pkey" PRIMARY KEY ("id")
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
CREATE INDEX "Score_modelVersionId_kind_idx" ON "Score"("modelVersionId", "kind");

-- CreateIndex
CREATE INDEX "DriftCheck_runId_idx" ON "DriftCheck"("runId");

-- CreateIndex
CREATE INDEX "StepTiming_step_createdAt_idx" ON "StepTiming"("step", "createdAt");

-- CreateIndex
CREATE INDEX "StepTiming_step_source_ms_idx" ON "StepTiming"("step", "source", "ms");

-- CreateIndex
CREATE INDEX "Alert_acknowledged_idx" ON "Alert"("acknowledged");

-- CreateIndex
CREATE INDEX "TimingAggregate_step_periodStart_idx" ON "TimingAggregate"("step", "periodStart");

-- AddForeignKey
ALTER TABLE "Record" ADD CONSTRAINT "Record_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RejectedRow" ADD CONSTRAINT "RejectedRow_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DataSnapshot" ADD CONSTRAINT "DataSnapshot_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Deployment" ADD CONSTRAINT "Deployment_modelVersionId_fkey" FOREIGN KEY ("modelVersionId") REFERENCES "ModelVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Score" ADD CONSTRAINT "Score_modelVersionId_fkey" FOREIGN KEY ("modelVersionId") REFERENCES "ModelVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Score" ADD CONSTRAINT "Score_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DriftCheck" ADD CONSTRAINT "DriftCheck_modelVersionId_fkey" FOREIGN KEY ("modelVersionId") REFERENCES "ModelVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

