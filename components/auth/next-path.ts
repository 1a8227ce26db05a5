/*
 * Where the sign-in page sends the browser afterwards: `?next=` when it is a path of this site,
 * else the Overview. "//host" and "/\host" are other sites to a browser, so they are refused,
 * as is anything that is not a plain path (a scheme, a control character).
 */

export function safeNext(next: string | null | undefined): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return "/";
  if (/[\u0000-\u001f\u007f]/.test(next)) return "/";
  // the sign-in page itself is no place to come back to
  if (next === "/signin" || next.startsWith("/signin?") || next.startsWith("/signin/")) return "/";
  return next;
}

/** The sign-in page, coming back to `path` (a pathname with its query) afterwards. */
export function signInPath(path: string): string {
  return path === "/" || path === "" ? "/signin" : `/signin?next=${encodeURIComponent(path)}`;
}
