import { getDb } from "@/lib/db/client";
import { refreshDependencyCache } from "@/lib/diagnostics/dependencies";
import { apiRoute, json } from "@/lib/http/route";
import { DependenciesResponse } from "@/lib/validations/monitoring";
import { diagnosticsView } from "@/lib/reads/monitoring";

export const dynamic = "force-dynamic";

/** The cached dependency status. */
export const GET = apiRoute(async () => {
  const d = await diagnosticsView(getDb());
  return json(DependenciesResponse, { dependencies: d.dependencies, checkedAt: d.dependenciesCheckedAt });
});

/** Refresh the cache now (one `npm outdated` call, at most 20 s; offline → status unknown with the reason). */
export const POST = apiRoute(async () => {
  const { checkedAt, dependencies } = await refreshDependencyCache(getDb(), { timeoutMs: 20_000 });
  return json(DependenciesResponse, { dependencies, checkedAt: checkedAt.toISOString() });
});
