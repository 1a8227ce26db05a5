import { HydrationBoundary, dehydrate, type FetchQueryOptions } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { getQueryClient } from "@/lib/queries/get-query-client";

/**
 * Server-side prefetch with the same queryOptions factories the client widgets use: a fresh
 * QueryClient for this request, filled before render and handed to the browser's client via
 * HydrationBoundary. A failed prefetch is not dehydrated: the widget then fetches (and shows
 * its error state with retry) in the browser.
 */
export async function Prefetch({
  queries,
  children,
}: {
  // heterogeneous queries (each its own data type): the factories keep each one typed
  queries: FetchQueryOptions<any, any, any, any>[];
  children: ReactNode;
}) {
  const queryClient = getQueryClient();
  await Promise.all(queries.map((q) => queryClient.prefetchQuery(q)));
  return <HydrationBoundary state={dehydrate(queryClient)}>{children}</HydrationBoundary>;
}
