import type { Db } from "./client";
import type { ApiKey, AuditEvent, Session, User } from "./generated/client";
import { databaseUrlOf } from "./client";
import { takeWriteLock } from "./models";

/*
 * Users, sessions, API keys and the audit trail in the database: plain reads and writes. The
 * rules (who may, hashing, expiry) are lib/auth's; this module never sees a password or a key,
 * only their hashes.
 */

export type { ApiKey, AuditEvent, Session, User };

/*
 * Whether any user exists decides whether reads need a sign-in (lib/auth/access.ts), so it is
 * asked on every request: remembered per database, for good once true (users are disabled, never
 * deleted), for a second while false (a user added by the CLI in another process is seen within it).
 */
const FALSE_FOR_MS = 1000;
const known: Map<string, { exists: boolean; at: number }> = ((globalThis as unknown as { __draUsersExist?: Map<string, { exists: boolean; at: number }> }).__draUsersExist ??= new Map());

export async function usersExist(db: Db, now = Date.now()): Promise<boolean> {
  const url = databaseUrlOf(db);
  const k = known.get(url);
  if (k && (k.exists || now - k.at < FALSE_FOR_MS)) return k.exists;
  const exists = (await db.user.findFirst({ select: { id: true } })) !== null;
  // a user added by this process while the query ran (insertUser) is not forgotten by its answer
  if (!exists && known.get(url)?.exists) return true;
  known.set(url, { exists, at: now });
  return exists;
}

/** Forget what usersExist remembers (a test's fresh database at a reused path). */
export function forgetUsersExist(): void {
  known.clear();
}

export async function findUserByName(db: Db, name: string): Promise<User | null> {
  return db.user.findUnique({ where: { name } });
}

export async function findUser(db: Db, id: number): Promise<User | null> {
  return db.user.findUnique({ where: { id } });
}

export async function insertUser(db: Db, data: { name: string; role: string; passwordHash: string | null; mustChangePassword: boolean; fromProxy?: boolean }): Promise<User> {
  const user = await db.user.create({ data });
  known.set(databaseUrlOf(db), { exists: true, at: Date.now() });
  return user;
}

export async function updateUser(db: Db, id: number, data: Partial<Pick<User, "role" | "disabled" | "passwordHash" | "mustChangePassword" | "lastSignInAt">>): Promise<User> {
  const user = await db.user.update({ where: { id }, data: { ...data, updatedAt: new Date() } });
  forgetApiKeys();
  return user;
}

export async function listUsers(db: Db): Promise<(User & { _count: { apiKeys: number } })[]> {
  return db.user.findMany({ orderBy: { id: "asc" }, include: { _count: { select: { apiKeys: { where: { revokedAt: null } } } } } });
}

/**
 * Change a user's role or disabled flag once `check` has seen the user as they are and the number
 * of enabled admins other than them (it throws to refuse: a change that would leave no enabled
 * admin). The read, the check and the write take turns with every other such change
 * (takeWriteLock: the write lock on SQLite, an advisory lock across processes on PostgreSQL), so
 * two admins demoting or disabling each other at once cannot both pass the check on the same old
 * state. null when there is no such user.
 */
export async function updateUserChecked(
  db: Db,
  id: number,
  data: Partial<Pick<User, "role" | "disabled">>,
  check: (before: User, otherEnabledAdmins: number) => void,
): Promise<{ before: User; after: User } | null> {
  const changed = await db.$transaction(async (tx) => {
    await takeWriteLock(tx, db);
    const before = await tx.user.findUnique({ where: { id } });
    if (!before) return null;
    check(before, await tx.user.count({ where: { role: "admin", disabled: false, id: { not: id } } }));
    const after = await tx.user.update({ where: { id }, data: { ...data, updatedAt: new Date() } });
    return { before, after };
  });
  forgetApiKeys();
  return changed;
}

export async function insertSession(db: Db, data: { idHash: string; userId: number; expiresAt: Date }): Promise<Session> {
  return db.session.create({ data });
}

export async function findSession(db: Db, idHash: string): Promise<(Session & { user: User }) | null> {
  return db.session.findUnique({ where: { idHash }, include: { user: true } });
}

export async function touchSession(db: Db, id: number, at: Date): Promise<void> {
  await db.session.update({ where: { id }, data: { lastSeenAt: at } });
}

/** Revoke one session, or every open session of a user (sign-out, password change, disable). */
export async function revokeSessions(db: Db, where: { id: number } | { userId: number }, at = new Date()): Promise<number> {
  const r = await db.session.updateMany({ where: { ...where, revokedAt: null }, data: { revokedAt: at } });
  return r.count;
}

export async function insertApiKey(db: Db, data: { userId: number; name: string; prefix: string; keyHash: string; role: string; expiresAt: Date | null }): Promise<ApiKey> {
  return db.apiKey.create({ data });
}

/*
 * API keys as the access check reads them (a scoring client sends its key with every request):
 * remembered per database for up to KEY_MEMORY_MS, and forgotten at once when this process changes
 * a user or a key. So a revocation, a disable or a role change made through this server applies
 * to its next request; one made by another process (the CLI, another server) within a second. A
 * lookup through Prisma per request held 1-row predictions with a key at about 600 requests/s.
 * An unknown key is not remembered: it is looked up (and counted by the throttle) every time.
 */
const KEY_MEMORY_MS = 1000;
type KeyWithUser = ApiKey & { user: User };
const memory: { keys: Map<string, { key: KeyWithUser; at: number }>; changes: number } = ((globalThis as unknown as { __draApiKeys?: { keys: Map<string, { key: KeyWithUser; at: number }>; changes: number } }).__draApiKeys ??= { keys: new Map(), changes: 0 });
const keys = memory.keys;

/** After a change of a user or a key: what is remembered goes, and a lookup already under way does not put back what it read before. */
function forgetApiKeys(): void {
  keys.clear();
  memory.changes++;
}

export async function findApiKey(db: Db, keyHash: string, now = Date.now()): Promise<KeyWithUser | null> {
  const k = `${databaseUrlOf(db)}\u0001${keyHash}`;
  const known = keys.get(k);
  if (known && now - known.at < KEY_MEMORY_MS && now >= known.at) return known.key;
  const changes = memory.changes;
  const key = await db.apiKey.findUnique({ where: { keyHash }, include: { user: true } });
  if (!key) keys.delete(k);
  else if (changes === memory.changes) {
    if (keys.size >= 10_000) keys.clear();
    keys.set(k, { key, at: now });
  }
  return key;
}

export async function findApiKeyById(db: Db, id: number): Promise<(ApiKey & { user: User }) | null> {
  return db.apiKey.findUnique({ where: { id }, include: { user: true } });
}

export async function touchApiKey(db: Db, id: number, at: Date): Promise<void> {
  await db.apiKey.update({ where: { id }, data: { lastUsedAt: at } });
  const url = databaseUrlOf(db);
  for (const [k, v] of keys) if (v.key.id === id && k.startsWith(`${url}\u0001`)) v.key = { ...v.key, lastUsedAt: at };
}

export async function revokeApiKey(db: Db, id: number, at = new Date()): Promise<ApiKey> {
  const key = await db.apiKey.update({ where: { id }, data: { revokedAt: at } });
  forgetApiKeys();
  return key;
}

export async function listApiKeys(db: Db): Promise<(ApiKey & { user: User })[]> {
  return db.apiKey.findMany({ orderBy: { id: "asc" }, include: { user: true } });
}

export async function insertAuditEvent(
  db: Db,
  data: { actorKind: string; actorName: string; actor: string; action: string; outcome?: string; target?: string | null; detail?: string; client?: string | null },
): Promise<AuditEvent> {
  return db.auditEvent.create({ data });
}

/** Audit events, newest first, at most `take`, only those with an id below `before` when given. */
export async function listAuditEvents(db: Db, { take = 100, before }: { take?: number; before?: number } = {}): Promise<AuditEvent[]> {
  return db.auditEvent.findMany({ where: before !== undefined ? { id: { lt: before } } : {}, orderBy: { id: "desc" }, take });
}
