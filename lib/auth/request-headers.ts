import type { IncomingHttpHeaders } from "node:http";

/**
 * What the access check reads of a request: its headers. A web Request is one; a Node request
 * becomes one through nodeHeaders (the prediction route's fast path, lib/prediction/node-route.ts,
 * answers from Node's own request without building a web Request).
 */
export interface WithHeaders {
  headers: Pick<Headers, "get" | "has">;
}

/** A Node request's headers read as a web Request's (names case-insensitive; a repeated header joined by ", "). */
export function nodeHeaders(headers: IncomingHttpHeaders): WithHeaders {
  const get = (name: string): string | null => {
    const v = headers[name.toLowerCase()];
    return v === undefined ? null : Array.isArray(v) ? v.join(", ") : v;
  };
  return { headers: { get, has: (name) => headers[name.toLowerCase()] !== undefined } };
}
