import { getDb } from "@/lib/db/client";
import { listKeyViews } from "@/lib/auth/people";
import { apiRoute, json } from "@/lib/http/route";
import { KeysResponse } from "@/lib/validations/people";

export const dynamic = "force-dynamic";

export const GET = apiRoute(async () => json(KeysResponse, { keys: await listKeyViews(getDb()) }));
