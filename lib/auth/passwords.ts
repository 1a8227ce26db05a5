import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";
import { AppError } from "../errors";

/*
 * Passwords are hashed with scrypt (node:crypto), a memory-hard function, with one of the
 * parameter sets OWASP's Password Storage Cheat Sheet gives as its minimum: N = 2^15, r = 8, p = 3
 * (32 MiB per hash — the cheat sheet's N = 2^17, p = 1 needs 128 MiB, too much on a 2-core machine
 * that may hash a few at once — and about 0.3 s on these machines), a 16-byte random salt and a 32-byte
 * key. The parameters are written into each hash (`scrypt$N$r$p$salt$key`, base64url), so they
 * can be raised later and old hashes still verify. The work runs on libuv's thread pool, not the
 * event loop.
 *
 * Rules (OWASP ASVS 4, V2.1): at least 12 characters, at most 256, and not containing the user's
 * name; nothing else is imposed (no composition rules, no expiry).
 */

export const SCRYPT = { N: 2 ** 15, r: 8, p: 3, keyLength: 32, saltLength: 16 } as const;
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

function scryptAsync(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(password.normalize("NFKC"), salt, keyLength, options, (e, key) => (e ? reject(e) : resolve(key))));
}

const maxmem = (N: number, r: number, p: number) => 128 * N * r * p + 16 * 1024 * 1024;

export async function hashPassword(password: string, params: { N: number; r: number; p: number } = SCRYPT): Promise<string> {
  const salt = randomBytes(SCRYPT.saltLength);
  const key = await scryptAsync(password, salt, SCRYPT.keyLength, { N: params.N, r: params.r, p: params.p, maxmem: maxmem(params.N, params.r, params.p) });
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString("base64url")}$${key.toString("base64url")}`;
}

/** Whether `password` matches `stored` (a hash of hashPassword); false for a malformed hash. */
export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const m = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([\w-]+)\$([\w-]+)$/.exec(stored ?? "");
  if (!m) {
    // spend the same time as a real check, so a missing user or password answers no faster
    await hashPassword(password);
    return false;
  }
  const [N, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const want = Buffer.from(m[5], "base64url");
  // an empty key would match every password; parameters scrypt refuses (or that would take GBs) are no hash either
  if (want.length < 16 || !sensibleParams(N, r, p)) {
    await hashPassword(password);
    return false;
  }
  const got = await scryptAsync(password, Buffer.from(m[4], "base64url"), want.length, { N, r, p, maxmem: maxmem(N, r, p) }).catch(() => null);
  return got !== null && got.length === want.length && timingSafeEqual(got, want);
}

/** N a power of two, and at most 1 GiB of memory (128·N·r·p bytes). */
function sensibleParams(N: number, r: number, p: number): boolean {
  return Number.isSafeInteger(N) && N >= 2 && (N & (N - 1)) === 0 && r >= 1 && p >= 1 && 128 * N * r * p <= 2 ** 30;
}

/** The problem with a new password, or null when it may be used. */
export function passwordProblem(name: string, password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `must be at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH) return `must be at most ${MAX_PASSWORD_LENGTH} characters`;
  const lower = password.toLowerCase();
  if (name.length >= 3 && lower.includes(name.toLowerCase())) return "must not contain the user name";
  const local = name.split("@")[0];
  if (local.length >= 3 && lower.includes(local.toLowerCase())) return "must not contain the user name";
  return null;
}

/** Throw 422 unprocessable:password naming what to change. */
export function checkNewPassword(name: string, password: string, field = "newPassword"): void {
  const problem = passwordProblem(name, password);
  if (problem) throw new AppError("unprocessable:password", `The new password ${problem}.`, [{ column: field, problem: `the password ${problem}` }]);
}

/** A one-time password an admin hands over: 24 characters of base64url (144 random bits). */
export function oneTimePassword(): string {
  return randomBytes(18).toString("base64url");
}
