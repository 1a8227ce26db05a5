-- DropIndex
DROP INDEX "Score_modelVersionId_idx";

-- CreateIndex
CREATE INDEX "Score_modelVersionId_kind_idx" ON "Score"("modelVersionId", "kind");

-- CreateIndex
CREATE INDEX "DriftCheck_runId_idx" ON "DriftCheck"("runId");

-- CreateIndex
CREATE INDEX "Alert_acknowledged_idx" ON "Alert"("acknowledged");

