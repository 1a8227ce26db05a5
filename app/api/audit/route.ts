import { getDb } from "@/lib/db/client";
import { apiRoute, json, readQuery } from "@/lib/http/route";
import { auditView } from "@/lib/reads/people";
import { pageRequest } from "@/lib/validations/pagination";
import { AuditQuery, AuditResponse } from "@/lib/validations/people";

export const dynamic = "force-dynamic";

export const GET = apiRoute(async (request) => json(AuditResponse, await auditView(getDb(), pageRequest(readQuery(request, AuditQuery)))));
