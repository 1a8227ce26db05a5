import { ROLES } from "../auth/roles";
import { IsoDateTime, idParams } from "./common";
import { NextCursor, pageQuery } from "./pagination";
import { z } from "./zod";

/* People, API keys and the audit trail (lib/auth): the admin's routes and the sign-in's. */

export const RoleName = z.enum(ROLES, { error: `role must be one of ${ROLES.join(", ")}` }).openapi("Role", { description: "viewer < operator < admin (each may do what the one before may, and more)" });

export const UserEntry = z
  .object({
    id: z.number().int(),
    name: z.string(),
    role: RoleName,
    disabled: z.boolean(),
    mustChangePassword: z.boolean().openapi({ description: "the user still has a one-time password: the first sign-in must replace it" }),
    fromProxy: z.boolean().openapi({ description: "created on first sight of the auth proxy's header" }),
    createdAt: IsoDateTime,
    lastSignInAt: IsoDateTime.nullable(),
    activeKeys: z.number().int().openapi({ description: "API keys not revoked" }),
  })
  .openapi("User");

const userName = z.string({ error: "name is required" }).trim().min(1, "name must not be empty").max(100, "name must be at most 100 characters");

export const CreateUserBody = z.object({ name: userName, role: RoleName }).strict().openapi("CreateUserRequest");
export const UserWithPassword = z
  .object({ user: UserEntry, password: z.string().openapi({ description: "the one-time password, shown this once: the first sign-in must replace it" }) })
  .openapi("UserWithPassword");
export const UsersResponse = z.object({ users: z.array(UserEntry) });
export const UserResponse = z.object({ user: UserEntry });
export const UpdateUserBody = z
  .object({ role: RoleName.optional(), disabled: z.boolean({ error: "disabled must be true or false" }).optional() })
  .strict()
  .refine((b) => b.role !== undefined || b.disabled !== undefined, { message: "send role, disabled or both" })
  .openapi("UpdateUserRequest");
export const UserIdParams = idParams("the user's id");

export const KeyEntry = z
  .object({
    id: z.number().int(),
    userId: z.number().int(),
    userName: z.string(),
    name: z.string(),
    prefix: z.string().openapi({ description: "the key's first characters, to tell keys apart" }),
    role: RoleName,
    createdAt: IsoDateTime,
    lastUsedAt: IsoDateTime.nullable(),
    expiresAt: IsoDateTime.nullable(),
    revokedAt: IsoDateTime.nullable(),
    status: z.enum(["active", "revoked", "expired", "user-disabled"]).openapi({ description: "user-disabled: refused while its user is disabled (it works again if they are enabled)" }),
  })
  .openapi("ApiKey");

const expiresAt = z
  .string()
  .refine((v) => !Number.isNaN(Date.parse(v)) && /^\d{4}-\d{2}-\d{2}/.test(v), "expiresAt must be an ISO 8601 date-time")
  .transform((v) => new Date(v))
  .optional()
  .openapi({ type: "string", format: "date-time", description: "when the key stops working (unset: never)" });

export const CreateKeyBody = z
  .object({
    name: z.string({ error: "name is required (what the key is for)" }).trim().min(1, "name must not be empty").max(100, "name must be at most 100 characters"),
    role: RoleName.optional().openapi({ description: "at most the user's role (default: the user's role)" }),
    expiresAt,
  })
  .strict()
  .openapi("CreateKeyRequest");
export const CreatedKeyResponse = z
  .object({
    id: z.number().int(),
    key: z.string().openapi({ description: "the key, shown this once: send it as Authorization: Bearer <key>" }),
    prefix: z.string(),
    apiKey: KeyEntry,
  })
  .openapi("CreatedKey");
export const KeysResponse = z.object({ keys: z.array(KeyEntry) });
export const KeyResponse = z.object({ key: KeyEntry });
export const KeyIdParams = idParams("the key's id");

export const AuditQuery = pageQuery();
export const AuditEntry = z
  .object({
    id: z.number().int(),
    at: IsoDateTime,
    actor: z.string().openapi({ description: 'who: "alice", "alice (key ci)", "ADMIN_TOKEN", "schedule", "cli (root)", "anonymous"' }),
    actorKind: z.enum(["user", "key", "token", "proxy", "anonymous", "schedule", "cli", "system"]),
    action: z.string().openapi({ description: "deploy, train, run, upload, batch, acknowledge, rollback, report, user.create, key.revoke, sign-in, …" }),
    outcome: z.enum(["ok", "refused"]),
    target: z.string().nullable(),
    detail: z.record(z.string(), z.unknown()),
    client: z.string().nullable().openapi({ description: "the client address of the request" }),
  })
  .openapi("AuditEvent");
export const AuditResponse = z.object({ events: z.array(AuditEntry), nextCursor: NextCursor });

export const ChangePasswordBody = z
  .object({
    password: z.string({ error: "password is required (the current one)" }).min(1, "password must not be empty"),
    newPassword: z.string({ error: "newPassword is required" }).min(1, "newPassword must not be empty"),
  })
  .strict()
  .openapi("ChangePasswordRequest");
