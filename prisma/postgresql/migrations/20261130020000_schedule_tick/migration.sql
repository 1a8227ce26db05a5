-- CreateTable
CREATE TABLE "ScheduleTick" (
    "at" TIMESTAMP(3) NOT NULL,
    "owner" TEXT NOT NULL,
    "runId" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ScheduleTick_pkey" PRIMARY KEY ("at")
);

