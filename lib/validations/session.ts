import { z } from "./zod";

/* /api/session: the dashboard's sign-in with the admin token (an httpOnly cookie). */

export const SessionBody = z
  .object({ token: z.string({ error: "token is required (the server's ADMIN_TOKEN)" }).min(1, "token must not be empty") })
  .strict()
  .openapi("SessionRequest");

export const SessionStatus = z
  .object({
    authRequired: z.boolean().openapi({ description: "true when the server has an ADMIN_TOKEN: changes need the token" }),
    authenticated: z.boolean().openapi({ description: "true when this request carries the token or a valid session cookie" }),
  })
  .openapi("SessionStatus");
