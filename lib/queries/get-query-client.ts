import { QueryClient, isServer } from "@tanstack/react-query";
import { ApiError } from "./fetcher";

/*
 * One QueryClient per server request (a fresh one on every call during a render: pages create
 * it once and pass its dehydrated state down) and one for the whole browser session.
 */
function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Hydrated server data is fresh for a while: no refetch straight after hydration.
        staleTime: 15_000,
        refetchOnWindowFocus: true,
        // Retrying a 4xx does not help; a network blip or 5xx gets one more go.
        retry: (failures, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && failures < 1,
      },
    },
  });
}

let browserQueryClient: QueryClient | undefined;

export function getQueryClient(): QueryClient {
  if (isServer) return makeQueryClient();
  browserQueryClient ??= makeQueryClient();
  return browserQueryClient;
}
