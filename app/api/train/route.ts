import { loadConfig } from "@/lib/config";
import { databaseUrlOf, getDb } from "@/lib/db/client";
import { apiRoute } from "@/lib/http/route";
import { runInWorker } from "@/lib/jobs/run-in-worker";

export const dynamic = "force-dynamic";

/** Train on all records and score on the test data (not deployed), on a worker thread: the server keeps answering. */
export const POST = apiRoute({ write: true }, async () =>
  Response.json(await runInWorker({ kind: "train", databaseUrl: databaseUrlOf(getDb()), testData: loadConfig().TEST_DATA }), { status: 201 }),
);
