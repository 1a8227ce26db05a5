-- CreateTable
CREATE TABLE "ScheduleTick" (
    "at" DATETIME NOT NULL PRIMARY KEY,
    "owner" TEXT NOT NULL,
    "runId" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

