import { loadConfig } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { apiRoute } from "@/lib/http/route";
import { trainAndScore } from "@/lib/views/actions";

export const dynamic = "force-dynamic";

export const POST = apiRoute({ write: true }, async () => Response.json(await trainAndScore(getDb(), loadConfig()), { status: 201 }));
