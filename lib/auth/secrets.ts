import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/*
 * Session ids and API keys are 32 random bytes: the database keeps only their SHA-256 (a fast
 * hash is enough for secrets with 256 bits of entropy, OWASP ASVS 2.9), so a copy of the database
 * signs nobody in.
 */

export function sha256hex(s: string): string {
  return createHash("sha256").update(s).digest("hex");
}

/** Compare two secrets in the same time whatever their length or content. */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(createHash("sha256").update(a).digest(), createHash("sha256").update(b).digest());
}

/** A session cookie's value: "s." + 43 characters of base64url. */
export function newSessionId(): string {
  return `s.${randomBytes(32).toString("base64url")}`;
}

const KEY_PREFIX_LENGTH = 12;

/** An API key: "dra_" + 43 characters of base64url; its first KEY_PREFIX_LENGTH characters are shown in lists. */
export function newApiKey(): { key: string; prefix: string } {
  const key = `dra_${randomBytes(32).toString("base64url")}`;
  return { key, prefix: key.slice(0, KEY_PREFIX_LENGTH) };
}

export function looksLikeApiKey(s: string): boolean {
  return /^dra_[\w-]{43}$/.test(s);
}

/** The cookie value of a browser signed in with ADMIN_TOKEN (before users existed): derived from the token, so the token never sits in the browser. */
export function tokenCookieValue(token: string): string {
  return sha256hex(`dra-session:${token}`);
}
