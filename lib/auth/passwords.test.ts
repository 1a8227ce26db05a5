import { describe, expect, it } from "vitest";
import { isAppError, type AppError } from "../errors";
import { checkNewPassword, hashPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, oneTimePassword, passwordProblem, SCRYPT, verifyPassword } from "./passwords";

/*
 * Password hashing (scrypt, node:crypto) checked against an independent implementation, and the
 * rules a new password must follow.
 */

/*
 * Known vectors from Python's hashlib.scrypt (OpenSSL), salt = bytes 0..15:
 *   /usr/bin/python3 -c "import hashlib,base64;print(base64.urlsafe_b64encode(hashlib.scrypt(b'correct horse battery', salt=bytes(range(16)), n=2**15, r=8, p=3, maxmem=2**26, dklen=32)).rstrip(b'=').decode())"
 *   → BUS_jY3RXIlNUfVFibrXS1m-ZtyDS56ksoZ2SgSjUlQ
 *   the same with n=2**10, r=8, p=1 → hKGWL22WtdGfIbxEPAZ06BS2bWyYKuZIKvypfAlYOWk
 *   base64url of bytes(range(16)) → AAECAwQFBgcICQoLDA0ODw
 */
const SALT = "AAECAwQFBgcICQoLDA0ODw";
const KNOWN = `scrypt$32768$8$3$${SALT}$BUS_jY3RXIlNUfVFibrXS1m-ZtyDS56ksoZ2SgSjUlQ`;
const KNOWN_SMALL = `scrypt$1024$8$1$${SALT}$hKGWL22WtdGfIbxEPAZ06BS2bWyYKuZIKvypfAlYOWk`;
const SMALL = { N: 1024, r: 8, p: 1 };

describe("hashPassword / verifyPassword", () => {
  it("verifies a hash computed by another scrypt implementation (the parameters the server uses)", async () => {
    expect(SCRYPT).toMatchObject({ N: 2 ** 15, r: 8, p: 3, keyLength: 32, saltLength: 16 });
    expect(await verifyPassword("correct horse battery", KNOWN)).toBe(true);
    expect(await verifyPassword("correct horse batter", KNOWN)).toBe(false);
    expect(await verifyPassword("Correct horse battery", KNOWN)).toBe(false);
  });

  it("reads the parameters from the hash (old hashes verify after a change of parameters)", async () => {
    expect(await verifyPassword("correct horse battery", KNOWN_SMALL)).toBe(true);
    expect(await verifyPassword("correct horse battery", KNOWN_SMALL.replace("$1024$", "$2048$"))).toBe(false);
    expect(await verifyPassword("correct horse battery", KNOWN_SMALL.replace(SALT, "AAECAwQFBgcICQoLDA0OEA"))).toBe(false);
  });

  it("hashes with the server's parameters, a 16-byte random salt and a 32-byte key, in the documented format", async () => {
    const [a, b] = await Promise.all([hashPassword("correct horse battery"), hashPassword("correct horse battery")]);
    const m = /^scrypt\$32768\$8\$3\$([\w-]+)\$([\w-]+)$/.exec(a);
    expect(m).not.toBeNull();
    expect(Buffer.from(m![1], "base64url")).toHaveLength(16);
    expect(Buffer.from(m![2], "base64url")).toHaveLength(32);
    expect(a).not.toContain("correct horse battery");
    // a new salt each time
    expect(a).not.toBe(b);
    expect(await verifyPassword("correct horse battery", a)).toBe(true);
    expect(await verifyPassword("correct horse battery", b)).toBe(true);
    expect(await verifyPassword("correct horse batterY", a)).toBe(false);
  });

  it("normalizes to NFKC: the same password typed with a ligature or composed accents verifies", async () => {
    const h = await hashPassword("ﬁne café password", SMALL);
    expect(await verifyPassword("fine café password", h)).toBe(true);
    expect(await verifyPassword("fine cafe\u0301 password", h)).toBe(true);
    expect(await verifyPassword("fine cafe password", h)).toBe(false);
  });

  it("answers false (not an error) for no hash or a malformed one", async () => {
    for (const stored of [null, "", "plain-text-password", "scrypt$1024$8$1$", "bcrypt$2b$10$abc$def", "scrypt$x$8$1$AAAA$BBBB", `${KNOWN_SMALL}$extra`]) {
      expect(await verifyPassword("correct horse battery", stored), String(stored)).toBe(false);
    }
    // a hash's text is never accepted as the password
    expect(await verifyPassword(KNOWN_SMALL, KNOWN_SMALL)).toBe(false);
  });

  it("a damaged hash neither matches every password nor throws", async () => {
    // a key part that decodes to no bytes ("B") once compared 0 bytes with 0 bytes: every password matched
    for (const stored of [`scrypt$1024$8$1$${SALT}$B`, `scrypt$1024$8$1$${SALT}$AAAA`]) expect(await verifyPassword("any password at all", stored), stored).toBe(false);
    // parameters scrypt refuses (N not a power of two, 0, beyond its range) or that would take GBs of memory: false, not an exception (a 500 at sign-in)
    for (const N of ["3", "0", "1099511627776", String(2 ** 24)]) {
      const stored = KNOWN_SMALL.replace("$1024$", `$${N}$`);
      await expect(verifyPassword("correct horse battery", stored), stored).resolves.toBe(false);
    }
    await expect(verifyPassword("correct horse battery", KNOWN_SMALL.replace("$1024$8$1$", "$1024$0$1$"))).resolves.toBe(false);
  });
});

describe("the rules of a new password", () => {
  it(`needs ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters`, () => {
    expect(MIN_PASSWORD_LENGTH).toBe(12);
    expect(passwordProblem("alice", "x".repeat(11))).toMatch(/at least 12/);
    expect(passwordProblem("alice", "x".repeat(12))).toBeNull();
    expect(passwordProblem("alice", "x".repeat(256))).toBeNull();
    expect(passwordProblem("alice", "x".repeat(257))).toMatch(/at most 256/);
    expect(passwordProblem("alice", "")).toMatch(/at least/);
  });

  it("must not contain the user name (any case), nor the part of an e-mail address before @", () => {
    expect(passwordProblem("alice", "my-alice-password")).toMatch(/user name/);
    expect(passwordProblem("alice", "my-ALICE-password")).toMatch(/user name/);
    expect(passwordProblem("Alice", "xxalicexxxxxxx")).toMatch(/user name/);
    expect(passwordProblem("bob.smith@example.com", "bob.smith-rules-ok")).toMatch(/user name/);
    expect(passwordProblem("bob.smith@example.com", "I am Bob.Smith, really")).toMatch(/user name/);
    expect(passwordProblem("bob.smith@example.com", "correct horse battery")).toBeNull();
    // a name of one or two characters is not a word to avoid
    expect(passwordProblem("al", "always all along")).toBeNull();
    expect(passwordProblem("a@example.com", "a long passphrase")).toBeNull();
  });

  it("nothing else is imposed: no composition rules", () => {
    for (const pw of ["aaaaaaaaaaaa", "correct horse battery staple", "123456789012", "ünïcödé pässwörd", "😀😀😀😀😀😀"]) expect(passwordProblem("alice", pw), pw).toBeNull();
  });

  it("checkNewPassword throws 422 unprocessable:password naming the field", () => {
    expect(() => checkNewPassword("alice", "correct horse battery")).not.toThrow();
    try {
      checkNewPassword("alice", "short", "newPassword");
      expect.unreachable();
    } catch (e) {
      expect(isAppError(e)).toBe(true);
      const err = e as AppError;
      expect(err.code).toBe("unprocessable:password");
      expect(err.status).toBe(422);
      expect(JSON.stringify(err.toJSON())).toContain("newPassword");
      expect(JSON.stringify(err.toJSON())).toContain("at least 12");
    }
  });
});

describe("oneTimePassword", () => {
  it("is 24 characters of base64url (144 random bits), new each time, and itself a valid password", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const p = oneTimePassword();
      expect(p).toMatch(/^[\w-]{24}$/);
      expect(passwordProblem("zz", p)).toBeNull();
      seen.add(p);
    }
    expect(seen.size).toBe(200);
  });
});
