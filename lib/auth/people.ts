import type { Config } from "../config";
import type { Db } from "../db/client";
import {
  findApiKeyById,
  findSession,
  findUser,
  findUserByName,
  insertApiKey,
  insertSession,
  insertUser,
  listApiKeys,
  listUsers,
  revokeApiKey,
  revokeSessions,
  updateUser,
  updateUserChecked,
  type ApiKey,
  type User,
} from "../db/people";
import { AppError } from "../errors";
import { actor, runAsActor } from "../actor";
import { recordAudit } from "./audit";
import { checkNewPassword, hashPassword, oneTimePassword, verifyPassword } from "./passwords";
import { hasRole, isRole, type Role } from "./roles";
import { newApiKey, newSessionId, sha256hex } from "./secrets";
import { checkThrottle, checkUserThrottle, clientOf, recordFailure } from "./throttle";

/*
 * What an admin does to people and keys, and what a person does to sign in: each change checked,
 * then written, then audited (as the current actor, lib/auth/actor.ts). The API routes, the
 * admin page and `npm run users` all call these.
 */

/** A user name: 1–100 characters, letters, digits and . _ @ + - (an e-mail address fits). */
const USER_NAME = /^[A-Za-z0-9._@+-]{1,100}$/;

export interface UserView {
  id: number;
  name: string;
  role: Role;
  disabled: boolean;
  mustChangePassword: boolean;
  fromProxy: boolean;
  createdAt: string;
  lastSignInAt: string | null;
  activeKeys: number;
}

function userView(u: User & { _count?: { apiKeys: number } }): UserView {
  return {
    id: u.id,
    name: u.name,
    role: isRole(u.role) ? u.role : "viewer",
    disabled: u.disabled,
    mustChangePassword: u.mustChangePassword && u.passwordHash !== null,
    fromProxy: u.fromProxy,
    createdAt: u.createdAt.toISOString(),
    lastSignInAt: u.lastSignInAt?.toISOString() ?? null,
    activeKeys: u._count?.apiKeys ?? 0,
  };
}

export interface KeyView {
  id: number;
  userId: number;
  userName: string;
  name: string;
  prefix: string;
  role: Role;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
  status: "active" | "revoked" | "expired" | "user-disabled";
}

function keyView(k: ApiKey & { user: User }, now = new Date()): KeyView {
  return {
    id: k.id,
    userId: k.userId,
    userName: k.user.name,
    name: k.name,
    prefix: k.prefix,
    role: isRole(k.role) ? k.role : "viewer",
    createdAt: k.createdAt.toISOString(),
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
    expiresAt: k.expiresAt?.toISOString() ?? null,
    revokedAt: k.revokedAt?.toISOString() ?? null,
    status: k.revokedAt ? "revoked" : k.expiresAt && k.expiresAt <= now ? "expired" : k.user.disabled ? "user-disabled" : "active",
  };
}

async function requireUser(db: Db, id: number): Promise<User> {
  const u = await findUser(db, id);
  if (!u) throw new AppError("not_found:user", `There is no user with id ${id}.`);
  return u;
}

/** Add a user with a one-time password (shown once; the first sign-in must change it). */
export async function addUser(db: Db, { name, role }: { name: string; role: Role }): Promise<{ user: UserView; password: string }> {
  if (!USER_NAME.test(name)) throw new AppError("unprocessable:body", `"${name}" is not a valid user name: use 1–100 letters, digits and . _ @ + -.`, [{ column: "name", problem: "1–100 letters, digits and . _ @ + -" }]);
  if (await findUserByName(db, name)) throw new AppError("conflict:user", `There is already a user named ${name}.`);
  const password = oneTimePassword();
  let user: User;
  try {
    user = await insertUser(db, { name, role, passwordHash: await hashPassword(password), mustChangePassword: true });
  } catch (e) {
    if (await findUserByName(db, name)) throw new AppError("conflict:user", `There is already a user named ${name}.`);
    throw e;
  }
  await recordAudit(db, { action: "user.create", target: `user ${name}`, detail: { role } });
  return { user: userView(user), password };
}

export async function listUserViews(db: Db): Promise<UserView[]> {
  return (await listUsers(db)).map(userView);
}

/** Change a user's role or disable / enable them; never leaves the server without an enabled admin. */
export async function changeUser(db: Db, id: number, change: { role?: Role; disabled?: boolean }): Promise<UserView> {
  // checked and written in one turn (updateUserChecked): two admins demoting each other at once cannot both succeed
  const result = await updateUserChecked(db, id, { ...(change.role !== undefined ? { role: change.role } : {}), ...(change.disabled !== undefined ? { disabled: change.disabled } : {}) }, (before, otherAdmins) => {
    const losesAdmin = before.role === "admin" && !before.disabled && ((change.role !== undefined && change.role !== "admin") || change.disabled === true);
    if (losesAdmin && otherAdmins === 0) {
      throw new AppError("conflict:last_admin", `${before.name} is the only enabled admin: make another user admin first, so that someone can still manage users.`);
    }
  });
  if (!result) throw new AppError("not_found:user", `There is no user with id ${id}.`);
  const { before, after } = result;
  if (change.disabled) await revokeSessions(db, { userId: id });
  const changed: Record<string, unknown> = {};
  if (change.role !== undefined && change.role !== before.role) changed.role = { from: before.role, to: change.role };
  if (change.disabled !== undefined && change.disabled !== before.disabled) changed.disabled = change.disabled;
  await recordAudit(db, { action: change.disabled === true ? "user.disable" : change.disabled === false && before.disabled ? "user.enable" : "user.update", target: `user ${before.name}`, detail: changed });
  return userView(after);
}

/** A new one-time password for a user (their sessions end). */
export async function resetPassword(db: Db, id: number): Promise<{ user: UserView; password: string }> {
  const before = await requireUser(db, id);
  if (before.fromProxy && before.passwordHash === null) throw new AppError("conflict:user", `${before.name} signs in through the auth proxy and has no password here.`);
  const password = oneTimePassword();
  const user = await updateUser(db, id, { passwordHash: await hashPassword(password), mustChangePassword: true });
  await revokeSessions(db, { userId: id });
  await recordAudit(db, { action: "user.reset-password", target: `user ${before.name}` });
  return { user: userView(user), password };
}

/** An API key for a user, with the user's role or a lower one; the key is returned this once. */
export async function addApiKey(db: Db, userId: number, { name, role, expiresAt }: { name: string; role?: Role; expiresAt?: Date }, now = new Date()): Promise<{ id: number; key: string; prefix: string; apiKey: KeyView }> {
  const user = await requireUser(db, userId);
  if (user.disabled) throw new AppError("conflict:user", `${user.name} is disabled: enable them before giving them a key.`);
  const userRole: Role = isRole(user.role) ? user.role : "viewer";
  const keyRole = role ?? userRole;
  if (!hasRole(userRole, keyRole)) {
    throw new AppError("unprocessable:body", `A key of ${user.name} can have at most their role (${userRole}), not ${keyRole}.`, [{ column: "role", problem: `at most ${userRole}` }]);
  }
  if (expiresAt && expiresAt <= now) throw new AppError("unprocessable:body", "expiresAt must be in the future.", [{ column: "expiresAt", problem: "must be in the future" }]);
  const { key, prefix } = newApiKey();
  const row = await insertApiKey(db, { userId, name, prefix, keyHash: sha256hex(key), role: keyRole, expiresAt: expiresAt ?? null });
  await recordAudit(db, { action: "key.create", target: `key ${name} (${prefix}…) of ${user.name}`, detail: { role: keyRole, expiresAt: expiresAt?.toISOString() ?? null } });
  return { id: row.id, key, prefix, apiKey: keyView({ ...row, user }) };
}

export async function listKeyViews(db: Db): Promise<KeyView[]> {
  const now = new Date();
  return (await listApiKeys(db)).map((k) => keyView(k, now));
}

/** Revoke a key: the next request with it gets 401. */
export async function revokeKey(db: Db, id: number): Promise<KeyView> {
  const k = await findApiKeyById(db, id);
  if (!k) throw new AppError("not_found:key", `There is no API key with id ${id}.`);
  const row = k.revokedAt ? k : await revokeApiKey(db, id);
  if (!k.revokedAt) await recordAudit(db, { action: "key.revoke", target: `key ${k.name} (${k.prefix}…) of ${k.user.name}` });
  return keyView({ ...row, user: k.user });
}

export interface SignedIn {
  user: UserView;
  /** the session cookie's value (the only copy: the database keeps its hash) */
  sessionId: string;
  expiresAt: Date;
}

async function openSession(db: Db, user: User, config: Pick<Config, "SESSION_MAX_HOURS">, now: Date): Promise<SignedIn> {
  const sessionId = newSessionId();
  const expiresAt = new Date(now.getTime() + config.SESSION_MAX_HOURS * 3600_000);
  await insertSession(db, { idHash: sha256hex(sessionId), userId: user.id, expiresAt });
  const after = await updateUser(db, user.id, { lastSignInAt: now });
  return { user: userView(after), sessionId, expiresAt };
}

/**
 * Sign in with a name and password: a new session (the id the request's cookie held, if any, is
 * revoked: ids rotate at sign-in). Wrong name or password: 401, counted against the client and the
 * name, audited as refused. A one-time password must be replaced: 403 forbidden:password_change
 * unless `newPassword` is sent with it.
 */
export async function signIn(
  db: Db,
  request: Request,
  { name, password, newPassword, previousCookie }: { name: string; password: string; newPassword?: string; previousCookie?: string },
  config: Pick<Config, "SESSION_MAX_HOURS">,
  now = new Date(),
): Promise<SignedIn> {
  checkThrottle(request, now.getTime(), "too_many_requests:sign_in");
  checkUserThrottle(request, name, now.getTime());
  // wrong until proven right: sign-ins sent at once count against the throttle at once
  const forgive = recordFailure(request, { name, now: now.getTime() });
  const user = await findUserByName(db, name);
  const ok = await verifyPassword(password, user && !user.disabled ? user.passwordHash : null);
  const who = actor(user ? "user" : "anonymous", name, { userId: user?.id, client: clientOf(request) });
  if (!user || !ok) {
    await runAsActor(who, () => recordAudit(db, { action: "sign-in", outcome: "refused", target: `user ${name}`, detail: { reason: !user ? "unknown name" : user.disabled ? "disabled" : "wrong password" } }));
    throw new AppError("unauthorized:credentials", "The name or the password is wrong (or the user is disabled).");
  }
  forgive();
  let current = user;
  if (user.mustChangePassword) {
    if (newPassword === undefined) throw new AppError("forbidden:password_change", "This is a one-time password: choose your own password and send it as newPassword with this one.");
    checkNewPassword(user.name, newPassword);
    if (newPassword === password) throw new AppError("unprocessable:password", "The new password must differ from the one-time password.", [{ column: "newPassword", problem: "same as the one-time password" }]);
    current = await runAsActor(who, () => setOwnPassword(db, user, newPassword));
  }
  if (previousCookie) {
    const previous = await findSession(db, sha256hex(previousCookie));
    if (previous) await revokeSessions(db, { id: previous.id });
  }
  const signed = await openSession(db, current, config, now);
  await runAsActor(who, () => recordAudit(db, { action: "sign-in", target: `user ${name}` }));
  return signed;
}

/** Sign out: the session of this cookie ends (nothing happens for an unknown one). */
export async function signOut(db: Db, request: Request, cookie: string | undefined): Promise<void> {
  if (!cookie) return;
  const s = await findSession(db, sha256hex(cookie));
  if (!s || s.revokedAt) return;
  await revokeSessions(db, { id: s.id });
  await recordAudit(db, { action: "sign-out", target: `user ${s.user.name}` }, actor("user", s.user.name, { userId: s.userId, client: clientOf(request) }));
}

/** A signed-in user changes their own password: every session of theirs ends and this one is replaced. */
export async function changeOwnPassword(
  db: Db,
  request: Request,
  userId: number,
  { password, newPassword }: { password: string; newPassword: string },
  config: Pick<Config, "SESSION_MAX_HOURS">,
  now = new Date(),
): Promise<SignedIn> {
  const user = await requireUser(db, userId);
  checkThrottle(request, now.getTime(), "too_many_requests:sign_in");
  const forgive = recordFailure(request, { name: user.name, now: now.getTime() });
  if (!(await verifyPassword(password, user.passwordHash))) throw new AppError("unauthorized:credentials", "The current password is wrong.");
  forgive();
  checkNewPassword(user.name, newPassword);
  return openSession(db, await setOwnPassword(db, user, newPassword), config, now);
}

/** A user's own new password (already checked) replaces theirs: every session of theirs ends; audited as the current actor. */
async function setOwnPassword(db: Db, user: User, newPassword: string): Promise<User> {
  const after = await updateUser(db, user.id, { passwordHash: await hashPassword(newPassword), mustChangePassword: false });
  await revokeSessions(db, { userId: user.id });
  await recordAudit(db, { action: "user.change-password", target: `user ${user.name}` });
  return after;
}
