import { RoleName } from "./people";
import { z } from "./zod";
export { ChangePasswordBody } from "./people";

/*
 * /api/session: the dashboard's sign-in (an httpOnly cookie). With users: a name and a password
 * (and a new password when the current one is a one-time password). Before users exist: the
 * server's ADMIN_TOKEN, as it always was.
 */

export const SessionBody = z
  .union([
    z
      .object({
        name: z.string({ error: "name is required" }).min(1, "name must not be empty").max(100),
        password: z.string({ error: "password is required" }).min(1, "password must not be empty").max(1024),
        newPassword: z.string().min(1).max(1024).optional().openapi({ description: "the password to replace a one-time password with (the first sign-in)" }),
      })
      .strict(),
    z.object({ token: z.string({ error: "token is required (the server's ADMIN_TOKEN)" }).min(1, "token must not be empty") }).strict(),
  ])
  .openapi("SessionRequest");

export const SessionStatus = z
  .object({
    authRequired: z.boolean().openapi({ description: "true when changes need a sign-in (users exist, or the server has an ADMIN_TOKEN)" }),
    authenticated: z.boolean().openapi({ description: "true when this request carries a valid credential (or the server is open)" }),
    mode: z.enum(["open", "token", "users"]).optional().openapi({ description: "open: no user and no ADMIN_TOKEN, anyone may do anything; token: ADMIN_TOKEN only; users: people sign in" }),
    readsOpen: z.boolean().optional().openapi({ description: "reads need no sign-in (no users yet, or PUBLIC_READ=1)" }),
    role: RoleName.nullable().optional().openapi({ description: "what this request may do: viewer, operator, admin; null when anonymous on a server that is not open" }),
    user: z
      .object({ id: z.number().int(), name: z.string(), role: RoleName })
      .nullable()
      .optional()
      .openapi({ description: "the signed-in person (session, API key or auth proxy); null otherwise" }),
    via: z.enum(["session", "key", "token", "proxy", "none"]).optional(),
  })
  .openapi("SessionStatus");
