/**
 * People from the command line (the same calls as the admin page and /api/users, lib/auth/people.ts),
 * acting as the OS user who runs it; every change goes into the audit trail.
 *
 *   npm run users -- add NAME --role viewer|operator|admin   prints a one-time password
 *   npm run users -- list
 *   npm run users -- set-role NAME ROLE
 *   npm run users -- disable NAME | enable NAME
 *   npm run users -- reset-password NAME                   prints a new one-time password
 *   npm run users -- key NAME --name KEYNAME [--role R] [--expires 2027-01-31]   prints the key (once)
 *   npm run users -- keys | revoke-key ID
 *
 * The first admin of a server is made here: `npm run users -- add you --role admin`. From then on
 * every page and read needs a sign-in (PUBLIC_READ=1 keeps reads open).
 */
import { parseArgs } from "node:util";
import { cliActor, setProcessActor } from "../lib/actor";
import { addApiKey, addUser, changeUser, listKeyViews, listUserViews, resetPassword, revokeKey } from "../lib/auth/people";
import { isRole, ROLES, type Role } from "../lib/auth/roles";
import { loadConfig } from "../lib/config";
import { disconnectAll, getDb, type Db } from "../lib/db/client";
import { applyMigrations } from "../lib/db/migrate";
import { findUserByName } from "../lib/db/people";
import { isAppError } from "../lib/errors";

const USAGE = `usage: npm run users -- <command>
  add NAME --role ${ROLES.join("|")}     add a user; prints a one-time password (the first sign-in replaces it)
  list                                  every user with role and state
  set-role NAME ROLE                    change a user's role
  disable NAME | enable NAME            a disabled user's sessions and keys stop working at once
  reset-password NAME                   a new one-time password; their sessions end
  key NAME --name KEYNAME [--role R] [--expires DATE]   an API key (printed once)
  keys                                  every API key (never the key itself)
  revoke-key ID                         the next request with that key gets 401`;

class UsageError extends Error {}

function roleArg(v: string | undefined): Role {
  if (!isRole(v)) throw new UsageError(`the role must be one of ${ROLES.join(", ")} (got ${v === undefined ? "none" : `"${v}"`})`);
  return v;
}

async function userId(db: Db, name: string | undefined): Promise<number> {
  if (!name) throw new UsageError("name the user");
  const u = await findUserByName(db, name);
  if (!u) throw new UsageError(`there is no user named ${name} (npm run users -- list)`);
  return u.id;
}

function table(rows: Record<string, unknown>[]): string {
  if (rows.length === 0) return "(none)\n";
  const cols = Object.keys(rows[0]);
  const cell = (v: unknown) => (v === null || v === undefined ? "-" : String(v));
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (vals: string[]) => vals.map((v, i) => v.padEnd(width[i])).join("  ").trimEnd();
  return [line(cols), ...rows.map((r) => line(cols.map((c) => cell(r[c]))))].join("\n") + "\n";
}

async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { role: { type: "string" }, name: { type: "string" }, expires: { type: "string" } } });
  const [command, ...rest] = positionals;
  if (!command || command === "help") {
    process.stderr.write(`${USAGE}\n`);
    return command ? 0 : 2;
  }
  const config = loadConfig();
  applyMigrations(config.DATABASE_URL);
  const db = getDb(config.DATABASE_URL);
  const out = (s: string) => process.stdout.write(s);
  switch (command) {
    case "add": {
      const { user, password } = await addUser(db, { name: rest[0] ?? "", role: roleArg(values.role) });
      out(`added ${user.name} (${user.role})\none-time password: ${password}\nGive it to ${user.name}: the first sign-in (/signin) asks for a new password.\n`);
      return 0;
    }
    case "list":
      out(table((await listUserViews(db)).map((u) => ({ id: u.id, name: u.name, role: u.role, state: u.disabled ? "disabled" : u.mustChangePassword ? "one-time password" : "active", lastSignIn: u.lastSignInAt, keys: u.activeKeys }))));
      return 0;
    case "set-role": {
      const u = await changeUser(db, await userId(db, rest[0]), { role: roleArg(rest[1] ?? values.role) });
      out(`${u.name} is now ${u.role}\n`);
      return 0;
    }
    case "disable":
    case "enable": {
      const u = await changeUser(db, await userId(db, rest[0]), { disabled: command === "disable" });
      out(`${u.name} is ${u.disabled ? "disabled: their sessions and keys stop working now" : "enabled"}\n`);
      return 0;
    }
    case "reset-password": {
      const { user, password } = await resetPassword(db, await userId(db, rest[0]));
      out(`new one-time password for ${user.name}: ${password}\n`);
      return 0;
    }
    case "key": {
      if (!values.name) throw new UsageError("name the key with --name (what it is for, e.g. --name ci)");
      const expiresAt = values.expires ? new Date(values.expires) : undefined;
      if (expiresAt && Number.isNaN(expiresAt.getTime())) throw new UsageError(`--expires must be a date (got "${values.expires}")`);
      const k = await addApiKey(db, await userId(db, rest[0]), { name: values.name, role: values.role === undefined ? undefined : roleArg(values.role), expiresAt });
      out(`API key ${k.apiKey.name} of ${k.apiKey.userName} (${k.apiKey.role}): ${k.key}\nIt is shown this once; send it as Authorization: Bearer <key>.\n`);
      return 0;
    }
    case "keys":
      out(table((await listKeyViews(db)).map((k) => ({ id: k.id, user: k.userName, name: k.name, prefix: k.prefix, role: k.role, status: k.status, lastUsed: k.lastUsedAt, expires: k.expiresAt }))));
      return 0;
    case "revoke-key": {
      const id = Number(rest[0]);
      if (!Number.isInteger(id) || id < 1) throw new UsageError("give the key's id (npm run users -- keys)");
      const k = await revokeKey(db, id);
      out(`revoked ${k.name} (${k.prefix}…) of ${k.userName}\n`);
      return 0;
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

setProcessActor(cliActor());
run(process.argv.slice(2))
  .then(async (code) => {
    await disconnectAll();
    process.exit(code);
  })
  .catch(async (e: unknown) => {
    await disconnectAll().catch(() => undefined);
    if (e instanceof UsageError) {
      process.stderr.write(`error: ${e.message}\n${USAGE}\n`);
      process.exit(2);
    }
    process.stderr.write(`error: ${isAppError(e) ? `${e.message} (${e.code})` : (e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  });
