import { vi } from "vitest";

/*
 * Test set-up (vitest.config.ts setupFiles): every route handler built with apiRoute checks its
 * answers against the route table (lib/testing/api.ts checkResponse), whether a test calls it
 * through inProcessFetch, a real server or directly. Production code never parses its answers;
 * the response types do that at compile time.
 */
vi.mock("@/lib/http/route", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@/lib/http/route")>();
  const { checkResponse } = await import("./api");
  const apiRoute: typeof actual.apiRoute = (fn) => {
    const handler = actual.apiRoute(fn);
    return async (request, context) => {
      const response = await handler(request, context);
      await checkResponse(request, response);
      return response;
    };
  };
  return { ...actual, apiRoute };
});
