import type { Config } from "../config";
import { SESSION_COOKIE } from "../auth/access";
import type { SignedIn } from "../auth/people";
import { sessionStatus } from "../auth/session-status";
import { SessionStatus } from "../validations/session";
import { json } from "./route";

/*
 * The session cookie: httpOnly (no script reads it), SameSite=Strict (no other site's page sends
 * it), Path=/, and Secure when the dashboard is served over HTTPS (SECURE_COOKIES: auto — the
 * request came over https, or a proxy in front says so in X-Forwarded-Proto; 1 always; 0 never).
 */

export function secureCookies(request: Request, config: Pick<Config, "SECURE_COOKIES">): boolean {
  if (config.SECURE_COOKIES !== "auto") return config.SECURE_COOKIES === "1";
  return new URL(request.url).protocol === "https:" || request.headers.get("x-forwarded-proto")?.split(",")[0].trim() === "https";
}

export function sessionSetCookie(value: string, { secure, maxAgeSeconds }: { secure: boolean; maxAgeSeconds: number }): string {
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${Math.max(1, Math.floor(maxAgeSeconds))}${secure ? "; Secure" : ""}`;
}

export function sessionClearCookie({ secure }: { secure: boolean }): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT${secure ? "; Secure" : ""}`;
}

/** The answer to a sign-in or a password change: the session's state, and its cookie (lasting as long as the session). */
export async function signedInResponse(request: Request, signed: SignedIn, config: Pick<Config, "SECURE_COOKIES">): Promise<Response> {
  const principal = { kind: "user", role: signed.user.role, name: signed.user.name, userId: signed.user.id, viaCookie: true } as const;
  return json(SessionStatus, await sessionStatus(request, principal), {
    headers: { "set-cookie": sessionSetCookie(signed.sessionId, { secure: secureCookies(request, config), maxAgeSeconds: (signed.expiresAt.getTime() - Date.now()) / 1000 }) },
  });
}
