import { QueryClient, isServer } from "@tanstack/react-query";
import { ApiError } from "./fetcher";

/*
 * The browser's QueryClient, one for the whole session (the server render of the client
 * providers gets a fresh one per call; pages fill their own in app/hydrate.tsx).
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
