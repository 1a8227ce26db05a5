-- Ranking and calibration per score, and the coefficient table per model version (issue 11).
-- Additive: nullable columns; rows recorded before stay null.
ALTER TABLE "ModelVersion" ADD COLUMN "coefficients" TEXT;
ALTER TABLE "Score" ADD COLUMN "rocAuc" REAL;
ALTER TABLE "Score" ADD COLUMN "averagePrecision" REAL;
ALTER TABLE "Score" ADD COLUMN "brierScore" REAL;
ALTER TABLE "Score" ADD COLUMN "logLoss" REAL;
ALTER TABLE "Score" ADD COLUMN "calibration" TEXT;
ALTER TABLE "Score" ADD COLUMN "curves" TEXT;
